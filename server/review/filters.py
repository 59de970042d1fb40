"""Template filters for the desk pages: Finnish-style dates, numbers and euros."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from server.i18n import current_language, translate
from server.review import bp

LOCAL_TIME = ZoneInfo("Europe/Helsinki")


@bp.app_template_filter("day")
def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


@bp.app_template_filter("moment")
def moment(value: datetime | None) -> str:
    if value is None:
        return "–"
    if value.tzinfo is None:  # SQLite gives naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TIME).strftime("%d.%m.%Y %H:%M")


def _decimal(text: str) -> str:
    return text if current_language() == "en" else text.replace(".", ",")


@bp.app_template_filter("number")
def number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u00a0")
    return _decimal(f"{float(value):.{digits}f}")


@bp.app_template_filter("percent")
def percent(value) -> str:
    return "–" if value is None else f"{number(value)}\u00a0%"


@bp.app_template_filter("euros")
def euros(cents: int | None) -> str:
    if cents is None:
        return "–"
    whole, part = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{grouped}{_decimal('.')}{part:02d}\u00a0€"


@bp.app_template_filter("cell")
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
