"""The fields of synced record types as the wire and the database take them.

Which fields a type has, and their validation, come from its registry entry
(server/records/registry.py) and its marshmallow schema, so a pushed value is
checked by the same rules as any other edge.
"""

from datetime import date, datetime
from functools import cache

import marshmallow
from marshmallow import ValidationError
from marshmallow.validate import Length, OneOf, Range
from sqlalchemy import Date, DateTime

from server.records.registry import SYNCED
from server.records.rules import field_errors
from sync.policy import TypePolicy


def _validator(record_type: str):
    """The record type's marshmallow fields, applied one by one.

    The same fields and rules as the schema, without the Schema machinery
    around them (hooks, nesting, partial bookkeeping), which a push pays for
    500 times per batch. Unknown fields never get here (TypePolicy.check).
    A value that is plainly valid (see `_plain_check`) skips marshmallow;
    anything else, and every error message, comes from marshmallow.
    """
    declared = SYNCED[record_type].schema().fields
    required = tuple(name for name, f in declared.items() if f.required)
    plain = {name: _plain_check(f) for name, f in declared.items()}
    # A push checks a new record's fields twice (P5, so a refused parent
    # cannot shelter a child, and P7): remember the verdict for the same
    # fields object. Holding the object keeps its id from being reused.
    recent: dict[tuple[int, bool], tuple[dict, dict]] = {}

    def validate(fields: dict, creating: bool) -> dict[str, list[str]]:
        key = (id(fields), creating)
        hit = recent.get(key)
        if hit is not None and hit[0] is fields:
            return hit[1]
        errors: dict[str, list[str]] = {}
        if creating:
            for name in required:
                if name not in fields:
                    errors[name] = ["Missing data for required field."]
        for name, value in fields.items():
            check = plain[name]
            if check is not None and check(value):
                continue
            try:
                declared[name].deserialize(value)
            except ValidationError as error:
                messages = error.messages
                errors[name] = messages if isinstance(messages, list) else [str(messages)]
        if len(recent) > 4096:
            recent.clear()
        recent[key] = (fields, errors)
        return errors

    return validate


def _plain_check(declared: marshmallow.fields.Field):
    """A quick test that accepts only values marshmallow surely accepts too:
    text within its length or choices, whole numbers (not booleans) within
    range, true/false, and null where allowed. None for fields whose rules
    are richer (dates, e-mail, custom checks): marshmallow always decides those."""
    kind, rules = type(declared), declared.validators
    allow_none = declared.allow_none
    if kind is marshmallow.fields.String:
        if not all(
            type(r) is OneOf or (type(r) is Length and r.min is None and r.equal is None)
            for r in rules
        ):
            return None
        limit = min((r.max for r in rules if type(r) is Length), default=None)
        choice_sets = [frozenset(r.choices) for r in rules if type(r) is OneOf]
        # A value must be in every OneOf: in their intersection.
        choices = frozenset.intersection(*choice_sets) if choice_sets else None

        def text(value) -> bool:
            if value is None:
                return allow_none
            return (
                type(value) is str
                and (limit is None or len(value) <= limit)
                and (choices is None or value in choices)
            )

        return text
    if kind is marshmallow.fields.Integer and declared.strict:
        if not all(type(r) is Range and r.min_inclusive and r.max_inclusive for r in rules):
            return None
        # Within every Range: above the highest minimum, below the lowest maximum.
        low = max((r.min for r in rules if r.min is not None), default=None)
        high = min((r.max for r in rules if r.max is not None), default=None)

        def whole(value) -> bool:
            if value is None:
                return allow_none
            return (
                type(value) is int
                and (low is None or value >= low)
                and (high is None or value <= high)
            )

        return whole
    if kind is marshmallow.fields.Boolean and not rules:
        return lambda value: allow_none if value is None else type(value) is bool
    return None


def record_defaults(record_type: str) -> dict:
    """The values a new record's absent fields take in the database (a
    column's plain default), so a rule judges a new record as it is stored."""
    table = SYNCED[record_type].table
    return {
        name: column.default.arg
        for name in SYNCED[record_type].writable
        if (column := table.c.get(name)) is not None
        and column.default is not None
        and column.default.is_scalar
    }


def _record_check(record_type: str):
    """M1b: the type's own-field rules (server/records/rules.py) on a merged record."""
    rules = SYNCED[record_type].record_rules
    if not rules:
        return None
    defaults = record_defaults(record_type)

    def check(fields: dict, written: frozenset, creating: bool) -> dict[str, list[str]]:
        merged = {**defaults, **fields} if creating else fields
        return field_errors(record_type, rules, merged, written, creating)

    return check


@cache
def policies() -> dict[str, TypePolicy]:
    return {
        name: TypePolicy(
            name, t.writable, t.append_only, _validator(name), check_record=_record_check(name)
        )
        for name, t in SYNCED.items()
    }


# Wire values are JSON: dates and times travel as ISO 8601 text.
@cache
def temporal_fields(record_type: str) -> tuple[str, ...]:
    columns = SYNCED[record_type].table.c
    temporal = (Date, DateTime)
    return tuple(n for n in SYNCED[record_type].fields if isinstance(columns[n].type, temporal))


@cache
def reference_targets(record_type: str) -> dict[str, str]:
    """Field -> the table its foreign key points at, for the fields that are references."""
    return {
        column.key: next(iter(column.foreign_keys)).column.table.name
        for column in SYNCED[record_type].table.columns
        if column.foreign_keys
    }


@cache
def row_columns(record_type: str) -> tuple[str, ...]:
    """The columns sync reads of a record: its fields, its sync bookkeeping and
    what its scope is decided by (not the audit timestamps, which cost a parse)."""
    table = SYNCED[record_type].table
    extra = ("id", "version", "deleted", "field_meta", "organization_id")
    return tuple(dict.fromkeys(n for n in (*extra, *SYNCED[record_type].fields) if n in table.c))


@cache
def _converters(record_type: str) -> dict:
    out = {}
    for column in SYNCED[record_type].table.columns:
        if isinstance(column.type, DateTime):
            out[column.key] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            out[column.key] = date.fromisoformat
    return out


def from_wire(record_type: str, fields: dict) -> dict:
    """The writable ones of wire field values, as the database columns take
    them (validated before); server-set fields are left out."""
    converters = _converters(record_type)
    writable = SYNCED[record_type].writable
    out = {}
    for name, value in fields.items():
        if name in writable:
            convert = converters.get(name)
            out[name] = convert(value) if convert is not None and value is not None else value
    return out
