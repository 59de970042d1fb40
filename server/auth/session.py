"""The logged-in user of a browser session, and the decorators that require one."""

from functools import wraps

from flask import abort, g, redirect, request, url_for

from server.auth import logins
from server.models import User

LANDING = {
    "coach": "app_shell.open_app",  # the offline app; /coach stays for the browser
    "supervisor": "review.show_team",
    "employer_rep": "employer_portal.show",
    "admin": "admin.list_users",
}


def load_user() -> None:
    """g.user and g.login_id from the request's login (server/auth/logins.py):
    None unless its row is live, within its lifetime and its user active."""
    found = logins.current()
    g.login_id, g.user = found if found is not None else (None, None)


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str):
    """Only these roles may call the view; others get 403, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def landing_url(user: User) -> str:
    return url_for(LANDING[user.role])
