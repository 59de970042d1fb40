"""Throttling password guessing on /login.

Every password check is written to `login_attempts`: the e-mail as typed
(lower-cased), the client's address and whether it succeeded. Before a password
is checked, the login asks `refusal(email, ip)`. Once an e-mail has
LOGIN_MAX_FAILURES_PER_ACCOUNT failures within LOGIN_FAILURE_WINDOW (counted
from its latest successful login), or an address has
LOGIN_MAX_FAILURES_PER_ADDRESS failures within the window, attempts are refused
without looking at the password until enough of those failures are older than
the window. Refused attempts are audited but not counted, so a person who keeps
trying is not locked out for longer.

The decision reads only `login_attempts`, never `users`: an e-mail without an
account is throttled exactly like one with an account, so the throttle does not
tell which addresses have accounts.

The rows are written with Core statements, not ORM objects: they are the
throttle's bookkeeping, not records the audit listener should log as writes.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, func, insert, select

from server.extensions import db
from server.models import LoginAttempt
from server.models.base import as_utc, utcnow

# Rows are kept at least this long (longer if the window is longer).
RETENTION = timedelta(days=1)
# The widest e-mail and address the table holds (users.email, IPv6 text).
_EMAIL_LENGTH = 254
_IP_LENGTH = 45


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused ("account" or "address") and until when."""

    limit: str
    retry_at: datetime

    def seconds_left(self, now: datetime | None = None) -> int:
        left = (self.retry_at - (now or utcnow())).total_seconds()
        return max(1, math.ceil(left))

    def minutes_left(self, now: datetime | None = None) -> int:
        return max(1, math.ceil(self.seconds_left(now) / 60))


def normalize_email(raw: str | None) -> str:
    return (raw or "").strip().lower()


def client_ip() -> str | None:
    """The address the request came from (the client's, when the app runs
    behind trusted proxies: see _configure_proxy in server/__init__.py)."""
    address = request.remote_addr
    return address[:_IP_LENGTH] if address else None


def _nth_latest_failure(condition, n: int, since: datetime) -> datetime | None:
    """The time of the n-th latest failure after `since` that matches `condition`."""
    query = (
        select(LoginAttempt.at)
        .where(condition, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .offset(n - 1)
        .limit(1)
    )
    return as_utc(db.session.scalar(query))


def refusal(email: str, ip: str | None, now: datetime | None = None) -> Refusal | None:
    """A Refusal if this attempt must not be checked, else None.

    With `limit` failures in the window, the limit-th latest of them decides:
    when it is older than the window, fewer than `limit` remain.
    """
    config = current_app.config
    window: timedelta = config["LOGIN_FAILURE_WINDOW"]
    now = now or utcnow()
    start = now - window
    email = email[:_EMAIL_LENGTH]
    refusals = []

    account_limit = config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if account_limit > 0:
        last_success = as_utc(
            db.session.scalar(
                select(func.max(LoginAttempt.at)).where(
                    LoginAttempt.email == email,
                    LoginAttempt.succeeded.is_(True),
                    LoginAttempt.at > start,
                )
            )
        )
        since = max(start, last_success) if last_success else start
        decisive = _nth_latest_failure(LoginAttempt.email == email, account_limit, since)
        if decisive is not None:
            refusals.append(Refusal("account", decisive + window))

    address_limit = config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    if address_limit > 0 and ip:
        decisive = _nth_latest_failure(LoginAttempt.ip == ip[:_IP_LENGTH], address_limit, start)
        if decisive is not None:
            refusals.append(Refusal("address", decisive + window))

    return max(refusals, key=lambda r: r.retry_at, default=None)


def record(email: str, ip: str | None, succeeded: bool, now: datetime | None = None) -> None:
    """Write one checked attempt and prune the old ones, in the current transaction."""
    now = now or utcnow()
    db.session.execute(
        insert(LoginAttempt).values(
            at=now,
            email=email[:_EMAIL_LENGTH],
            ip=ip[:_IP_LENGTH] if ip else None,
            succeeded=succeeded,
        )
    )
    keep = max(RETENTION, current_app.config["LOGIN_FAILURE_WINDOW"])
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < now - keep),
        execution_options={"synchronize_session": False},
    )
