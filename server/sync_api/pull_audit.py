"""The audit event of a pull: who received which participants' records, on which device.

Counted from the page the pull is about to send (not from the feed rows behind
it), so what is logged is what left the server: each record's type and whose
data it is come with the page (`PullPage.sent`, from the scope the pull's own
check at read, L3b, resolved), so logging parses nothing and asks the database
nothing more. One event per pull page that carries records, written in one
insert with the pull's read transaction; an empty pull discloses nothing and
writes nothing, so it stays as cheap as before.
"""

from collections import Counter

from server import audit


def record(
    connection,
    user_id: int,
    device_id: str,
    sent: list[tuple[str, str | None]],
    removals: int,
):
    """Add the pull's audit event (action "sync_pull") on `connection`;
    `sent`: (record type, participant id or None) of each record in the page."""
    if not sent:
        return
    per_participant = Counter(owner for _, owner in sent if owner is not None)
    audit.record_many(
        connection,
        [
            {
                "action": "sync_pull",
                "entity_type": "participants",
                "entity_id": None,
                "user_id": user_id,
                "detail": {
                    "device": device_id,
                    "records": len(sent),
                    "participants": dict(per_participant),
                    # Records about no participant: employers, their contact people, events.
                    "other_records": len(sent) - sum(per_participant.values()),
                    "record_types": dict(Counter(record_type for record_type, _ in sent)),
                    "removals": removals,
                },
            }
        ],
    )
