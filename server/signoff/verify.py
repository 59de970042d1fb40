"""Verifying a sign-off: is this a genuine WebAuthn assertion, by the named
representative of the demonstration's employer, over exactly the content the
server holds, with a fresh nonce the server issued to the device that
uploaded it? Steps V1–V5 of docs/signoff-canonical.md §6.

Two entry points, both on a SQLAlchemy connection (no Flask, no ORM session):
- `verify_on_arrival`: a sign-off a device has just pushed (the sync store
  calls it in the push's transaction); consumes the nonce.
- `audit`: re-verifies a stored sign-off from the database alone (the
  `verify-signoff` command); writes nothing.

A failure has a reason: a stable code (translated for people by
server.signoff.reasons), optionally followed by ": " and a detail.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select, update
from webauthn import verify_authentication_response
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_authenticator_data
from webauthn.helpers.exceptions import InvalidAuthenticationResponse

from server import audit as audit_log
from server.models import (
    EmployerContactPerson,
    SignOff,
    SignoffNonce,
    User,
    WebAuthnCredential,
    WorkDemonstration,
)
from server.models.base import as_utc
from server.signoff.canonical import CONTENT_VERSION, CanonicalError, challenge
from server.signoff.content import ContentMissing, current_content
from sync.record import meta_from_json

# code -> what it means (English: the command line and logs; the pages translate the code).
REASONS = {
    "unknown_nonce": "the nonce was never issued by this server",
    "nonce_not_issued_to_device": "the nonce was issued to another device",
    "nonce_already_used": "the nonce was already used by another sign-off",
    "nonce_expired": "the nonce had expired when the sign-off arrived",
    "nonce_not_consumed": "the nonce was not consumed by this sign-off (never verified on arrival)",
    "unsupported_content_version": "the content is in a format this server does not know",
    "content_mismatch": "the signed content does not match the demonstration",
    "unknown_credential": "the security key is not registered",
    "credential_revoked": "the security key had been revoked",
    "representative_inactive": "the representative's account has been deactivated",
    "credential_not_of_representative": (
        "the security key does not belong to the named representative of the demonstration's"
        " employer"
    ),
    "malformed_assertion": "the signature data cannot be read",
    "wrong_origin": "the signature was made on another web address (origin)",
    "wrong_rp_id": "the signature is for another relying party",
    "challenge_mismatch": "the signature covers other content or another nonce",
    "no_user_presence": "the authenticator did not confirm that a person was present",
    "no_user_verification": "the authenticator did not verify the person (PIN or biometrics)",
    "user_handle_mismatch": "the authenticator named another user",
    "invalid_signature": "the signature does not verify with the registered public key",
}


class Rejected(Exception):
    def __init__(self, code: str, detail: str | None = None):
        assert code in REASONS, code
        super().__init__(code)
        self.code = code
        self.detail = detail

    @property
    def reason(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


@dataclass(frozen=True)
class Expected:
    """What the assertion must be bound to: the relying party id and the app's origin(s)."""

    rp_id: str
    origins: tuple[str, ...]

    @classmethod
    def from_config(cls, config) -> "Expected":
        origin = config["WEBAUTHN_ORIGIN"]
        origins = (origin,) if isinstance(origin, str) else tuple(origin)
        return cls(config["WEBAUTHN_RP_ID"], origins)


@dataclass(frozen=True)
class Outcome:
    status: str  # "verified" or "failed"
    reason: str | None = None
    sign_count: int = 0
    credential_pk: int | None = None
    # The signed content is the content with edits made after an earlier
    # signing (sync.resign): what the push writes when the sign-off verifies.
    settlement: object | None = None

    @property
    def code(self) -> str | None:
        return None if self.reason is None else self.reason.split(":", 1)[0]


def _signoff(conn, signoff_id: str) -> dict:
    row = conn.execute(select(SignOff.__table__).where(SignOff.id == signoff_id)).one()
    return dict(row._mapping)


def uploading_device(signoff: dict) -> str | None:
    """The device whose push created the sign-off (from its sync field meta)."""
    meta, _ = meta_from_json(signoff.get("field_meta"))
    entry = meta.get("nonce") or next(iter(meta.values()), None)
    return entry.device_id if entry else None


# -- entry points -------------------------------------------------------------


def verify_on_arrival(
    conn, signoff_id: str, device_id: str, expected: Expected, now: datetime, resign=None
) -> Outcome:
    """V1–V5 for a sign-off that has just arrived from `device_id`, then record it.

    `resign(signed_bytes)`: the settlement (sync.resign) under which the
    signed content is the demonstration's content with the edits proposed
    since it was last signed, or None; V2 accepts such content."""
    signoff = _signoff(conn, signoff_id)
    try:
        _consume_nonce(conn, signoff, device_id, now)
        outcome = _check(conn, signoff, expected, reference_time=now, arriving=True, resign=resign)
    except Rejected as rejected:
        outcome = Outcome("failed", rejected.reason)
    record(conn, signoff_id, outcome, now)
    return outcome


