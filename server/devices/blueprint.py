from flask import Blueprint

bp = Blueprint("devices", __name__)
