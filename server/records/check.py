"""`flask --app server records check`: list the stored records that break a
record rule (server/records/rules.py) — rows written before the rules held,
or by a path that skipped them. It reports and changes nothing: a coach or
supervisor decides what the right value is. Exits 1 when it found any.

The same rule functions as the push, with every rule applied (as to a new
record); tombstones are left out, as the figures leave them out.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from server.extensions import db
from server.records.registry import SYNCED
from server.records.rules import field_errors, lookup_errors, rule_fields, unique_key


class Finding(NamedTuple):
    record_type: str
    record_id: str
    organization_id: int | None
    field: str
    message: str


def _rows(conn, record_type: str):
    table = SYNCED[record_type].table
    return conn.execute(select(table).where(table.c.deleted.is_(False))).mappings()


def findings(conn, today: date | None = None) -> Iterator[Finding]:
    """Every broken rule of every living synced record, type by type."""
    today = today or date.today()
    for record_type, t in SYNCED.items():
        if t.record_rules:
            yield from _type_findings(conn, record_type, t.record_rules, today)


def _type_findings(conn, record_type: str, rules, today: date) -> Iterator[Finding]:
    rows = [dict(r) for r in _rows(conn, record_type)]
    targets = {r["record"] for r in rules if r["kind"] == "belongs_to"}
    found = {target: {row["id"]: dict(row) for row in _rows(conn, target)} for target in targets}
    # Who holds each unique value, per organization where the type has one.
    holders: dict[tuple, list[str]] = defaultdict(list)
    for rule in (r for r in rules if r["kind"] == "unique"):
        for row in rows:
            if (key := unique_key(rule, row)) is not None:
                holders[(rule["id"], row.get("organization_id"), key)].append(row["id"])

    def find(target: str, target_id: str):
        return found[target].get(target_id)

    # Every rule applies, as to a new record.
    written = {name for rule in rules for name in rule_fields(rule)}
    for row in rows:
        org = row.get("organization_id")

        def holder(rule, key, row=row, org=org):
            others = [i for i in holders[(rule["id"], org, key)] if i != row["id"]]
            return others[0] if others else None

        errors = field_errors(record_type, rules, row, written, True, today)
        errors.update(
            lookup_errors(record_type, rules, row, row["id"], written, True, find, holder)
        )
        for field, messages in sorted(errors.items()):
            for text in messages:
                yield Finding(record_type, row["id"], org, field, text)


@click.group("records")
def records():
    """The records themselves: checks over what is stored."""


@records.command("check")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Judge ages on this day.")
@with_appcontext
def check(today):
    """List the stored records that break a record rule; change nothing."""
    count = 0
    with db.engine.connect() as conn:
        for f in findings(conn, today.date() if today else None):
            count += 1
            where = f" (organization {f.organization_id})" if f.organization_id else ""
            click.echo(f"{f.record_type} {f.record_id}{where}: {f.field}: {f.message}")
        conn.rollback()
    click.echo(f"{count} record rule{'s' if count != 1 else ''} broken")
    if count:
        raise SystemExit(1)
