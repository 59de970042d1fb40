"""The voucher's eligibility rule as data, and the one reading of it.

A period makes its employer eligible when every check below passes; each
failed check gives its reason (vouchers.reason.*), once. The table goes to
the coach's app as data (server/app_rules.py → pwa/js/generated/rules.js),
where pwa/js/vouchers.js reads it the same way over the facts the device
holds, so the phone shows the server's reasons, not a retyped copy.
tests/unit/test_voucher_eligibility.py runs both readings over the same cases.

Facts: employer_id, phase, end_date (as the period has them), final_rounds
(its final assessment rounds, not deleted), unsigned_demonstrations (its work
demonstrations whose latest sign-off is not verified, or that need a new one).
"""

from collections.abc import Mapping

ENDED_PHASES = ("ended", "follow_up")

# (reason, fact, test, values): tests are "present" (not empty), "in"
# (one of values), "positive" (> 0) and "zero" (== 0 or missing).
CHECKS: tuple[dict, ...] = (
    {"reason": "no_employer", "fact": "employer_id", "test": "present"},
    {"reason": "not_ended", "fact": "phase", "test": "in", "values": list(ENDED_PHASES)},
    {"reason": "not_ended", "fact": "end_date", "test": "present"},
    {"reason": "no_final_round", "fact": "final_rounds", "test": "positive"},
    {"reason": "demonstration_unsigned", "fact": "unsigned_demonstrations", "test": "zero"},
)
TESTS = ("present", "in", "positive", "zero")


def passes(check: Mapping, value) -> bool:
    test = check["test"]
    if test == "present":
        return value is not None and value != ""
    if test == "in":
        return value in check["values"]
    if test == "positive":
        return (value or 0) > 0
    if test == "zero":
        return not value
    raise ValueError(f"{check['reason']}: unknown test {test}")


def reasons(facts: Mapping) -> list[str]:
    """Why a period with these facts does not make its employer eligible, in
    the table's order; empty when it does."""
    out: list[str] = []
    for check in CHECKS:
        if not passes(check, facts.get(check["fact"])) and check["reason"] not in out:
            out.append(check["reason"])
    return out


def as_data() -> dict:
    """What the app receives."""
    return {"checks": [dict(c) for c in CHECKS]}
