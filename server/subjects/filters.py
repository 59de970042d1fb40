"""The export's values are ISO text (as in its JSON); shown Finnish-style."""

from datetime import date, datetime

from server.i18n import translate
from server.subjects.blueprint import bp
from server.template_filters import day, moment


@bp.app_template_filter("iso_day")
def iso_day(value: str | None) -> str:
    return day(date.fromisoformat(value) if value else None)


@bp.app_template_filter("iso_moment")
def iso_moment(value: str | None) -> str:
    return moment(datetime.fromisoformat(value) if value else None)


def _label(prefix: str, name: str) -> str:
    key = f"{prefix}.{name}"
    text = translate(key)
    return name if text == key else text


@bp.app_template_filter("field_label")
def field_label(name: str) -> str:
    """A field's name in the reader's language; a technical one stays as it is."""
    return _label("subjects.field", name)


@bp.app_template_filter("audit_action")
def audit_action(name: str) -> str:
    return _label("subjects.audit_action", name)
