"""W6: a participant's consent to share their name with the employer side changed.

A representative's pull renders the fields that name a participant (registry
hook NamesParticipant: a sign-off's signed text, its hash, its challenge)
only while that participant consents (render.py). Their devices already
hold what earlier pulls sent, so when the consent changes, every such record
under the participant gets a change row with its current scope: at its next
pull each employer-side device that holds one receives it again, rendered
by the consent as it is now (withdrawn: without the name). Coaches' and
supervisors' devices receive the same record unchanged.
"""

from functools import cache

from server.records.hooks import NamesParticipant
from server.records.registry import SYNCED
from server.sync_api.feed import feed_row
from server.sync_api.scopes import ScopeResolver, records_under

PARTICIPANT = "participant"


@cache
def consent_fields() -> frozenset[str]:
    """The participant's fields a change of which is a change of consent."""
    return frozenset(
        hook.consent for t in SYNCED.values() if (hook := t.hook(NamesParticipant)) is not None
    )


@cache
def _named_types() -> frozenset[str]:
    return frozenset(name for name, t in SYNCED.items() if t.hook(NamesParticipant) is not None)


def changed(before: dict | None, after: dict) -> bool:
    """Whether a participant's stored fields (`before`; None: new) and its new
    ones differ in consent. A new participant has nothing on any device yet."""
    if not before:
        return False
    return any(bool(before.get(f)) != bool(after.get(f)) for f in consent_fields() if f in after)


def rows(connection, participant_ids, resolver: ScopeResolver) -> list[dict]:
    """A change row for each record under these participants that names them."""
    out = []
    for participant_id in participant_ids:
        for key in records_under(connection, PARTICIPANT, participant_id):
            if key[0] in _named_types() and (scope := resolver.of_id(*key)) is not None:
                out.append(feed_row(*key, 0, scope))
    return out
