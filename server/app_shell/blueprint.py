from flask import Blueprint

bp = Blueprint("app_shell", __name__)
