"""Record rules: what must hold across a record's fields, and between a record
and others (its workplace's employer, a value unique in the organization).

Written once, as data: the registry names each type's rules
(server/records/registry.py), the push checks them (fields: P7 through the
type's sync policy; lookups: P5), `flask records check` reports stored rows
that break them, and the coach's app receives the same data in
pwa/js/generated/rules.js and checks them in pwa/js/validate.js before it
saves. tests/vectors/app_rules.json runs one table of cases through both.

A rule is a dict: `id` (its name in messages and translations: the app's
`rule.<id>`), `kind`, `field` (where the error shows) and the kind's own keys:

- not_before: `field` is not an earlier date than `other`.
- when_set: while `when` has a value, `field` is one of `choices`.
- requires_true: while `when` is true, `field` is true too.
- min_age: `field` is a birth year at most `years` before this year.
- belongs_to: the `record` that `field` refers to has `via` equal to this
  record's `same_as` (a workplace of the period's employer).
- unique: no other record of the type has the same `field` and `with` values
  (in the organization: a device and the server look only inside it).

A rule is checked when a record is created, or when an edit writes one of the
fields it names (`rule_fields`), so a stored row that breaks one does not
block an unrelated edit; the check command reports it instead. Errors read
"<id>: <what must hold>", so they name both the field (their key) and the rule.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import UniqueConstraint

# Fields a database row holds that no device writes: left out of uniqueness.
_SERVER_SCOPE = ("organization_id",)

MESSAGES = {
    "not_before": "must not be before {other}",
    "when_set": "must be one of {choices} when {when} is set",
    "requires_true": "must be true when {when} is true",
    "min_age": "must be a year at most {years} years ago ({latest})",
    "belongs_to": "must be a {record} whose {via} is this record's {same_as}",
    "unique": "another {record} already has this {fields}",
}
LOOKUP_KINDS = frozenset({"belongs_to", "unique"})


def rule_fields(rule: Mapping) -> tuple[str, ...]:
    """The record's own fields a rule reads: an edit of any of them checks it."""
    names = [rule["field"]]
    for key in ("other", "when", "same_as"):
        if key in rule:
            names.append(rule[key])
    names.extend(rule.get("with", ()))
    return tuple(names)


def applies(rule: Mapping, written: Iterable[str], creating: bool) -> bool:
    return creating or not set(rule_fields(rule)).isdisjoint(written)


def message(rule: Mapping, record_type: str, today: date | None = None) -> str:
    """The English error, "<rule id>: <what must hold>"."""
    kind = rule["kind"]
    values = {**rule, "record": rule.get("record", record_type)}
    if kind == "when_set":
        values["choices"] = ", ".join(rule["choices"])
    if kind == "min_age":
        values["latest"] = latest_birth_year(rule, today or date.today())
    if kind == "unique":
        values["fields"] = " and ".join((*rule.get("with", ()), rule["field"]))
    return f"{rule['id']}: {MESSAGES[kind].format(**values)}"


def latest_birth_year(rule: Mapping, today: date) -> int:
    return today.year - rule["years"]


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def field_rule_holds(rule: Mapping, fields: Mapping[str, Any], today: date) -> bool:
    """A rule that reads the record's own fields only; lookup rules hold here
    (their own functions decide). Values are wire values or the database's."""
    kind = rule["kind"]
    value = fields.get(rule["field"])
    if kind == "not_before":
        mine, other = _date(value), _date(fields.get(rule["other"]))
        return mine is None or other is None or mine >= other
    if kind == "when_set":
        return fields.get(rule["when"]) is None or value in rule["choices"]
    if kind == "requires_true":
        return fields.get(rule["when"]) is not True or value is True
    if kind == "min_age":
        return type(value) is not int or value <= latest_birth_year(rule, today)
    if kind in LOOKUP_KINDS:
        return True
    raise ValueError(f"unknown rule kind {kind!r}")


def field_errors(
    record_type: str,
    rules: Iterable[Mapping],
    fields: Mapping[str, Any],
    written: Iterable[str],
    creating: bool,
    today: date | None = None,
) -> dict[str, list[str]]:
    """{field: [message]} of the record's own-field rules an edit breaks."""
    today = today or date.today()
    written = set(written)
    errors: dict[str, list[str]] = {}
    for rule in rules:
        if rule["kind"] in LOOKUP_KINDS or not applies(rule, written, creating):
            continue
        if not field_rule_holds(rule, fields, today):
            errors.setdefault(rule["field"], []).append(message(rule, record_type, today))
    return errors


def belongs_to_holds(
    rule: Mapping, fields: Mapping[str, Any], find: Callable[[str, str], Mapping | None]
) -> bool:
    """`find(type, id)` gives the referred record's fields (None: not known
    here; whether it exists is the reference check's question, not this rule's)."""
    target_id = fields.get(rule["field"])
    if target_id is None:
        return True
    target = find(rule["record"], target_id)
    return target is None or target.get(rule["via"]) == fields.get(rule["same_as"])


def unique_key(rule: Mapping, fields: Mapping[str, Any]) -> tuple | None:
    """The values that must be unique together; None when one is not set."""
    key = tuple(fields.get(name) for name in (*rule.get("with", ()), rule["field"]))
    return None if any(v is None for v in key) else key


def lookup_errors(
    record_type: str,
    rules: Iterable[Mapping],
    fields: Mapping[str, Any],
    record_id: str,
    written: Iterable[str],
    creating: bool,
    find: Callable[[str, str], Mapping | None],
    holder: Callable[[Mapping, tuple], str | None],
) -> dict[str, list[str]]:
    """{field: [message]} of the rules that look at other records: `find` as
    in belongs_to_holds; `holder(rule, key)` the id of a record holding those
    unique values (None: free). The lookups differ (the server's rows, the
    device's store); the rules and verdicts do not."""
    written = set(written)
    errors: dict[str, list[str]] = {}
    for rule in rules:
        if rule["kind"] not in LOOKUP_KINDS or not applies(rule, written, creating):
            continue
        if rule["kind"] == "belongs_to":
            holds = belongs_to_holds(rule, fields, find)
        else:
            key = unique_key(rule, fields)
            owner = None if key is None else holder(rule, key)
            holds = owner is None or owner == record_id
        if not holds:
            errors.setdefault(rule["field"], []).append(message(rule, record_type))
    return errors


def unique_rules(record_type: str, table) -> list[dict]:
    """The table's unique constraints as rules (the database enforces them;
    a device and the push check them first, so a clash names its field)."""
    out = []
    groups = [
        [c.key for c in constraint.columns]
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    groups += [[c.key] for c in table.columns if c.unique]
    for columns in groups:
        own = [c for c in columns if c not in _SERVER_SCOPE]
        if own:
            rule = {"id": f"unique_{record_type}", "kind": "unique", "field": own[-1]}
            if own[:-1]:
                rule["with"] = own[:-1]
            out.append(rule)
    return out
