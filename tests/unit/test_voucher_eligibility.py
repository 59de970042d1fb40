"""The voucher's eligibility rule is one table (server/vouchers/eligibility.py),
read by the server and, as data in pwa/js/generated/rules.js, by the app: the
shared cases get the same reasons here as from pwa/js/vouchers.js in node
(tests/js/vouchers.test.mjs), and the app's copy of the table is the server's."""

import json
import re
from pathlib import Path

import pytest

from server import app_rules
from server.vouchers import eligibility

ROOT = Path(__file__).parents[2]
CASES = json.loads((ROOT / "tests" / "vectors" / "voucher_eligibility.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["name"])
def test_the_server_gives_the_shared_reasons(case):
    assert eligibility.reasons(case["facts"]) == case["reasons"]


def test_the_apps_table_is_the_servers():
    committed = app_rules.RULES_FILE.read_text("utf-8")
    data = json.loads(
        re.sub(r"^//.*\n", "", committed).removeprefix("export default ").rstrip(";\n")
    )
    assert data["vouchers"]["checks"] == eligibility.as_data()["checks"]


def test_the_cases_cover_every_reason_and_test():
    given = {r for case in CASES["cases"] for r in case["reasons"]}
    assert given == {c["reason"] for c in eligibility.CHECKS}
    assert {c["test"] for c in eligibility.CHECKS} <= set(eligibility.TESTS)


def test_every_reason_has_words_in_every_language():
    rules = app_rules.build()
    for language, labels in rules["labels"].items():
        for check in eligibility.CHECKS:
            assert f"vouchers.reason.{check['reason']}" in labels, language
