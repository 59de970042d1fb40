"""The export's values are ISO text (as in its JSON); shown Finnish-style."""

from datetime import date, datetime

from server.review.filters import day, moment
from server.subjects.views import bp


@bp.app_template_filter("iso_day")
def iso_day(value: str | None) -> str:
    return day(date.fromisoformat(value) if value else None)


@bp.app_template_filter("iso_moment")
def iso_moment(value: str | None) -> str:
    return moment(datetime.fromisoformat(value) if value else None)
