"""Pushes that would change a frozen participant's records are refused before
they reach the sync store: an erased participant's (a pending edit on a phone
would otherwise bring the record and its content back, sync/merge.py M7) and
a restricted one's (GDPR Art. 18). The device files the refusal in its
attention list, so the coach is told.
"""

from collections import defaultdict

from sqlalchemy import exists, select, union_all
from sqlalchemy.orm import Session

from server.models import Erasure, Participant, ProcessingRestriction
from server.sync_api.participant_records import PARTICIPANT, linked_types
from sync.results import PushResult

REFUSAL = {"participant_id": ["the participant's data is erased or its processing restricted"]}

Key = tuple[str, str]


def _frozen(participant_ids=None):
    erased = select(Erasure.participant_id)
    restricted = select(ProcessingRestriction.participant_id).where(
        ProcessingRestriction.lifted_at.is_(None)
    )
    if participant_ids is not None:
        erased = erased.where(Erasure.participant_id.in_(participant_ids))
        restricted = restricted.where(ProcessingRestriction.participant_id.in_(participant_ids))
    return union_all(erased, restricted)


def _any_frozen(session: Session, organization_id: int) -> bool:
    frozen = _frozen().subquery()
    return session.scalar(
        select(
            exists().where(
                Participant.id == frozen.c.participant_id,
                Participant.organization_id == organization_id,
            )
        )
    )


def _participants_of(session: Session, records: dict[Key, dict]) -> dict[Key, set[str]]:
    """Each record's participant(s): by its parent field in the batch and as
    stored (a move away from a frozen participant is a change to it too).
    One query per record type and level of the parent chain."""
    types = {t.synced.name: t for t in linked_types()}
    found: dict[Key, set[str]] = defaultdict(set)
    frontier: dict[Key, set[Key]] = defaultdict(set)
    for key in records:
        frontier[key].add(key)
    for _level in range(len(types)):
        if not frontier:
            break
        stored: dict[Key, str] = {}
        by_type: dict[str, list[str]] = defaultdict(list)
        for record_type, record_id in frontier:
            if record_type != PARTICIPANT:
                by_type[record_type].append(record_id)
        for record_type, ids in by_type.items():
            table = types[record_type].synced.table
            column = table.c[types[record_type].parent_field]
            for record_id, parent_id in session.execute(
                select(table.c.id, column).where(table.c.id.in_(ids))
            ):
                stored[(record_type, record_id)] = parent_id
        upward: dict[Key, set[Key]] = defaultdict(set)
        for key, origins in frontier.items():
            record_type, record_id = key
            if record_type == PARTICIPANT:
                for origin in origins:
                    found[origin].add(record_id)
                continue
            linked = types[record_type]
            candidates = {stored.get(key), (records.get(key) or {}).get(linked.parent_field)}
            for parent_id in candidates:
                if isinstance(parent_id, str):
                    upward[(linked.parent_type, parent_id)] |= origins
        frontier = upward
    return found


def refuse_frozen(
    session: Session, organization_id: int, raw_mutations
) -> tuple[list, dict[int, PushResult]]:
    """The mutations to pass on, and a refusal (by position) for each one that
    would change a frozen participant's record. Costs one query unless the
    organization has an erased or restricted participant."""
    if not isinstance(raw_mutations, list) or not _any_frozen(session, organization_id):
        return raw_mutations, {}
    names = {t.synced.name for t in linked_types()}
    records: dict[Key, dict] = {}
    positions: dict[int, Key] = {}
    for i, raw in enumerate(raw_mutations):
        if not isinstance(raw, dict):
            continue
        record_type, record_id = raw.get("record_type"), raw.get("record_id")
        if record_type in names and isinstance(record_id, str):
            fields = raw.get("fields")
            records.setdefault((record_type, record_id), {}).update(
                fields if isinstance(fields, dict) else {}
            )
            positions[i] = (record_type, record_id)
    participants = _participants_of(session, records)
    every = set().union(*participants.values()) if participants else set()
    frozen = set(session.scalars(_frozen(list(every)))) if every else set()
    refused = {
        i: PushResult(
            raw_mutations[i].get("mutation_id")
            if isinstance(raw_mutations[i].get("mutation_id"), str)
            else None,
            "rejected",
            REFUSAL,
        )
        for i, key in positions.items()
        if participants.get(key, set()) & frozen
    }
    passed = [raw for i, raw in enumerate(raw_mutations) if i not in refused]
    return passed, refused


def merge_results(passed_results: list[PushResult], refused: dict[int, PushResult], total: int):
    """The store's results and the refusals, back in the batch's order."""
    out, rest = [], iter(passed_results)
    for i in range(total):
        out.append(refused[i] if i in refused else next(rest))
    return out
