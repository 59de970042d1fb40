"""The server's rules as data for the coach's app: pwa/js/generated/rules.js.

The app checks an edit offline with the same rules the server applies when
it syncs, so the file is built from where the server keeps them, never
retyped: field rules from the marshmallow schemas (server/schemas/), record rules
from the registry (server/records/rules.py),
vocabularies from server.vocabulary with their labels from the server's
translations, due dates from server.due, the voucher's eligibility rule
from server.vouchers.eligibility and the push batch size from
sync.protocol. `flask export-app-rules` writes it; a test fails when the
committed file differs from what `build()` makes.

The file is a JavaScript module holding one JSON object, not a .json file:
the service worker imports it, and Chromium keeps a worker's imported
scripts for offline starts but not its JSON modules.
"""

import json
from pathlib import Path

from marshmallow import fields, validate

from server import due, vocabulary
from server.i18n import catalog
from server.records.registry import TYPES
from server.schemas.base import validate_not_blank
from server.schemas.employers import validate_ytunnus
from server.signoff.verify import REASONS
from server.sync_api.fields import record_defaults
from server.vouchers import eligibility
from sync.protocol import MAX_BATCH

RULES_FILE = Path(__file__).resolve().parents[1] / "pwa" / "js" / "generated" / "rules.js"
HEADER = "// Written by `flask --app server export-app-rules` (server/app_rules.py): do not edit.\n"

# The field types the app checks (pwa/js/validate.js), most specific first.
FIELD_TYPES = (
    (fields.Email, "email"),
    (fields.String, "text"),
    (fields.Integer, "integer"),
    (fields.Boolean, "boolean"),
    (fields.AwareDateTime, "datetime"),
    (fields.Date, "date"),
)
# The server's own checks the app repeats by name.
NAMED_CHECKS = {validate_not_blank: "not_blank", validate_ytunnus: "ytunnus"}

# Fixed vocabularies the app offers as choices, by the prefix of their label
# keys (`area.competence`).
VOCABULARIES = {
    "area": vocabulary.GOAL_AREAS,
    "goal_status": vocabulary.GOAL_STATUSES,
    "measure": vocabulary.MEASURE_TYPES,
    "phase": vocabulary.PERIOD_PHASES,
    "outcome": vocabulary.OUTCOMES,
    "rater": vocabulary.RATERS,
    "rating": vocabulary.RATING_SCALE,
    "demo_result": vocabulary.DEMONSTRATION_RESULTS,
    "task_result": vocabulary.TASK_RESULTS,
    "demo_status": vocabulary.DEMONSTRATION_STATUSES,
    "contact_kind": vocabulary.CONTACT_KINDS,
    "alternative_method": vocabulary.ALTERNATIVE_METHODS,
    "signoff_reason": tuple(REASONS),
    "satisfaction_moment": vocabulary.SATISFACTION_MOMENTS,
    "satisfaction_party": vocabulary.SATISFACTION_PARTIES,
    "voucher_status": vocabulary.VOUCHER_STATUSES,
}
# Label keys the app shows exactly as the server's pages do: the
# vocabularies' and the sign-off states' (`signoff.verified`). Not the
# alternative methods: the server's are lower case, for the middle of a
# sentence; the app lists them as choices, with labels of its own.
LABEL_PREFIXES = (*(name for name in VOCABULARIES if name != "alternative_method"), "signoff")
# And the voucher rule's reasons, as the desk words them (vouchers.reason.*).
LABEL_KEY_PREFIXES = ("vouchers.reason.",)


def field_rule(record_type: str, name: str, field: fields.Field) -> dict:
    """One schema field as the app checks it."""
    kind = next((k for cls, k in FIELD_TYPES if isinstance(field, cls)), None)
    if kind is None or (kind == "integer" and not field.strict):
        raise ValueError(f"{record_type}.{name}: the app has no check for {field!r}")
    rule: dict = {"type": kind}
    if field.required:
        rule["required"] = True
    if not field.allow_none:
        rule["not_null"] = True
    for check in field.validators:
        if type(check) is validate.Email and kind == "email":
            continue
        if type(check) is validate.Length and check.min is None and check.equal is None:
            rule["max_length"] = check.max
        elif type(check) is validate.Range and check.min_inclusive and check.max_inclusive:
            rule["range"] = [check.min, check.max]
        elif type(check) is validate.OneOf:
            rule["choices"] = list(check.choices)
        elif check in NAMED_CHECKS:
            rule.setdefault("checks", []).append(NAMED_CHECKS[check])
        else:
            raise ValueError(f"{record_type}.{name}: the app has no check for {check!r}")
    return rule


def labels(language: str) -> dict[str, str]:
    texts = catalog(language)
    return {
        key: text
        for key, text in texts.items()
        if key.split(".", 1)[0] in LABEL_PREFIXES or key.startswith(LABEL_KEY_PREFIXES)
    }


def build() -> dict:
    return {
        "fields": {
            record_type: {
                name: field_rule(record_type, name, field)
                for name, field in schema().fields.items()
            }
            for record_type, schema in ((name, t.schema) for name, t in TYPES.items())
        },
        # Cross-field and cross-record rules (server/records/rules.py), and the
        # values a new record's absent fields take, which the rules read.
        "records": {
            name: {"rules": list(t.record_rules), "defaults": record_defaults(name)}
            for name, t in TYPES.items()
            if t.record_rules and t.synced
        },
        "vocabularies": {name: list(values) for name, values in VOCABULARIES.items()},
        "labels": {language: labels(language) for language in vocabulary.LANGUAGES},
        "due": {
            "assessment_round_days": due.ROUND_INTERVAL_DAYS,
            "follow_up_months": list(due.FOLLOW_UP_MONTHS),
            "planned_end_warning_days": due.END_WARNING_DAYS,
        },
        "sync": {"max_push_batch": MAX_BATCH},
        # The voucher's eligibility rule (server/vouchers/eligibility.py) and
        # its allowed moves: the period page shows the server's reasons offline.
        "vouchers": {
            **eligibility.as_data(),
            "transitions": {k: list(v) for k, v in vocabulary.VOUCHER_TRANSITIONS.items()},
        },
        "satisfaction": {"satisfied_from": vocabulary.SATISFIED_FROM},
    }


def render() -> str:
    data = json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True)
    return f"{HEADER}export default {data};\n"


def write(path: Path | None = None) -> bool:
    """Write the file; False when it already said the same."""
    path = path or RULES_FILE
    text = render()
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return True
