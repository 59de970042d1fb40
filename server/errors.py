"""One error shape for JSON APIs, plain pages for browsers.

JSON: {"error": {"status": 422, "message": "...", "fields": {"name": ["rule"]}}}; a `code`
names a case the client must tell apart (e.g. "device_revoked").
"""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.i18n import translate


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_error(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {"error": {"status": status, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    if code:
        body["error"]["code"] = code
    return jsonify(body), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        if wants_json():
            return json_error(400, f"CSRF check failed: {error.description}")
        return render_template("error.html", status=400, message=translate("error.csrf")), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if wants_json():
            return json_error(error.code or 500, error.description or error.name)
        key = f"error.{error.code}"
        message = translate(key)
        if message == key:
            message = error.name
        return render_template("error.html", status=error.code, message=message), error.code
