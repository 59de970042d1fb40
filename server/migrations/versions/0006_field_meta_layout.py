"""field meta layout: stamps stored as a pull sends them, each write once

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 01:40:00

Before: {field: {"s": stamp, "d": device, "u": user, "v": version, "ds": …,
"sh": …}, "_deleted": {…}}, one object a field. After (sync.record.encode_meta):
{"s": {field: stamp}, "f": {field: i}, "w": [[device, user, version,
device_stamp, shared], …], "d": [stamp, i]}. The conversion is written out
here, not imported, so this migration keeps meaning what it meant when the
layout changes again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Every table of a synced record (SyncedMixin) at this revision.
TABLES = (
    "participants",
    "employers",
    "workplaces",
    "employer_contact_persons",
    "employer_contacts",
    "coaching_periods",
    "goals",
    "assessment_rounds",
    "assessments",
    "notes",
    "work_demonstrations",
    "demonstration_tasks",
    "signoffs",
    "coaching_vouchers",
    "meeting_events",
    "meeting_event_employers",
    "event_attendances",
    "review_returns",
    "recruitment_panels",
    "panelists",
    "panel_candidates",
    "panel_assessments",
)
DELETED = "_deleted"


def _new(old: dict) -> dict:
    stamps, index, writes = {}, {}, []

    def write_of(entry: dict) -> int:
        write = [entry["d"], entry["u"], entry["v"], entry.get("ds"), entry.get("sh", False)]
        if write not in writes:
            writes.append(write)
        return writes.index(write)

    out = {"s": stamps, "f": index, "w": writes}
    for name, entry in old.items():
        if name == DELETED:
            out["d"] = [entry["s"], write_of(entry)]
        else:
            stamps[name], index[name] = entry["s"], write_of(entry)
    return out


def _old(new: dict) -> dict:
    def entry(stamp: str, i: int) -> dict:
        device, user, version, device_stamp, shared = new["w"][i]
        out = {"s": stamp, "d": device, "u": user, "v": version}
        if device_stamp:
            out["ds"] = device_stamp
        if shared:
            out["sh"] = True
        return out

    old = {name: entry(new["s"][name], i) for name, i in new["f"].items()}
    if "d" in new:
        old[DELETED] = entry(*new["d"])
    return old


def _convert(convert, done) -> None:
    connection = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column("id", sa.String), sa.column("field_meta", sa.JSON))
        rows = connection.execute(sa.select(table.c.id, table.c.field_meta)).all()
        changed = [
            {"key": row.id, "meta": convert(row.field_meta)}
            for row in rows
            if row.field_meta and not done(row.field_meta)
        ]
        if changed:
            connection.execute(
                table.update()
                .where(table.c.id == sa.bindparam("key"))
                .values(field_meta=sa.bindparam("meta", type_=sa.JSON)),
                changed,
            )


def _is_new(meta: dict) -> bool:
    return isinstance(meta.get("w"), list)


def upgrade():
    _convert(_new, _is_new)


def downgrade():
    _convert(_old, lambda meta: not _is_new(meta))
