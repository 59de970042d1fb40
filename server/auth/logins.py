"""Browser logins the server can end (the `login_sessions` table).

A login is a row in `login_sessions` and a random token in the browser's
signed session cookie (key LOGIN_KEY); only the token's SHA-256 is stored.
Every request (`current`) looks the token up and accepts it only while its row
has not ended, is younger than PERMANENT_SESSION_LIFETIME counted from the
login (an absolute limit: using a login does not extend it) and its user is
active. Anything else is logged out, and the cookie's login keys are dropped.

Ending a login (logout, deactivating its user) ends the row, so every copy of
the cookie stops working at once, including one a request already in flight
writes back into the browser with its response.

Whatever the cookie holds besides the language belongs to the login it was
made in: a login starts from an empty cookie, and an ended login's cookie is
emptied before any view runs. So a WebAuthn registration challenge
(server/signoff/credentials.py) or a CSRF token from an ended login cannot be
used with it.

The rows are written with Core statements, not ORM objects: they are the
login's bookkeeping, not records the audit listener should log as writes
(logins and logouts have their own audit events).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, request, session
from sqlalchemy import delete, insert, or_, select, update

from server.auth.throttle import client_ip
from server.extensions import db
from server.models import LoginSession, User
from server.models.base import as_utc, utcnow

# The cookie session's key for the token.
LOGIN_KEY = "login"
# Set when this browser's login was ended on the server (not when it expired):
# the coach's app locks itself on seeing it (/app/session.json). A new login clears it.
ENDED_KEY = "login_ended"
# Kept in the cookie across logins and logouts; everything else is the login's.
KEPT_KEYS = ("lang", ENDED_KEY)
# last_seen_at is written at most this often, not on every request.
TOUCH_INTERVAL = timedelta(minutes=1)
# Ended and expired rows are deleted this long after they ended (expired).
RETENTION = timedelta(days=3)
_USER_AGENT_LENGTH = 255
# Sent with every logout (the browser's and a device's): the browser drops what
# its HTTP cache holds of this site. Not "storage": that would wipe the app's
# IndexedDB and with it work not yet synced; the app wipes its own storage,
# after its guard for unsynced work.
CLEAR_ON_LOGOUT = '"cache"'


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime() -> timedelta:
    return current_app.permanent_session_lifetime


def forget(ended: bool = False) -> None:
    """Empty the cookie session but for the language: logged out. `ended`:
    the login was ended on the server (ENDED_KEY)."""
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)
    if ended:
        session[ENDED_KEY] = True


def start(user: User, now: datetime | None = None) -> int:
    """A new login of `user` in this browser: a fresh cookie session with a new
    token, and its row (not committed). Old rows are pruned. Returns the row's id."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    user_agent = request.headers.get("User-Agent") or None
    result = db.session.execute(
        insert(LoginSession).values(
            user_id=user.id,
            token_hash=_hash(token),
            created_at=now,
            last_seen_at=now,
            ip=client_ip(),
            user_agent=user_agent[:_USER_AGENT_LENGTH] if user_agent else None,
        )
    )
    prune(now)
    forget()
    session.pop(ENDED_KEY, None)
    session.permanent = True
    session[LOGIN_KEY] = token
    return result.inserted_primary_key[0]


def current(now: datetime | None = None) -> tuple[int, User] | None:
    """The login id and user of this request's cookie, or None (logged out).

    A token that is not accepted is dropped from the cookie, and an expired or
    deactivated login's row is ended. Commits when it writes.
    """
    token = session.get(LOGIN_KEY)
    if not isinstance(token, str) or not token:
        if LOGIN_KEY in session or "user_id" in session:  # "user_id": cookies from before
            forget()
        return None
    now = now or utcnow()
    row = db.session.execute(
        select(
            LoginSession.id,
            LoginSession.created_at,
            LoginSession.last_seen_at,
            LoginSession.ended_at,
            User,
        )
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _hash(token))
    ).one_or_none()
    if row is None or row.ended_at is not None:
        forget(ended=row is not None)
        return None
    reason = None
    if as_utc(row.created_at) + _lifetime() <= now:
        reason = "expired"
    elif not row.User.active:
        reason = "user_deactivated"
    if reason is not None:
        end(row.id, reason, now)
        db.session.commit()
        forget(ended=reason != "expired")
        return None
    if as_utc(row.last_seen_at) <= now - TOUCH_INTERVAL:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.id == row.id, LoginSession.ended_at.is_(None))
            .values(last_seen_at=now)
        )
        db.session.commit()
    return row.id, row.User


def end(login_id: int, reason: str, now: datetime | None = None) -> None:
    """End one login (not committed); a login already ended keeps its first end."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.id == login_id, LoginSession.ended_at.is_(None))
        .values(ended_at=now or utcnow(), end_reason=reason)
    )


def end_all_of(
    user_id: int, reason: str, now: datetime | None = None, keep: int | None = None
) -> None:
    """End every login of a user but `keep` (not committed), e.g. when the
    user is deactivated."""
    query = update(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    db.session.execute(query.values(ended_at=now or utcnow(), end_reason=reason))


def prune(now: datetime | None = None) -> None:
    """Delete rows that ended, or expired, more than RETENTION ago (not committed)."""
    cutoff = (now or utcnow()) - RETENTION
    db.session.execute(
        delete(LoginSession).where(
            or_(
                LoginSession.ended_at < cutoff,
                LoginSession.created_at < cutoff - _lifetime(),
            )
        ),
        execution_options={"synchronize_session": False},
    )
