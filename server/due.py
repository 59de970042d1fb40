"""When the steps of a coaching period fall due: the desk's pages and the
coach's app (through pwa/js/generated/rules.js) compute the same dates.

- An active period is due an assessment round ROUND_INTERVAL_DAYS after its
  last round (or its start).
- The outcome follow-ups fall due FOLLOW_UP_MONTHS calendar months after the
  end; a day the month lacks becomes the month's last day (31 Aug + 6 months
  is 28 Feb, or 29 Feb in a leap year).
- The app warns of a planned end END_WARNING_DAYS ahead.
"""

from calendar import monthrange
from datetime import date, timedelta

ROUND_INTERVAL_DAYS = 30
FOLLOW_UP_MONTHS = (3, 6)
END_WARNING_DAYS = 14


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months (back when negative), clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def round_due(last: date) -> date:
    """The next assessment round's date, after a round (or the start) on `last`."""
    return last + timedelta(days=ROUND_INTERVAL_DAYS)


def follow_up_due(end: date, months: int) -> date:
    return add_months(end, months)


def latest_end_due(today: date, months: int) -> date:
    """The last end date whose `months` follow-up is due by `today`:
    follow_up_due(end, months) <= today exactly when end <= this date.

    Moving back from the last day of a month lands on every later day of the
    earlier month too (30 Nov and 29 Nov + 3 months are both 28 Feb), so the
    answer is then that month's last day."""
    back = add_months(today, -months)
    if today.day == monthrange(today.year, today.month)[1]:
        return back.replace(day=monthrange(back.year, back.month)[1])
    return back