def audit(conn, signoff_id: str, expected: Expected) -> Outcome:
    """Re-verify a stored sign-off from the database alone; writes nothing."""
    signoff = _signoff(conn, signoff_id)
    try:
        _check_consumed_nonce(conn, signoff, uploading_device(signoff))
        reference = as_utc(signoff["verified_at"]) or as_utc(signoff["created_at"])
        return _check(conn, signoff, expected, reference_time=reference)
    except Rejected as rejected:
        return Outcome("failed", rejected.reason)


def record(conn, signoff_id: str, outcome: Outcome, now: datetime) -> None:
    """Store the outcome; a verified assertion raises its credential's counter to the
    largest seen (assertions may arrive out of order: a lower one is no failure)."""
    verified = outcome.status == "verified"
    conn.execute(
        update(SignOff.__table__)
        .where(SignOff.id == signoff_id)
        .values(
            verification_status=outcome.status,
            verification_reason=outcome.reason,
            verified_at=now if verified else None,
        )
    )
    audit_log.record_many(
        conn,
        [
            {
                "action": "verify",
                "entity_type": SignOff.__tablename__,
                "entity_id": signoff_id,
                "user_id": None,
                "detail": {"status": outcome.status, "reason": outcome.reason},
            }
        ],
    )
    if verified and outcome.credential_pk is not None:
        table = WebAuthnCredential.__table__
        conn.execute(
            update(table)
            .where(table.c.id == outcome.credential_pk)
            .values(
                sign_count=case(
                    (table.c.sign_count < outcome.sign_count, outcome.sign_count),
                    else_=table.c.sign_count,
                ),
                last_used_at=now,
            )
        )


# -- V1: the nonce ---------------------------------------------------------------


def _nonce_row(conn, nonce) -> dict | None:
    row = conn.execute(
        select(SignoffNonce.__table__).where(SignoffNonce.nonce == str(nonce))
    ).first()
    return None if row is None else dict(row._mapping)


def _consume_nonce(conn, signoff: dict, device_id: str, now: datetime) -> None:
    """Single use: the first sign-off from the device the nonce was issued to takes it."""
    table = SignoffNonce.__table__
    taken = conn.execute(
        update(table)
        .where(
            table.c.nonce == signoff["nonce"],
            table.c.device_id == device_id,
            table.c.used_at.is_(None),
            table.c.expires_at > now,
        )
        .values(used_at=now, used_by_signoff_id=signoff["id"])
    ).rowcount
    if taken == 1:
        return
    row = _nonce_row(conn, signoff["nonce"])
    if row is None:
        raise Rejected("unknown_nonce")
    if row["device_id"] != device_id:
        raise Rejected("nonce_not_issued_to_device")
    if row["used_at"] is not None:
        raise Rejected("nonce_already_used")
    raise Rejected("nonce_expired", as_utc(row["expires_at"]).isoformat())


def _check_consumed_nonce(conn, signoff: dict, device_id: str | None) -> None:
    row = _nonce_row(conn, signoff["nonce"])
    if row is None:
        raise Rejected("unknown_nonce")
    if row["device_id"] != device_id:
        raise Rejected("nonce_not_issued_to_device")
    if row["used_by_signoff_id"] == signoff["id"]:
        return
    if row["used_by_signoff_id"] is not None:
        raise Rejected("nonce_already_used")
    if as_utc(row["expires_at"]) <= as_utc(signoff["created_at"]):
        raise Rejected("nonce_expired", as_utc(row["expires_at"]).isoformat())
    raise Rejected("nonce_not_consumed")


# -- V2–V5 -----------------------------------------------------------------------


def _check(
    conn,
    signoff: dict,
    expected: Expected,
    reference_time: datetime,
    arriving: bool = False,
    resign=None,
) -> Outcome:
    """V2–V5; `resign` only on arrival (an audit judges the content as it is now)."""
    signed, settlement = _signed_content(conn, signoff, resign)
    credential = _credential(conn, signoff, reference_time, arriving)
    count = _assertion(signoff, credential, signed, expected)
    return Outcome("verified", None, count, credential["id"], settlement)


