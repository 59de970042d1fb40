import secrets
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from server import audit
from server.auth import logins, throttle
from server.auth.blueprint import bp
from server.auth.session import landing_url, load_user
from server.extensions import db
from server.i18n import translate
from server.models import User
from server.models.base import utcnow
from server.vocabulary import LANGUAGES

# Checked against when the e-mail is unknown, so a wrong address and a wrong
# password take the same time and give the same answer.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


@bp.before_app_request
def _load_user():
    load_user()


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/")
def index():
    if g.user is None:
        return redirect(url_for("auth.login"))
    return redirect(landing_url(g.user))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", next=request.args.get("next", ""))
    email = throttle.normalize_email(request.form.get("email"))
    password = request.form.get("password") or ""
    ip = throttle.client_ip()
    user = db.session.scalar(db.select(User).where(User.email == email))
    # Before the password is looked at: a refused attempt tells nothing about it.
    if (refusal := throttle.refusal(email, ip)) is not None:
        return _refuse(refusal, user, email)
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not user.active or not password_ok:
        throttle.record(email, ip, succeeded=False)
        audit.record("login_failed", "users", user.id if user else None, {"email": email})
        db.session.commit()
        flash(translate("login.failed"), "error")
        return render_template(
            "auth/login.html", next=request.form.get("next", ""), email=email
        ), 401
    # A fresh session on login: nothing from before the login carries over,
    # and this browser's earlier login, whose cookie is replaced, ends.
    if g.login_id is not None:
        logins.end(g.login_id, "new_login")
    g.login_id = logins.start(user)
    user.last_login_at = utcnow()
    g.user = user
    throttle.record(email, ip, succeeded=True)
    audit.record("login", "users", user.id)
    db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or landing_url(user))


def _refuse(refusal: throttle.Refusal, user: User | None, email: str):
    """429 with the wait in minutes; the same for an e-mail with or without an account."""
    now = utcnow()
    seconds, minutes = refusal.seconds_left(now), refusal.minutes_left(now)
    audit.record(
        "login_throttled",
        "users",
        user.id if user else None,
        {"email": email, "limit": refusal.limit, "retry_after": seconds},
    )
    db.session.commit()
    key = "login.throttled_one" if minutes == 1 else "login.throttled"
    flash(translate(key, minutes=minutes), "error")
    page = render_template("auth/login.html", next=request.form.get("next", ""), email=email)
    return page, 429, {"Retry-After": str(seconds)}


@bp.post("/logout")
def logout():
    # The login's row ends: any copy of this cookie is refused from now on.
    if g.login_id is not None:
        logins.end(g.login_id, "logout")
        audit.record("logout", "users", g.user.id)
        db.session.commit()
    logins.forget(ended=True)
    g.login_id = g.user = None
    flash(translate("logout.done"), "info")
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = logins.CLEAR_ON_LOGOUT
    return response


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
        if g.user is not None and g.user.language != lang:
            g.user.language = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.index"))
