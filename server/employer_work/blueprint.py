from flask import Blueprint

bp = Blueprint("employer_work", __name__)
