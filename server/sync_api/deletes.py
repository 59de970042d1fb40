"""Deletes at push: which are refused, and what follows one that is applied.

A delete is a tombstone (docs/sync-protocol.md M7). Before the batch reaches
the sync store, a delete the organization's records cannot lose is refused
as that mutation's `rejected`, naming why (the rest of the batch goes on):
a participant with recorded history, a signed work demonstration, an
assessment round with ratings (it is voided instead), a coaching period with
a voucher, an employer or a workplace that periods or demonstrations name.
Records the same
batch deletes first do not count. (A contact person linked to a login is
refused at P5 already, by its LoginLink hook: only an administrator deletes it.)

After the push, each record a delete left deleted takes its children with
it (the registry's `descendants`, and an event's attendances): they become
tombstones through the ORM (server/sync_api/server_edits.py stamps them
with the server's clock and puts them in the feed), so a child another
device added meanwhile does not outlive its parent at the desk or on phones.
"""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import (
    Assessment,
    CoachingPeriod,
    CoachingVoucher,
    SignOff,
    WorkDemonstration,
)
from server.records.registry import SYNCED, descendants
from sync.results import PushResult

# Children that follow a parent other than their scope parent: an event's attendances.
ALSO_FOLLOW: dict[str, tuple[tuple[str, str], ...]] = {
    "meeting_event": (("event_attendance", "event_id"),),
}

# The participant's records that make it "with history" (a return is the desk's).
HISTORY = tuple(
    t
    for t in SYNCED.values()
    if t.parent == ("participant_id", "participant") and t.name != "review_return"
)

REASONS = {
    "participant": "a participant with recorded history (periods, demonstrations, notes, "
    "event attendance) cannot be deleted",
    "signed": "signed work-demonstration content cannot be deleted",
    "round": "an assessment round with ratings cannot be deleted; void it with a reason",
    "voucher": "a coaching period with a coaching voucher cannot be deleted",
    "employer": "an employer named by coaching periods or work demonstrations cannot be deleted",
    "workplace": "a workplace named by coaching periods or work demonstrations cannot be deleted",
}

Key = tuple[str, str]


def _deletes(raw_mutations) -> dict[int, Key]:
    out = {}
    for i, raw in enumerate(raw_mutations):
        if (
            isinstance(raw, dict)
            and raw.get("op") == "delete"
            and isinstance(raw.get("record_type"), str)
            and isinstance(raw.get("record_id"), str)
        ):
            out[i] = (raw["record_type"], raw["record_id"])
    return out


def _living(session: Session, model, column: str, ids, gone: set[Key], name: str) -> set[str]:
    """Values of `column` among living `model` rows whose column is in `ids`,
    leaving out the rows this batch deletes."""
    if not ids:
        return set()
    rows = session.execute(
        select(model.id, getattr(model, column)).where(
            getattr(model, column).in_(list(ids)), model.deleted.is_(False)
        )
    )
    return {owner for row_id, owner in rows if (name, row_id) not in gone}


def _signed(session: Session, demonstration_ids) -> set[str]:
    if not demonstration_ids:
        return set()
    return set(
        session.scalars(
            select(SignOff.demonstration_id).where(
                SignOff.demonstration_id.in_(list(demonstration_ids)),
                SignOff.verification_status != "failed",
                SignOff.deleted.is_(False),
            )
        )
    )


