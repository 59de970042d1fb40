from flask import Blueprint

bp = Blueprint("vouchers", __name__)
