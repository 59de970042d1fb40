"""Employer representatives' WebAuthn credentials, and the single-use nonces
that let a coach's device have a demonstration signed while offline."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, utcnow


class WebAuthnCredential(Base):
    """A security key or passkey an employer representative registered online.

    What verifying a sign-off needs: the credential id (base64url, as devices
    and assertions name it), the COSE public key and the largest sign count
    seen. The rest describes the authenticator for the admin and the audit.
    """

    __tablename__ = "webauthn_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    # base64url without padding of the credential's raw id.
    credential_id: Mapped[str] = mapped_column(String(1024), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # The largest signature counter seen; assertions may arrive out of order.
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    transports: Mapped[list] = mapped_column(JSON, default=list)
    aaguid: Mapped[str | None] = mapped_column(String(36))
    # The WebAuthn user handle (base64url), the same for all of a user's credentials.
    user_handle: Mapped[str] = mapped_column(String(128))
    backup_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    backed_up: Mapped[bool] = mapped_column(Boolean, default=False)
    # "cross-platform" (a roaming security key) or "platform" (a passkey), as the browser said.
    attachment: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])


class SignoffNonce(Base):
    """A single-use value the server issued to one device, for one offline sign-off.

    The challenge a representative signs is SHA-256(content ‖ nonce), so a
    sign-off can be checked to be fresh, from that device, and used once.
    """

    __tablename__ = "signoff_nonces"

    # 32 random bytes as 64 lower-case hex digits.
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_signoff_id: Mapped[str | None] = mapped_column(ForeignKey("signoffs.id"))
