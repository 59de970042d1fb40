"""Browser logins the server can end: one row per login."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, choice, utcnow

# Why a login ended: its user logged out; it was past its absolute lifetime
# when it was next used; its user was deactivated; the same browser logged in
# again (the earlier login's cookie was replaced).
LOGIN_END_REASONS = ("logout", "expired", "user_deactivated", "new_login", "device_revoked")


class LoginSession(Base):
    """One login of a user in a browser (server/auth/logins.py).

    The browser's signed session cookie carries a random token; only its
    SHA-256 is stored here, so the table alone logs nobody in. A login counts
    while its row exists, has not ended and is younger than
    PERMANENT_SESSION_LIFETIME (from created_at: using it does not extend it).
    The address and user agent are kept, trimmed, for showing a user or an
    admin where they are logged in. Ended and expired rows are deleted a few
    days later, when someone logs in.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Hex SHA-256 of the token in the cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Updated at most once a minute, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(choice("login_end_reason", LOGIN_END_REASONS))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
