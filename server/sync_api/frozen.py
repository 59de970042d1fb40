"""Which participants are frozen: erased (GDPR Art. 17), or their processing
restricted (Art. 18). The push refuses every change to their records at P5
(push_auth.py), beside its other refusals: a pending edit on a phone would
otherwise bring an erased record and its content back (sync/merge.py M7).
The device files the refusal in its attention list, so the coach is told.
"""

from sqlalchemy import exists, select, union_all

from server.models import Erasure, Participant, ProcessingRestriction

REFUSAL = {"participant_id": ["the participant's data is erased or its processing restricted"]}


def _frozen(participant_ids=None):
    erased = select(Erasure.participant_id)
    restricted = select(ProcessingRestriction.participant_id).where(
        ProcessingRestriction.lifted_at.is_(None)
    )
    if participant_ids is not None:
        erased = erased.where(Erasure.participant_id.in_(participant_ids))
        restricted = restricted.where(ProcessingRestriction.participant_id.in_(participant_ids))
    return union_all(erased, restricted)


class FrozenParticipants:
    """Asked per mutation by P5; reads once per push whether the organization
    has a frozen participant at all (nearly always not: nothing more is read),
    and then each participant once."""

    def __init__(self, connection, organization_id: int):
        self.conn = connection
        self.organization_id = organization_id
        self._any: bool | None = None
        self._known: dict[str, bool] = {}

    def any_of(self, participant_ids: set[str]) -> bool:
        if not participant_ids:
            return False
        if self._any is None:
            frozen = _frozen().subquery()
            self._any = self.conn.scalar(
                select(
                    exists().where(
                        Participant.id == frozen.c.participant_id,
                        Participant.organization_id == self.organization_id,
                    )
                )
            )
        if not self._any:
            return False
        unknown = participant_ids - self._known.keys()
        if unknown:
            found = set(self.conn.execute(_frozen(list(unknown))).scalars())
            self._known.update((i, i in found) for i in unknown)
        return any(self._known[i] for i in participant_ids)
