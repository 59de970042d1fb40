"""Security keys: a representative registers theirs online (WebAuthn, py_webauthn);
a representative or an administrator revokes one.

Routes (blueprint "signoff"):
  GET  /employer/keys                  the representative's keys, and the registration form
  POST /employer/keys/options          JSON: options for navigator.credentials.create
  POST /employer/keys                  JSON: the browser's answer; stores the key
  POST /employer/keys/<id>/revoke      the representative revokes one of their own
  GET  /admin/keys                     the organization's representatives' keys
  POST /admin/keys/<id>/revoke         an administrator revokes one
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from sqlalchemy import select

from server.auth.session import roles_required
from server.errors import json_error
from server.extensions import db
from server.i18n import translate
from server.models import Employer, EmployerContactPerson, User, WebAuthnCredential
from server.models.base import utcnow
from server.signoff import credentials

bp = Blueprint("signoff", __name__)

MAX_LABEL = 100


def _origins() -> list[str]:
    origin = current_app.config["WEBAUTHN_ORIGIN"]
    return [origin] if isinstance(origin, str) else list(origin)


@bp.get("/employer/keys")
@roles_required("employer_rep")
def list_keys():
    return render_template(
        "signoff/keys.html",
        keys=db.session.scalars(
            select(WebAuthnCredential)
            .where(WebAuthnCredential.user_id == g.user.id)
            .order_by(WebAuthnCredential.created_at.desc(), WebAuthnCredential.id.desc())
        ).all(),
    )


@bp.post("/employer/keys/options")
@roles_required("employer_rep")
def registration_options():
    body = request.get_json(silent=True) or {}
    options = credentials.begin(
        flask_session,
        g.user,
        body.get("kind", "security_key"),
        current_app.config["WEBAUTHN_RP_ID"],
        translate("app.name"),
    )
    return options


@bp.post("/employer/keys")
@roles_required("employer_rep")
def register_key():
    body = request.get_json(silent=True) or {}
    label = body.get("label")
    if not isinstance(label, str) or not label.strip() or len(label.strip()) > MAX_LABEL:
        return json_error(
            422, translate("keys.label_invalid"), {"label": [translate("keys.label_invalid")]}
        )
    if not isinstance(body.get("credential"), dict):
        return json_error(422, translate("keys.failed"), {"credential": ["missing"]})
    try:
        key = credentials.finish(
            flask_session,
            g.user,
            label.strip(),
            body["credential"],
            current_app.config["WEBAUTHN_RP_ID"],
            _origins(),
        )
    except credentials.RegistrationError as error:
        db.session.rollback()
        message = translate(f"keys.error.{error.code}")
        return json_error(422, message, {"credential": [error.code]})
    db.session.commit()
    flash(translate("keys.registered", label=key.label), "info")
    return {"id": key.id, "label": key.label, "redirect": url_for("signoff.list_keys")}, 201


def _revoke(key: WebAuthnCredential) -> None:
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        key.revoked_by_id = g.user.id
        db.session.commit()
    flash(translate("keys.revoked_done", label=key.label), "info")


@bp.post("/employer/keys/<int:key_id>/revoke")
@roles_required("employer_rep")
def revoke_own_key(key_id: int):
    key = db.session.get(WebAuthnCredential, key_id)
    if key is None or key.user_id != g.user.id:
        abort(404)
    _revoke(key)
    return redirect(url_for("signoff.list_keys"))


@bp.get("/admin/keys")
@roles_required("admin")
def list_all_keys():
    rows = db.session.execute(
        select(WebAuthnCredential, User)
        .join(User, User.id == WebAuthnCredential.user_id)
        .where(User.organization_id == g.user.organization_id)
        .order_by(User.name, WebAuthnCredential.created_at)
    ).all()
    employers: dict[int, list[str]] = {}
    user_ids = {user.id for _, user in rows}
    if user_ids:
        for user_id, name in db.session.execute(
            select(EmployerContactPerson.user_id, Employer.name)
            .join(Employer, Employer.id == EmployerContactPerson.employer_id)
            .where(
                EmployerContactPerson.user_id.in_(user_ids),
                EmployerContactPerson.deleted.is_(False),
            )
            .order_by(Employer.name)
        ):
            employers.setdefault(user_id, []).append(name)
    return render_template("signoff/admin_keys.html", rows=rows, employers=employers)


@bp.post("/admin/keys/<int:key_id>/revoke")
@roles_required("admin")
def revoke_key(key_id: int):
    key = db.session.get(WebAuthnCredential, key_id)
    owner = db.session.get(User, key.user_id) if key else None
    if key is None or owner is None or owner.organization_id != g.user.organization_id:
        abort(404)
    _revoke(key)
    return redirect(url_for("signoff.list_all_keys"))