def _refusals(session: Session, deletes: dict[int, Key]) -> dict[Key, str]:
    gone = set(deletes.values())
    ids: dict[str, set[str]] = defaultdict(set)
    for record_type, record_id in gone:
        ids[record_type].add(record_id)
    out: dict[Key, str] = {}

    def refuse(record_type: str, found: set[str], reason: str) -> None:
        for record_id in found:
            out.setdefault((record_type, record_id), REASONS[reason])

    with_history: set[str] = set()
    for t in HISTORY:
        owners = ids["participant"]
        with_history |= _living(session, t.model, "participant_id", owners, gone, t.name)
    refuse("participant", with_history, "participant")

    # A task of a signed demonstration may go: the demonstration then needs a
    # new sign-off (sync/resign.py), like any edit of signed content.
    signed = _signed(session, ids["work_demonstration"])
    refuse("work_demonstration", ids["work_demonstration"] & signed, "signed")

    rated = _living(session, Assessment, "round_id", ids["assessment_round"], gone, "assessment")
    refuse("assessment_round", rated, "round")
    vouchers = _living(
        session, CoachingVoucher, "period_id", ids["coaching_period"], gone, "coaching_voucher"
    )
    refuse("coaching_period", vouchers, "voucher")
    employers = ids["employer"]
    named = _living(session, CoachingPeriod, "employer_id", employers, gone, "coaching_period")
    named |= _living(
        session, WorkDemonstration, "employer_id", employers, gone, "work_demonstration"
    )
    refuse("employer", named, "employer")
    workplaces = ids["workplace"]
    used = _living(session, CoachingPeriod, "workplace_id", workplaces, gone, "coaching_period")
    used |= _living(
        session, WorkDemonstration, "workplace_id", workplaces, gone, "work_demonstration"
    )
    refuse("workplace", used, "workplace")
    return out


def refuse_deletes(session: Session, raw_mutations) -> tuple[list, dict[int, PushResult]]:
    """The mutations to pass on, and a refusal (by position) for each delete
    the rules above do not allow. No query when the batch deletes nothing."""
    if not isinstance(raw_mutations, list):
        return raw_mutations, {}
    deletes = _deletes(raw_mutations)
    if not deletes:
        return raw_mutations, {}
    reasons = _refusals(session, deletes)
    refused = {
        i: PushResult(
            raw_mutations[i].get("mutation_id")
            if isinstance(raw_mutations[i].get("mutation_id"), str)
            else None,
            "rejected",
            {"op": [reasons[key]]},
        )
        for i, key in deletes.items()
        if key in reasons
    }
    return [raw for i, raw in enumerate(raw_mutations) if i not in refused], refused


def merge_results(passed_results: list[PushResult], refused: dict[int, PushResult], total: int):
    """The store's results and the refusals, back in the batch's order."""
    out, rest = [], iter(passed_results)
    for i in range(total):
        out.append(refused[i] if i in refused else next(rest))
    return out


def children() -> dict[str, list[list[str]]]:
    """Each synced type's direct followers, [child type, field naming the parent]:
    the app deletes them with their parent, as `cascade` does here."""
    out: dict[str, list[list[str]]] = {}
    for t in SYNCED.values():
        if t.parent is not None:
            out.setdefault(t.parent[1], []).append([t.name, t.parent[0]])
    for parent, followers in ALSO_FOLLOW.items():
        out.setdefault(parent, []).extend([child, fk] for child, fk in followers)
    return out


def _children(record_type: str) -> list[tuple[str, str, str]]:
    """(child type, its field naming the parent, parent type), at any depth, parents first."""
    out = [(t.name, t.parent[0], t.parent[1]) for t in descendants(record_type)]
    for parent in [record_type, *(c for c, _f, _p in out)]:
        out += [(child, fk, parent) for child, fk in ALSO_FOLLOW.get(parent, ())]
    return out


def cascade(session: Session, raw_mutations, results) -> int:
    """Tombstone the living children of each record a delete of this push left
    deleted; returns how many. Runs in the push's transaction, before commit."""
    deleted: dict[str, set[str]] = defaultdict(set)
    for raw, result in zip(raw_mutations or [], results, strict=False):
        if (
            isinstance(raw, dict)
            and raw.get("op") == "delete"
            and result.status in ("applied", "conflict")
            and raw.get("record_type") in SYNCED
        ):
            deleted[raw["record_type"]].add(raw["record_id"])
    if not deleted:
        return 0
    for record_type, ids in list(deleted.items()):
        model = SYNCED[record_type].model
        still = session.scalars(select(model.id).where(model.id.in_(list(ids)), model.deleted))
        deleted[record_type] = set(still)
    count = 0
    for root in list(deleted):
        for child, fk, parent in _children(root):
            parents = deleted.get(parent)
            if not parents:
                continue
            model = SYNCED[child].model
            rows = session.scalars(
                select(model)
                .where(getattr(model, fk).in_(list(parents)), model.deleted.is_(False))
                .execution_options(populate_existing=True)
            ).all()
            for row in rows:
                row.deleted = True
                deleted[child].add(row.id)
            count += len(rows)
    if count:
        session.flush()
    return count
