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
        # Headers the status needs (405: Allow, RFC 9110), whatever the body.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if wants_json():
            fields = getattr(error, "fields", None)
            body, status = json_error(error.code or 500, error.description or error.name, fields)
            return body, status, headers
        if error.code in (400, 422) and error.description != type(error).description:
            # Our own message, in the user's language, naming the field.
            message = error.description
        else:
            key = f"error.{error.code}"
            message = translate(key)
            if message == key:
                message = error.name
        page = render_template("error.html", status=error.code, message=message)
        return page, error.code, headers
