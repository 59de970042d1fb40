"""The dashboard, its CSV, and the record lists behind each figure (with CSV)."""

from datetime import date, timedelta

from flask import abort, g, request

from server import audit
from server.auth import policy
from server.auth.session import roles_required
from server.extensions import db
from server.i18n import translate
from server.outcomes import figures
from server.outcomes.blueprint import bp
from server.outcomes.cohorts import Scope
from server.outcomes.record_lists import LISTS, eligible_rows
from server.pages import (
    args_without,
    csv_response,
    date_arg,
    paginate,
    render_page,
)
from server.review.charts import AREA_DASHES, progress_chart
from server.vocabulary import GOAL_AREAS

EXPORT_LIMIT = 50_000


def default_range(today: date) -> tuple[date, date]:
    """The last twelve months, today included."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1), today


def _scope() -> Scope:
    today = date.today()
    default_start, default_end = default_range(today)
    start = date_arg("from", default_start)
    end = date_arg("to", default_end)
    if start > end:
        abort(400, description=translate("review.error.filter", field="to"))
    return Scope(g.user.organization_id, start, end)


def _areas() -> tuple[str, ...]:
    if policy.allowed(g.user, "wellbeing", "read"):
        return GOAL_AREAS
    return tuple(a for a in GOAL_AREAS if a != "wellbeing")


def _range_links(today: date) -> list[tuple[str, date, date]]:
    start, end = default_range(today)
    return [
        ("outcomes.range.twelve_months", start, end),
        ("outcomes.range.this_year", date(today.year, 1, 1), today),
        ("outcomes.range.last_year", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


@bp.get("/")
@roles_required("supervisor")
def show_dashboard():
    scope = _scope()
    f = figures.compute(scope, _areas())
    return render_page(
        "outcomes/dashboard.html",
        "outcomes/_figures.html",
        f=f,
        ratings_chart=ratings_chart(f),
        scope=scope,
        ranges=_range_links(date.today()),
        range_args={"from": scope.start.isoformat(), "to": scope.end.isoformat()},
    )


def ratings_chart(f: figures.Figures):
    """Mean rating per area over round numbers, one line per goal area."""
    rounds = f.rounds
    values = {
        area: [by_round[n][0] if n in by_round else None for n in rounds]
        for area, by_round in f.ratings.items()
    }
    return progress_chart([str(n) for n in rounds], values, AREA_DASHES)


def figure_rows(f: figures.Figures) -> list[list]:
    """(key, label, value, unit, numerator, denominator) for every figure: the CSV's
    body. The unit says what the value counts (a share: of what)."""
    t = translate
    rows: list[list] = []

    def count(key: str, value, unit: str) -> None:
        rows.append(
            [key, t(f"outcomes.figure.{key}"), value, t(f"outcomes.unit.{unit}"), None, None]
        )

    def share(key: str, s: figures.Share, unit: str) -> None:
        rows.append(
            [
                key,
                t(f"outcomes.figure.{key}"),
                s.percent,
                t(f"outcomes.unit.{unit}"),
                s.numerator,
                s.denominator,
            ]
        )

    count("served", f.served, "job_seekers")
    for key, s in (*f.outcomes.items(), *f.satisfied.items()):
        share(key, s, "percent_of_periods")
    count("employers_contacted", f.employers_contacted, "employers")
    share("employers_informed", f.employers_informed, "percent_of_employers")
    share("employers_adopted", f.employers_adopted, "percent_of_employers")
    count("events", f.events, "events")
    count("employers_at_events", f.employers_at_events, "employers")
    count("meetings", f.meetings, "meetings")
    count("attendees", f.attendees, "job_seekers")
    count("non_client_attendees", f.non_client_attendees, "job_seekers")
    share("employed_from_events", f.employed_from_events, "percent_of_job_seekers")
    for status, (n, cents) in f.vouchers.items():
        label = t(f"voucher_status.{status}")
        rows.append(
            [
                f"vouchers_{status}",
                f"{t('outcomes.figure.vouchers')}: {label}",
                n,
                t("outcomes.unit.vouchers"),
                None,
                None,
            ]
        )
        rows.append(
            [
                f"vouchers_{status}_eur",
                f"{t('outcomes.figure.voucher_sum')}: {label}",
                cents / 100,
                t("outcomes.unit.euros"),
                None,
                None,
            ]
        )
    for area, by_round in f.ratings.items():
        for n, (mean, ratings) in sorted(by_round.items()):
            rows.append(
                [
                    f"rating_{area}_{n}",
                    t("outcomes.figure.rating_row", area=t(f"area.{area}"), n=n),
                    mean,
                    t("outcomes.unit.mean_rating"),
                    None,
                    ratings,
                ]
            )
    rows.append(
        [
            "first_contact_median_days",
            t("outcomes.figure.first_contact"),
            f.first_contact_median_days,
            t("outcomes.unit.days"),
            f.first_contact.numerator,
            f.first_contact.denominator,
        ]
    )
    return rows


@bp.get("/figures.csv")
@roles_required("supervisor")
def export_figures():
    scope = _scope()
    f = figures.compute(scope, _areas())
    header = [
        translate(k)
        for k in (
            "outcomes.col.key",
            "outcomes.col.figure",
            "outcomes.col.value",
            "outcomes.col.unit",
            "outcomes.col.numerator",
            "outcomes.col.denominator",
        )
    ]
    name = f"tunnusluvut_{scope.start.isoformat()}_{scope.end.isoformat()}.csv"
    body = figure_rows(f)
    audit.record_export(None, [], len(body))
    return csv_response(name, header, body)


def _list(key: str):
    record_list = LISTS.get(key)
    if record_list is None:
        abort(404)
    if key == "ratings" and request.args.get("area") == "wellbeing" and "wellbeing" not in _areas():
        abort(403)
    return record_list


@bp.get("/records/<key>")
@roles_required("supervisor")
def list_records(key: str):
    record_list = _list(key)
    scope = _scope()
    page = paginate(record_list.query(scope, request.args), scalars=False)
    rows = [
        (record_list.cells(r), record_list.link(r) if record_list.link else None)
        for r in page.items
    ]
    extra = eligible_rows(scope) if key == "vouchers" and page.page == 1 else []
    ids = [r.participant_id for r in page.items if getattr(r, "participant_id", None)]
    response = render_page(
        "outcomes/records.html",
        "outcomes/_records_table.html",
        key=key,
        record_list=record_list,
        page=page,
        rows=rows + [(cells, link) for cells, link, _ in extra],
        scope=scope,
        query_args=args_without("page"),
    )
    audit.record_read_list("participants", ids + [pid for *_, pid in extra])
    return response


@bp.get("/records/<key>.csv")
@roles_required("supervisor")
def export_records(key: str):
    record_list = _list(key)
    scope = _scope()
    found = db.session.execute(record_list.query(scope, request.args).limit(EXPORT_LIMIT)).all()
    body = [record_list.cells(r) for r in found]
    extra = eligible_rows(scope) if key == "vouchers" else []
    body += [cells for cells, _, _ in extra]
    ids = [r.participant_id for r in found if getattr(r, "participant_id", None)]
    audit.record_export("participants", ids + [pid for *_, pid in extra], len(body))
    name = f"{key}_{scope.start.isoformat()}_{scope.end.isoformat()}.csv"
    return csv_response(name, record_list.headers(), body)
