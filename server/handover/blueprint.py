from flask import Blueprint

bp = Blueprint("handover", __name__)
