"""The administrator's pages: users and their roles."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from server.accounts import create_user as create_account
from server.admin.blueprint import bp
from server.auth import logins
from server.auth.session import roles_required
from server.extensions import db
from server.i18n import translate
from server.models import Employer, User
from server.signoff import credentials
from server.subjects import retention
from server.vocabulary import ROLES


def _form_context(errors=None, values=None):
    users = db.session.scalars(
        select(User).where(User.organization_id == g.user.organization_id).order_by(User.name)
    ).all()
    employers = db.session.scalars(
        select(Employer)
        .where(Employer.organization_id == g.user.organization_id, Employer.deleted.is_(False))
        .order_by(Employer.name)
    ).all()
    return {
        "retention_rule": retention.Rule.configured(),
        "retention_last": retention.last_run(db.session),
        "users": users,
        "employers": employers,
        "roles": ROLES,
        "errors": errors or {},
        "values": values or {},
    }


@bp.get("/users")
@roles_required("admin")
def list_users():
    return render_template("admin/users.html", **_form_context())


@bp.post("/users")
@roles_required("admin")
def create_user():
    form = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    try:
        user = create_account(form, g.user.organization_id)
    except ValidationError as error:
        db.session.rollback()
        return render_template("admin/users.html", **_form_context(error.messages, form)), 422
    db.session.commit()
    flash(translate("admin.user_created", name=user.name), "info")
    return redirect(url_for("admin.list_users"))


@bp.post("/users/<int:user_id>/deactivate")
@roles_required("admin")
def deactivate_user(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.organization_id != g.user.organization_id:
        abort(404)
    if user.id == g.user.id:
        abort(400, description=translate("admin.error.deactivate_self"))
    user.active = False
    logins.end_all_of(user.id, "user_deactivated")  # logged out everywhere at once
    # A representative who left signs nothing more, even with a key in hand.
    credentials.revoke_all_of(user.id, g.user.id)
    db.session.commit()
    flash(translate("admin.user_deactivated", name=user.name), "info")
    return redirect(url_for("admin.list_users"))
