"""Bearer endpoints for signing offline (issue 5; docs/signoff-canonical.md §5).

While online, a coach's device fetches the signers of the employers in its
user's caseload (so it can ask for exactly that person's key with no network)
and tops up its pool of single-use nonces (each bound to this device).
"""

import secrets
from datetime import UTC, timedelta

from flask import current_app, g, jsonify, request
from sqlalchemy import insert, select, union

from server.auth.policy import allowed
from server.errors import json_error
from server.extensions import csrf, db
from server.models import (
    CoachingPeriod,
    Employer,
    EmployerContactPerson,
    Participant,
    SignoffNonce,
    User,
    WebAuthnCredential,
    WorkDemonstration,
)
from server.models.base import utcnow
from server.sync_api.blueprint import bp
from server.sync_api.clock import now_ms
from server.sync_api.devices import device_required

MAX_POOL = 20
DEFAULT_POOL = 10
NONCE_LIFETIME = timedelta(days=30)
# A nonce with less than this left is no longer handed out as part of the pool
# (its sign-off might not reach the server in time); it stays valid until it expires.
NONCE_MARGIN = timedelta(days=1)


def _may_sign() -> bool:
    """Sign-offs are records a coach (or supervisor) pushes for their caseload."""
    return allowed(g.user, "demonstrations", "write")


def signer_employer_ids(user: User):
    """SELECT of the employers whose signers `user`'s device may cache: a coach's,
    those of the periods and demonstrations in their caseload; a supervisor's,
    their organization's. Always inside the user's organization."""
    in_org = select(Employer.id).where(
        Employer.organization_id == user.organization_id, Employer.deleted.is_(False)
    )
    if user.role != "coach":
        return in_org
    caseload = select(Participant.id).where(
        Participant.coach_id == user.id, Participant.deleted.is_(False)
    )
    used = union(
        select(CoachingPeriod.employer_id).where(
            CoachingPeriod.participant_id.in_(caseload), CoachingPeriod.deleted.is_(False)
        ),
        select(WorkDemonstration.employer_id).where(
            WorkDemonstration.participant_id.in_(caseload), WorkDemonstration.deleted.is_(False)
        ),
    )
    return in_org.where(Employer.id.in_(used))


def signers_of(user: User) -> list[dict]:
    people = db.session.scalars(
        select(EmployerContactPerson)
        .join(User, User.id == EmployerContactPerson.user_id)
        .where(
            EmployerContactPerson.employer_id.in_(signer_employer_ids(user)),
            EmployerContactPerson.deleted.is_(False),
            User.role == "employer_rep",
            User.active.is_(True),
        )
        .order_by(EmployerContactPerson.name, EmployerContactPerson.id)
    ).all()
    keys: dict[int, list[dict]] = {}
    if people:
        for c in db.session.scalars(
            select(WebAuthnCredential)
            .where(
                WebAuthnCredential.user_id.in_({p.user_id for p in people}),
                WebAuthnCredential.revoked_at.is_(None),
            )
            .order_by(WebAuthnCredential.created_at, WebAuthnCredential.id)
        ):
            keys.setdefault(c.user_id, []).append(
                {"id": c.credential_id, "transports": list(c.transports or [])}
            )
    return [
        {
            "representative_id": p.id,
            "name": p.name,
            "employer_id": p.employer_id,
            "credentials": keys.get(p.user_id, []),
        }
        for p in people
    ]


@bp.get("/signers")
@csrf.exempt
@device_required
def list_signers():
    """The representatives who may sign for the employers in the user's caseload, with
    the ids and transports of their live credentials (an empty list: no key yet)."""
    if not _may_sign():
        db.session.commit()
        return json_error(403, "this user does not collect sign-offs")
    signers = signers_of(g.user)
    db.session.commit()
    return jsonify(signers=signers, server_time_ms=now_ms())


@bp.post("/nonces")
@csrf.exempt
@device_required
def top_up_nonces():
    """Top the device's pool of unused nonces up to `count` (at most 20) and return
    the whole pool: a device that lost its copy gets it back."""
    if not _may_sign():
        db.session.commit()
        return json_error(403, "this user does not collect sign-offs")
    body = request.get_json(silent=True)
    if body is not None and not isinstance(body, dict):
        db.session.commit()
        return json_error(422, "invalid nonce request", {"count": ["send a JSON object"]})
    count = DEFAULT_POOL if not body or "count" not in body else body["count"]
    if isinstance(count, float) and count.is_integer():
        count = int(count)  # JSON's 3.0 is the integer 3 (JSON Schema says so too)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_POOL:
        db.session.commit()
        return json_error(
            422, "invalid nonce request", {"count": [f"must be an integer from 1 to {MAX_POOL}"]}
        )
    now = utcnow()
    lifetime = current_app.config.get("SIGNOFF_NONCE_LIFETIME", NONCE_LIFETIME)
    pool = _pool(g.device.id, now)
    fresh = [
        {
            "nonce": secrets.token_bytes(32).hex(),
            "device_id": g.device.id,
            "issued_at": now,
            "expires_at": now + lifetime,
        }
        for _ in range(max(0, count - len(pool)))
    ]
    if fresh:
        db.session.execute(insert(SignoffNonce.__table__), fresh)
        pool = _pool(g.device.id, now)
    db.session.commit()
    return jsonify(
        nonces=[{"nonce": n.nonce, "expires_at": _iso(n.expires_at)} for n in pool],
        server_time_ms=now_ms(),
    )


def _pool(device_id: str, now) -> list:
    return db.session.execute(
        select(SignoffNonce.nonce, SignoffNonce.expires_at)
        .where(
            SignoffNonce.device_id == device_id,
            SignoffNonce.used_at.is_(None),
            SignoffNonce.expires_at > now + NONCE_MARGIN,
        )
        .order_by(SignoffNonce.expires_at, SignoffNonce.nonce)
    ).all()


def _iso(moment) -> str:
    # SQLite gives naive datetimes for timezone-aware columns; they are UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
