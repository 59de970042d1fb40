"""W1b's re-signing (sync/resign.py, M9): the records a new sign-off covers,
their open "signed" conflicts, and the server's canonical content of a
candidate, read on the push's connection (after this push's own writes)."""

import json

from sqlalchemy import and_, or_, select

from server.models import Conflict, DemonstrationTask
from server.signoff.canonical import CanonicalError, text
from server.signoff.content import content_of_states
from server.sync_api.rows import Rows, state_of
from sync.conflicts import Conflict as SyncConflict
from sync.conflicts import ConflictValue
from sync.resign import Settlement, settle

DEMONSTRATION, TASK = "work_demonstration", "demonstration_task"
# What the canonical content reads (docs/signoff-canonical.md §1); conflicts
# on other fields take their latest proposal.
CONTENT_FIELDS = {
    DEMONSTRATION: frozenset(
        {"title", "demonstration_date", "overall_result", "recommendation"}
        | {"participant_id", "employer_id"}
    ),
    TASK: frozenset({"position", "task", "criteria", "result", "note"}),
}


def _conflict(row) -> SyncConflict:
    return SyncConflict(
        row.id,
        row.record_type,
        row.record_id,
        row.field,
        row.kind,
        tuple(ConflictValue(**v) for v in row.values),
        row.version,
        row.mutation_id,
    )


class Resigner:
    """For one demonstration: `__call__(signed)` is the settlement that makes
    the content `signed`, or None (memoized: V2 asks, then the write applies it)."""

    def __init__(self, rows: Rows, demonstration_id: str):
        self.rows = rows
        self.conn = rows.conn
        self.demonstration_id = demonstration_id
        self._found: dict[bytes, Settlement | None] = {}

    def __call__(self, signed: bytes) -> Settlement | None:
        if signed not in self._found:
            self._found[signed] = self._settle(signed)
        return self._found[signed]

    def _task_ids(self) -> list[str]:
        return list(
            self.conn.execute(
                select(DemonstrationTask.id).where(
                    DemonstrationTask.demonstration_id == self.demonstration_id
                )
            ).scalars()
        )

    def open_conflicts(self, task_ids: list[str] | None = None) -> list[SyncConflict]:
        """The open "signed" conflicts of the demonstration and its tasks."""
        task_ids = self._task_ids() if task_ids is None else task_ids
        table = Conflict.__table__
        return [
            _conflict(row)
            for row in self.conn.execute(
                select(table).where(
                    table.c.status == "open",
                    table.c.kind == "signed",
                    or_(
                        and_(
                            table.c.record_type == DEMONSTRATION,
                            table.c.record_id == self.demonstration_id,
                        ),
                        and_(table.c.record_type == TASK, table.c.record_id.in_(task_ids)),
                    ),
                )
            )
        ]

    def _settle(self, signed: bytes) -> Settlement | None:
        demo_key = (DEMONSTRATION, self.demonstration_id)
        task_ids = self._task_ids()
        states = {}
        for key in [demo_key, *((TASK, i) for i in task_ids)]:
            row = self.rows.reread(key)  # this push may have changed it (W1, W5)
            if row is not None:
                states[key] = state_of(key[0], row)
        if demo_key not in states:
            return None
        conflicts = self.open_conflicts(task_ids)
        return settle(
            states,
            conflicts,
            lambda trial: content_of_states(self.conn, self.demonstration_id, trial),
            signed,
            CONTENT_FIELDS,
            plausible_in(signed),
        )


# Where a field's value stands in the signed content (docs/signoff-canonical.md §2).
_DEMO_PATHS = {
    "title": ("title",),
    "demonstration_date": ("date",),
    "overall_result": ("overall_result",),
    "recommendation": ("recommendation",),
    "participant_id": ("participant", "id"),
    "employer_id": ("employer", "id"),
}


def plausible_in(signed: bytes):
    """Whether a value can be the one signed: a demonstration's field must
    equal its place in the content; a task's must be one of the signed tasks'
    values of that field. Only prunes: anything it cannot read is plausible."""
    try:
        content = json.loads(signed)
        tasks = content.get("tasks") or []
        task_values = {f: {t.get(f) for t in tasks} for f in ("task", "criteria", "result", "note")}
    except (ValueError, AttributeError, TypeError):
        return None

    def plausible(key, field, value) -> bool:
        try:
            as_signed = text(value.isoformat() if hasattr(value, "isoformat") else value)
            if key[0] == DEMONSTRATION and field in _DEMO_PATHS:
                found = content
                for step in _DEMO_PATHS[field]:
                    found = found[step]
                if field.endswith("_id") and as_signed is not None:
                    as_signed = as_signed.lower()
                return found == as_signed
            if key[0] == TASK and field in task_values:
                return as_signed in task_values[field]
        except (CanonicalError, KeyError, TypeError, AttributeError):
            pass
        return True

    return plausible
