"""P5 (with push_auth.py): the record rules that look at other records — a
period's workplace belongs to its employer, a value unique in the
organization (server/records/rules.py) — checked before anything is written,
so one bad record is that mutation's `rejected`, naming its field and rule,
and never a database error that refuses the whole push.

The records a batch refers to and the values it claims are read once per
batch (one query per rule), then each mutation is judged against them and
against what earlier mutations of the batch made.
"""

from collections import defaultdict

from sqlalchemy import select, tuple_

from server.records.registry import SYNCED
from server.records.rules import lookup_errors, unique_key
from server.sync_api.rows import Rows


def _merged(row, m) -> dict:
    return {**(row or {}), **m.fields}


class RuleCheck:
    def __init__(self, rows: Rows, organization_id: int):
        self.rows = rows
        self.organization_id = organization_id
        # (record type, rule id) -> {unique key: record id}, stored and claimed in this batch.
        self._taken: dict[tuple[str, str], dict[tuple, str]] = {}

    def prepare(self, mutations, row_of) -> None:
        """Read what the batch's lookup rules need: the referred records and
        the stored holders of the values it claims."""
        refs = defaultdict(set)
        claims = defaultdict(set)
        for m in mutations:
            if m.op != "upsert":
                continue
            merged = _merged(row_of(m), m)
            for rule in SYNCED[m.record_type].record_rules:
                if rule["kind"] == "belongs_to" and merged.get(rule["field"]) is not None:
                    refs[rule["record"]].add(merged[rule["field"]])
                elif rule["kind"] == "unique" and (key := unique_key(rule, merged)) is not None:
                    claims[(m.record_type, rule["id"])].add(key)
        for record_type, ids in refs.items():
            self.rows.fetch(record_type, sorted(ids))
        for (record_type, rule_id), keys in claims.items():
            rule = next(r for r in SYNCED[record_type].record_rules if r["id"] == rule_id)
            self._taken[(record_type, rule_id)] = self._stored_holders(record_type, rule, keys)

    def _stored_holders(self, record_type: str, rule: dict, keys: set[tuple]) -> dict:
        # Tombstones too: the database's constraint counts them.
        table = SYNCED[record_type].table
        columns = [table.c[name] for name in (*rule.get("with", ()), rule["field"])]
        query = select(table.c.id, *columns).where(tuple_(*columns).in_(sorted(keys)))
        if "organization_id" in table.c:
            query = query.where(table.c.organization_id == self.organization_id)
        return {tuple(row[1:]): row[0] for row in self.rows.conn.execute(query)}

    def errors(self, m, row, pending) -> dict[str, list[str]]:
        """{field: [rule]} of the lookup rules `m` breaks; none for a delete."""
        if m.op != "upsert":
            return {}
        return lookup_errors(
            m.record_type,
            SYNCED[m.record_type].record_rules,
            _merged(row, m),
            m.record_id,
            m.fields,
            row is None,
            lambda t, i: self._find(t, i, pending),
            lambda rule, key: self._taken.get((m.record_type, rule["id"]), {}).get(key),
        )

    def claim(self, m, row) -> None:
        """An accepted mutation holds its unique values for the rest of the batch."""
        if m.op != "upsert":
            return
        merged = _merged(row, m)
        for rule in SYNCED[m.record_type].record_rules:
            if rule["kind"] == "unique" and (key := unique_key(rule, merged)) is not None:
                self._taken.setdefault((m.record_type, rule["id"]), {})[key] = m.record_id

    def _find(self, record_type: str, record_id: str, pending):
        key = (record_type, record_id)
        if key in pending:
            return pending[key]
        return self.rows.get(key)
