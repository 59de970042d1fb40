from flask import Blueprint

bp = Blueprint("employer_portal", __name__)
