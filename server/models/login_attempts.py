"""Login attempts, kept for a day so password guessing can be throttled."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow


class LoginAttempt(Base):
    """One password check on /login: for which e-mail, from which address, and
    whether it succeeded.

    The throttle (server/auth/throttle.py) counts the failures per e-mail and
    per address in a recent window; a success marks where an account's count
    starts again. The e-mail is stored as typed (lower-cased), whether or not
    an account has it, so unknown addresses are throttled like known ones.
    Rows older than a day are deleted as new ones are written. Not the audit
    log: that has its own login_failed / login_throttled events.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    # Indexed on its own too: the pruning deletes by age alone.
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