def _signed_content(conn, signoff: dict, resign=None) -> tuple[bytes, object | None]:
    """V2: the signed content is what the server holds for the demonstration,
    or (on arrival) that content with the edits proposed since the last signing."""
    if signoff["content_version"] != CONTENT_VERSION:
        raise Rejected("unsupported_content_version", str(signoff["content_version"]))
    if not signoff["signed_content"]:
        raise Rejected("content_mismatch", "the sign-off carries no signed content")
    try:
        signed = signoff["signed_content"].encode("utf-8")
    except UnicodeEncodeError:
        raise Rejected("content_mismatch", "the signed content is not valid text") from None
    if hashlib.sha256(signed).hexdigest() != signoff["content_sha256"]:
        raise Rejected("content_mismatch", "content_sha256 is not the hash of the signed content")
    try:
        current = current_content(conn, signoff["demonstration_id"])
    except (ContentMissing, CanonicalError) as error:
        raise Rejected("content_mismatch", str(error)) from None
    if signed == current:
        return signed, None
    settlement = resign(signed) if resign is not None else None
    if settlement is None:
        raise Rejected("content_mismatch", "the demonstration differs from what was signed")
    return signed, settlement


def _credential(conn, signoff: dict, reference_time: datetime, arriving: bool) -> dict:
    """V3: a live credential of the named representative of the demonstration's
    employer, whose account is active when the sign-off arrives. (Re-checked
    later, a sign-off stays valid if it arrived before the account was
    deactivated: deactivation revokes the keys, and their revocation time says.)"""
    row = conn.execute(
        select(WebAuthnCredential.__table__).where(
            WebAuthnCredential.credential_id == signoff["credential_id"]
        )
    ).first()
    if row is None:
        raise Rejected("unknown_credential")
    credential = dict(row._mapping)
    revoked_at = as_utc(credential["revoked_at"])
    if revoked_at is not None and revoked_at <= reference_time:
        raise Rejected("credential_revoked", revoked_at.isoformat())
    named = conn.execute(
        select(
            EmployerContactPerson.employer_id,
            EmployerContactPerson.user_id,
            EmployerContactPerson.deleted,
        ).where(EmployerContactPerson.id == signoff["representative_id"])
    ).first()
    employer_id = conn.execute(
        select(WorkDemonstration.employer_id).where(
            WorkDemonstration.id == signoff["demonstration_id"]
        )
    ).scalar()
    if (
        named is None
        or named.deleted
        or named.employer_id != employer_id
        or named.user_id != credential["user_id"]
    ):
        raise Rejected("credential_not_of_representative")
    if arriving:
        active = conn.execute(select(User.active).where(User.id == credential["user_id"])).scalar()
        if not active:
            raise Rejected("representative_inactive")
    return credential


def _assertion(signoff: dict, credential: dict, signed: bytes, expected: Expected) -> int:
    """V4–V5: the WebAuthn assertion, bound to this origin, RP, challenge and key."""
    try:
        client_data = json.loads(base64url_to_bytes(signoff["client_data_json"]))
        auth_data = parse_authenticator_data(base64url_to_bytes(signoff["authenticator_data"]))
        base64url_to_bytes(signoff["signature"])
    except Exception as error:  # any decoding failure: the data is not an assertion
        raise Rejected("malformed_assertion", type(error).__name__) from None
    if not isinstance(client_data, dict) or client_data.get("type") != "webauthn.get":
        raise Rejected("malformed_assertion", "not a webauthn.get response")
    origin = client_data.get("origin")
    if origin not in expected.origins:
        raise Rejected("wrong_origin", str(origin))
    expected_challenge = challenge(signed, signoff["nonce"])
    if client_data.get("challenge") != bytes_to_base64url(expected_challenge):
        raise Rejected("challenge_mismatch")
    if auth_data.rp_id_hash != hashlib.sha256(expected.rp_id.encode()).digest():
        raise Rejected("wrong_rp_id")
    if not auth_data.flags.up:
        raise Rejected("no_user_presence")
    if not auth_data.flags.uv:
        raise Rejected("no_user_verification")
    if signoff["user_handle"] and signoff["user_handle"] != credential["user_handle"]:
        raise Rejected("user_handle_mismatch")
    try:
        verified = verify_authentication_response(
            credential={
                "id": signoff["credential_id"],
                "rawId": signoff["credential_id"],
                "type": "public-key",
                "response": {
                    "clientDataJSON": signoff["client_data_json"],
                    "authenticatorData": signoff["authenticator_data"],
                    "signature": signoff["signature"],
                    "userHandle": signoff["user_handle"],
                },
            },
            expected_challenge=expected_challenge,
            expected_rp_id=expected.rp_id,
            expected_origin=list(expected.origins),
            credential_public_key=credential["public_key"],
            # Offline sign-offs arrive in any order: the counter is not a replay
            # check here (the single-use nonce is), so a lower count must pass.
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except InvalidAuthenticationResponse as error:
        raise Rejected("invalid_signature", str(error)) from None
    return verified.new_sign_count
