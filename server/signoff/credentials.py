"""Registering an employer representative's WebAuthn credential (online, py_webauthn).

The registration challenge lives in the user's session and is used once
(popped before it is checked); it also expires after REGISTRATION_TIMEOUT.
"""

import secrets
import time

from sqlalchemy import select
from webauthn import generate_registration_options, verify_registration_response
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, options_to_json_dict
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialHint,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from server.extensions import db
from server.models import User, WebAuthnCredential
from server.models.base import utcnow

SESSION_KEY = "webauthn_registration"
REGISTRATION_TIMEOUT_S = 300
# The kinds the page offers: a roaming security key (recommended for shared
# devices) or a passkey of the device in hand. Neither is required: the
# browser may still offer the other, and both verify the same way.
KINDS = {
    "security_key": (AuthenticatorAttachment.CROSS_PLATFORM, PublicKeyCredentialHint.SECURITY_KEY),
    "passkey": (AuthenticatorAttachment.PLATFORM, PublicKeyCredentialHint.CLIENT_DEVICE),
}
KNOWN_TRANSPORTS = {t.value for t in AuthenticatorTransport}


class RegistrationError(ValueError):
    """The browser's answer does not register a credential; `code` names why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def live_credentials(user_id: int) -> list[WebAuthnCredential]:
    return list(
        db.session.scalars(
            select(WebAuthnCredential)
            .where(WebAuthnCredential.user_id == user_id, WebAuthnCredential.revoked_at.is_(None))
            .order_by(WebAuthnCredential.created_at, WebAuthnCredential.id)
        )
    )


def revoke_all_of(user_id: int, by_user_id: int | None) -> None:
    """Revoke every live credential of a user (who was deactivated): no sign-off
    made with them after this verifies. Through the ORM, so each is audited."""
    now = utcnow()
    for credential in live_credentials(user_id):
        credential.revoked_at = now
        credential.revoked_by_id = by_user_id


def _user_handle(user: User) -> str:
    """One random WebAuthn user handle per person, kept on their credentials."""
    existing = db.session.scalar(
        select(WebAuthnCredential.user_handle).where(WebAuthnCredential.user_id == user.id).limit(1)
    )
    return existing or bytes_to_base64url(secrets.token_bytes(32))


def begin(session: dict, user: User, kind: str, rp_id: str, rp_name: str) -> dict:
    """The options for navigator.credentials.create (JSON), remembering the challenge."""
    attachment, hint = KINDS.get(kind, KINDS["security_key"])
    handle = _user_handle(user)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_id=base64url_to_bytes(handle),
        user_name=user.email,
        user_display_name=user.name,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=attachment,
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(c.credential_id))
            for c in live_credentials(user.id)
        ],
        hints=[hint],
        timeout=REGISTRATION_TIMEOUT_S * 1000,
    )
    session[SESSION_KEY] = {
        "challenge": bytes_to_base64url(options.challenge),
        "user_handle": handle,
        "user_id": user.id,
        "expires": time.time() + REGISTRATION_TIMEOUT_S,
    }
    return options_to_json_dict(options)


def finish(
    session: dict, user: User, label: str, credential: dict, rp_id: str, origins: list[str]
) -> WebAuthnCredential:
    """Verify the browser's answer and store the credential (not committed)."""
    pending = session.pop(SESSION_KEY, None)  # single use, whatever the outcome
    if not pending or pending.get("user_id") != user.id or pending["expires"] < time.time():
        raise RegistrationError("no_challenge")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(pending["challenge"]),
            expected_rp_id=rp_id,
            expected_origin=origins,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise RegistrationError("not_verified", str(error)) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    taken = db.session.scalar(
        select(WebAuthnCredential.id).where(WebAuthnCredential.credential_id == credential_id)
    )
    if taken is not None:
        raise RegistrationError("already_registered")
    response = credential.get("response") or {}
    transports = [t for t in response.get("transports") or [] if t in KNOWN_TRANSPORTS]
    attachment = credential.get("authenticatorAttachment")
    record = WebAuthnCredential(
        credential_id=credential_id,
        user_id=user.id,
        label=label,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports,
        aaguid=verified.aaguid,
        user_handle=pending["user_handle"],
        backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
        backed_up=verified.credential_backed_up,
        attachment=attachment if attachment in ("platform", "cross-platform") else None,
    )
    db.session.add(record)
    return record
