"""The rules the coach's app reads (pwa/js/generated/rules.js) are the
server's: the committed file is what the server builds, and the shared cases
in tests/vectors/app_rules.json get the same verdicts from the server's
schemas and dates here as from the app's code in node (tests/js/app-rules.test.mjs)."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from marshmallow import ValidationError

from server import app_rules
from server.due import add_months, follow_up_due, latest_end_due, round_due
from server.records.registry import TYPES

ROOT = Path(__file__).parents[2]
CASES = json.loads((ROOT / "tests" / "vectors" / "app_rules.json").read_text("utf-8"))
RULES = app_rules.build()


def test_committed_rules_are_the_servers():
    committed = app_rules.RULES_FILE.read_text("utf-8")
    assert committed == app_rules.render(), (
        "the server's rules changed: run `flask --app server export-app-rules` and commit "
        "pwa/js/generated/rules.js"
    )


def test_every_record_field_has_a_rule():
    for record_type, schema in ((name, t.schema) for name, t in TYPES.items()):
        assert set(RULES["fields"][record_type]) == set(schema().fields), record_type


def test_a_check_the_app_lacks_stops_the_export():
    from marshmallow import fields, validate

    field = fields.String(validate=validate.Regexp(r"^\d+$"))
    with pytest.raises(ValueError, match=r"note\.body: the app has no check"):
        app_rules.field_rule("note", "body", field)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_vocabulary_value_has_its_label(language):
    labels = RULES["labels"][language]
    missing = [
        f"{name}.{value}"
        for name, values in RULES["vocabularies"].items()
        if name in app_rules.LABEL_PREFIXES
        for value in values
        if f"{name}.{value}" not in labels
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_app_does_not_keep_its_own_copy_of_the_servers_labels(language):
    """The app takes these labels from generated/rules.js; a copy in its catalog would be
    shadowed and could only drift (as `contact_kind.meeting_event` had)."""
    app = json.loads((ROOT / "pwa" / "locales" / f"{language}.json").read_text("utf-8"))
    assert sorted(set(app) & set(RULES["labels"][language])) == []


@pytest.mark.parametrize("case", CASES["validation"], ids=lambda c: c["name"])
def test_the_server_refuses_the_shared_cases(case):
    try:
        TYPES[case["type"]].schema().load(case["fields"], partial=not case["creating"])
        refused = []
    except ValidationError as error:
        refused = sorted(error.messages)
    assert refused == case["errors"]


@pytest.mark.parametrize("case", CASES["round_due"], ids=lambda c: c["last"])
def test_round_due_dates(case):
    assert round_due(date.fromisoformat(case["last"])).isoformat() == case["due"]


@pytest.mark.parametrize("case", CASES["follow_up_due"], ids=lambda c: f"{c['end']}+{c['months']}")
def test_follow_up_due_dates(case):
    due = follow_up_due(date.fromisoformat(case["end"]), case["months"])
    assert due.isoformat() == case["due"]


def test_latest_end_due_matches_the_due_dates_on_every_day():
    """The desk's list query compares end dates with latest_end_due(today); the
    period page computes follow_up_due(end): the same verdict on every day of two
    years around a leap February."""
    start = date(2027, 10, 1)
    ends = [start + timedelta(days=n) for n in range(600)]
    for months in (3, 6):
        dues = [follow_up_due(end, months) for end in ends]
        for today in (start + timedelta(days=n) for n in range(90, 800, 1)):
            cutoff = latest_end_due(today, months)
            for end, due in zip(ends, dues, strict=True):
                assert (due <= today) == (end <= cutoff), (end, today, months)


def test_add_months_goes_both_ways():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 13) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@pytest.fixture
def db_backend():
    return "sqlite"  # the command reads no database


def test_the_command_writes_the_file_only_when_it_changes(app, tmp_path, monkeypatch):
    target = tmp_path / "generated" / "rules.js"
    monkeypatch.setattr(app_rules, "RULES_FILE", target)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["export-app-rules"])
    assert first.exit_code == 0 and first.output.startswith("Wrote")
    assert target.read_text("utf-8") == app_rules.render()
    second = runner.invoke(args=["export-app-rules"])
    assert second.exit_code == 0 and second.output.startswith("Up to date")


RECORD_CASES = json.loads((ROOT / "tests" / "vectors" / "record_rules.json").read_text("utf-8"))


@pytest.mark.parametrize("case", RECORD_CASES["cases"], ids=lambda c: c["name"])
def test_the_record_rules_give_the_shared_verdicts(case):
    """The server's rule functions on the shared table; the lookups read the
    case's records as the push reads rows (server/sync_api/push_rules.py)."""
    from server.records.rules import field_errors, lookup_errors, unique_key
    from server.sync_api.fields import record_defaults

    record_type, creating = case["type"], case["current"] is None
    try:
        TYPES[record_type].schema().load(case["changes"], partial=not creating)
        refused = set()
    except ValidationError as error:
        refused = set(error.messages)
    merged = {**(record_defaults(record_type) if creating else case["current"]), **case["changes"]}
    records = case["records"]
    rules = TYPES[record_type].record_rules

    def find(target_type, target_id):
        return next(
            (r["fields"] for r in records.get(target_type, []) if r["id"] == target_id), None
        )

    def holder(rule, key):
        for r in records.get(record_type, []):
            if unique_key(rule, r["fields"]) == key:
                return r["id"]
        return None

    today = date.fromisoformat(case["today"])
    written = case["changes"].keys()
    refused |= set(field_errors(record_type, rules, merged, written, creating, today))
    refused |= set(
        lookup_errors(record_type, rules, merged, case["id"], written, creating, find, holder)
    )
    assert sorted(refused) == case["errors"]


def test_every_rule_is_exported_and_translated():
    exported = {r["id"] for entry in RULES["records"].values() for r in entry["rules"]}
    assert exported == {r["id"] for t in TYPES.values() if t.synced for r in t.record_rules}
    for language in ("fi", "sv", "en"):
        app = json.loads((ROOT / "pwa" / "locales" / f"{language}.json").read_text("utf-8"))
        assert sorted(f"rule.{i}" for i in exported if f"rule.{i}" not in app) == [], language
        fields = {r["field"] for entry in RULES["records"].values() for r in entry["rules"]}
        assert sorted(f"field.{f}" for f in fields if f"field.{f}" not in app) == [], language


SERVER_MESSAGES = json.loads(
    (ROOT / "tests" / "vectors" / "server_messages.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", SERVER_MESSAGES["cases"], ids=lambda c: c["message"])
def test_the_app_translates_only_messages_the_server_still_writes(case):
    """The app maps these texts to its catalog (pwa/js/validate.js); a message the
    server no longer writes would leave its translation dead, and a reworded one
    would reach the coach in English."""
    import re

    from marshmallow import fields

    sources = [
        path.read_text("utf-8")
        for folder in ("server", "sync")
        for path in (ROOT / folder).rglob("*.py")
    ]
    sources.append(str(fields.Field.default_error_messages["required"]))
    sources.append(str(fields.Date.default_error_messages["invalid"]))
    # The fixed part of the message: what a template leaves of it.
    fixed = re.split(r"\d+|\w+_id: |coaching_voucher |: [a-z_, ]+$", case["message"])
    parts = [p for p in fixed if len(p) > 3]
    for part in parts:
        assert any(part.rstrip(".,: ") in text for text in sources), part
