from flask import Blueprint

bp = Blueprint("subjects", __name__)
