"""Template filters every area's pages use: Finnish-style dates, numbers and
euros, record-list cells, and a sign-off's failure reason in the reader's language."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from server.i18n import current_language, translate
from server.signoff.reasons import reason_label

LOCAL_TIME = ZoneInfo("Europe/Helsinki")


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def moment(value: datetime | None) -> str:
    if value is None:
        return "–"
    if value.tzinfo is None:  # SQLite gives naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TIME).strftime("%d.%m.%Y %H:%M")


def _decimal(text: str) -> str:
    return text if current_language() == "en" else text.replace(".", ",")


def number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u00a0")
    return _decimal(f"{float(value):.{digits}f}")


def percent(value) -> str:
    return "–" if value is None else f"{number(value)}\u00a0%"


def euros(cents: int | None) -> str:
    if cents is None:
        return "–"
    whole, part = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{grouped}{_decimal('.')}{part:02d}\u00a0€"


def cell(value) -> str:
    """A record-list cell: dates, booleans and numbers in the page's language."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return translate("yes") if value else translate("no")
    if isinstance(value, date):
        return day(value)
    if isinstance(value, float):
        return number(value, 2)
    return str(value)


def install(app: Flask) -> None:
    for name, function in (
        ("day", day),
        ("moment", moment),
        ("number", number),
        ("percent", percent),
        ("euros", euros),
        ("cell", cell),
        ("signoff_reason", reason_label),
    ):
        app.add_template_filter(function, name)
