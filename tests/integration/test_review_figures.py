"""Outcome figures: each one, computed from a known data set, equals the value
worked out by hand below; the records behind it and the CSV agree with it.

Range: 1.1.–30.6.2026, organization A. Organization B's records, deleted records
and records outside the range are planted to prove they are left out.
"""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from server.outcomes import figures
from server.outcomes.cohorts import Scope
from tests.support.factories import PASSWORD
from tests.support.web import login

START, END = date(2026, 1, 1), date(2026, 6, 30)
RANGE = {"from": START.isoformat(), "to": END.isoformat()}


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.fixture
def data(factory):
    f = factory
    org = f.organization(name="A")
    c1, c2 = f.user("coach", org), f.user("coach", org)
    supervisor = f.user("supervisor", org)
    e1, e2, e3, e4, e5 = (f.employer(org, name=f"E{i}") for i in range(1, 6))

    def person(coach, name, **kw):
        return f.participant(coach, first_name=name, last_name="Testi", **kw)

    def period(p, employer, start, **kw):
        return f.period(p, employer, start_date=start, **kw)

    people = {
        n: person(c1 if n in "P1 P2 P3 P6 P7" else c2, n)
        for n in ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P9", "P10", "P11", "P12")
    }
    p = people
    periods = {
        # ended in range: outcome at end employed, at 3 months employed, 6 months not recorded
        "p1": period(
            p["P1"],
            e1,
            d(11, 1, 2025),
            end_date=d(2, 15),
            phase="ended",
            outcome_at_end="employed_open",
            outcome_3_months="employed_open",
        ),
        "p2": period(
            p["P2"],
            e2,
            d(2, 1),
            end_date=d(5, 31),
            phase="follow_up",
            outcome_at_end="studies",
            outcome_3_months="job_search",
            outcome_6_months="employed_subsidised",
        ),
        "p3": period(p["P3"], e1, d(3, 10), phase="active"),
        # ended before the range: not served, not ended in range
        "p4": period(
            p["P4"],
            e1,
            d(6, 1, 2025),
            end_date=d(12, 31, 2025),
            phase="ended",
            outcome_at_end="employed_open",
        ),
        # starts after the range
        "p5": period(p["P5"], e1, d(7, 1), phase="planning"),
        "p6": period(
            p["P6"], None, d(1, 5), end_date=d(4, 30), phase="ended", outcome_at_end="job_search"
        ),
        # ends on the last day of the range; outcome not recorded
        "p7": period(p["P7"], e2, d(4, 1), end_date=d(6, 30), phase="ended"),
        "p9a": period(
            p["P9"], None, d(1, 10), end_date=d(1, 20), phase="cancelled", outcome_at_end="other"
        ),
        "p9b": period(p["P9"], e3, d(2, 1), phase="active"),
        "p10": period(p["P10"], e5, d(5, 1), phase="active"),
        "p11": period(
            p["P11"],
            e3,
            d(1, 15),
            end_date=d(3, 31),
            phase="ended",
            outcome_at_end="employed_subsidised",
        ),
        "p12": period(p["P12"], e1, d(2, 1), end_date=d(4, 15), phase="ended"),
    }
    # A deleted participant with a period in the range.
    gone = person(c1, "Poistettu", deleted=True)
    period(gone, e1, d(2, 1), end_date=d(3, 1), phase="ended", outcome_at_end="employed_open")

    # Employer contacts.
    f.contact(e1, c1, d(1, 10))
    f.contact(e1, c1, d(3, 15), informed_of_alternative_recruitment=True)
    f.contact(e1, c1, d(3, 16), adopted_alternative_recruitment=True, deleted=True)
    f.contact(
        e2,
        c1,
        d(2, 5),
        informed_of_alternative_recruitment=True,
        adopted_alternative_recruitment=True,
        adopted_method="work_demonstration",
    )
    f.contact(e2, c1, d(7, 20))
    f.contact(
        e3,
        c2,
        d(12, 1, 2025),
        informed_of_alternative_recruitment=True,
        adopted_alternative_recruitment=True,
    )
    f.contact(e3, c2, d(6, 30))
    f.contact(e4, c2, d(7, 1), informed_of_alternative_recruitment=True)

    # Meeting events.
    ev1 = f.event(org, d(2, 10))
    f.attendance(ev1, p["P1"], got_work=True, meetings_held=3, employer_id=e1.id)
    f.attendance(ev1, p["P2"], meetings_held=2)
    f.attendance(ev1, p["P3"], attended=False)
    ev2 = f.event(org, d(5, 5))
    f.attendance(ev2, p["P2"], got_work=True, meetings_held=1)
    f.attendance(ev2, p["P6"], meetings_held=1)
    ev3 = f.event(org, d(8, 1))
    f.attendance(ev3, p["P7"], got_work=True)
    deleted_event = f.event(org, d(3, 3), deleted=True)
    f.attendance(deleted_event, p["P7"], got_work=True)

    # Vouchers; p7 is eligible with no voucher record; p12's demonstration needs a new sign-off.
    f.voucher(periods["p1"], "paid", amount_cents=150000, paid_on=d(4, 1))
    f.voucher(periods["p2"], "approved", amount_cents=120000)
    f.voucher(periods["p11"], "requested")
    f.voucher(periods["p4"], "paid", amount_cents=99900)
    f.assessment_round(periods["p7"], d(6, 20), is_final=True)
    f.assessment_round(periods["p12"], d(4, 10), is_final=True)
    demo = f.demonstration(p["P12"], e1, period_id=periods["p12"].id, status="needs_new_signoff")
    f.signoff(demo, "verified")

    # Ratings. p3: rounds 1 and 2 in range, 3 after; p1: round 1 before range, round 2 in it.
    comp = f.goal(periods["p3"], "competence")
    well = f.goal(periods["p3"], "wellbeing")
    r1 = f.assessment_round(periods["p3"], d(4, 1))
    r2 = f.assessment_round(periods["p3"], d(5, 1))
    r3 = f.assessment_round(periods["p3"], d(7, 15))
    for goal, rnd, rater, rating in (
        (comp, r1, "participant", 2),
        (comp, r1, "employer", 3),
        (comp, r1, "coach", 3),
        (well, r1, "participant", 2),
        (well, r1, "coach", 4),
        (comp, r2, "participant", 4),
        (comp, r2, "employer", 4),
        (comp, r2, "coach", 5),
        (well, r2, "participant", 3),
        (comp, r3, "participant", 5),
    ):
        f.assessment(goal, rater, rating, round=rnd)
    f.assessment(comp, "work_community", 1, round=r1, deleted=True)
    p1_comp = f.goal(periods["p1"], "competence")
    r0 = f.assessment_round(periods["p1"], d(12, 1, 2025))
    r1b = f.assessment_round(periods["p1"], d(1, 15), is_final=True)
    f.assessment(p1_comp, "coach", 1, round=r0)
    f.assessment(p1_comp, "participant", 3, round=r1b)
    f.assessment(p1_comp, "employer", 2, round=r1b)

    # Organization B: the same kinds of records in the range, never counted for A.
    other = f.organization(name="B")
    oc = f.user("coach", other)
    oe = f.employer(other)
    op_ = f.participant(oc)
    operiod = f.period(
        op_,
        oe,
        start_date=d(2, 1),
        end_date=d(3, 1),
        phase="ended",
        outcome_at_end="employed_open",
        outcome_3_months="employed_open",
    )
    f.voucher(operiod, "paid", amount_cents=77700)
    f.contact(
        oe,
        oc,
        d(2, 2),
        informed_of_alternative_recruitment=True,
        adopted_alternative_recruitment=True,
    )
    oev = f.event(other, d(2, 2))
    f.attendance(oev, op_, got_work=True)
    og = f.goal(operiod, "competence")
    f.assessment(og, "coach", 5, round=f.assessment_round(operiod, d(2, 15)))
    return {"org": org, "supervisor": supervisor, "people": people, "periods": periods}


@pytest.fixture
def computed(data) -> figures.Figures:
    return figures.compute(Scope(data["org"].id, START, END))


def test_job_seekers_served(computed):
    # P1 P2 P3 P6 P7 P9 (two periods, once) P10 P11 P12; not P4 (ended 2025), P5
    # (starts July), the deleted participant or organization B.
    assert computed.served == 9


def test_share_to_work_or_studies_at_end(computed):
    # Ended in range: p1 p2 p6 p7 p9a p11 p12 = 7; recorded: p1 employed, p2 studies,
    # p6 job search, p9a other, p11 subsidised = 5; work or studies: 3.
    share = computed.outcomes["outcome_end"]
    assert (share.numerator, share.denominator, share.percent) == (3, 5, 60.0)
    assert (
        computed.coverage["outcome_end"].numerator,
        computed.coverage["outcome_end"].denominator,
    ) == (5, 7)


def test_share_at_three_and_six_month_follow_ups(computed):
    three, six = computed.outcomes["outcome_3m"], computed.outcomes["outcome_6m"]
    assert (three.numerator, three.denominator, three.percent) == (1, 2, 50.0)
    assert (six.numerator, six.denominator, six.percent) == (1, 1, 100.0)
    assert computed.coverage["outcome_3m"].numerator == 2
    assert computed.coverage["outcome_6m"].denominator == 7


def test_employer_work_figures(computed):
    # E1 (informed 15.3.), E2 (informed and adopted), E3 (contact on 30.6. only; its
    # informed/adopted contact was in 2025); not E4 (July) or B's employer.
    assert computed.employers_contacted == 3
    informed, adopted = computed.employers_informed, computed.employers_adopted
    assert (informed.numerator, informed.denominator, informed.percent) == (2, 3, 66.7)
    # E1's adopting contact is deleted: only E2.
    assert (adopted.numerator, adopted.denominator, adopted.percent) == (1, 3, 33.3)


def test_event_figures(computed):
    # EV1, EV2; not EV3 (August), the deleted event or B's.
    assert computed.events == 2
    # P1, P2 (twice, once), P6; P3 did not attend.
    assert computed.attendees == 3
    employed = computed.employed_from_events
    assert (employed.numerator, employed.denominator, employed.percent) == (2, 3, 66.7)


def test_vouchers_by_status_and_sum(computed):
    assert computed.vouchers == {
        "eligible": (1, 0),  # p7: ended with a final round, no demonstration, no record yet
        "requested": (1, 0),
        "approved": (1, 120000),
        "rejected": (0, 0),
        "paid": (1, 150000),  # p4's voucher: period ended in 2025
    }
    assert computed.voucher_total == (4, 270000)


def test_average_rating_per_area_per_round(computed):
    # Competence round 1: 2, 3, 3 → 2.67 (deleted rating 1 left out).
    # Competence round 2: p3 4, 4, 5 and p1's second round (its first was in 2025) 3, 2 → 3.6.
    # Wellbeing: round 1: 2, 4 → 3.0; round 2: 3 → 3.0. p3's round 3 is after the range.
    assert computed.ratings == {
        "competence": {1: (2.67, 3), 2: (3.6, 5)},
        "wellbeing": {1: (3.0, 2), 2: (3.0, 1)},
    }
    assert computed.rounds == [1, 2]


def test_ratings_leave_out_wellbeing_when_not_allowed(data):
    without = figures.compute(Scope(data["org"].id, START, END), ("competence",))
    assert list(without.ratings) == ["competence"]


def test_median_days_to_first_employer_contact(computed):
    # Started in range at an employer: p2 4 d (5.2.), p3 5 d (15.3.; 10.1. is before its
    # start), p7 110 d (20.7.), p9b 149 d (30.6.), p11 166 d (30.6.), p12 42 d (15.3.);
    # p10's employer has no contacts. Median of 4, 5, 42, 110, 149, 166 = (42 + 110) / 2.
    assert computed.first_contact_median_days == 76.0
    assert (computed.first_contact.numerator, computed.first_contact.denominator) == (6, 7)


def test_empty_range_gives_zeros_and_no_division(data):
    empty = figures.compute(Scope(data["org"].id, date(2020, 1, 1), date(2020, 1, 31)))
    assert empty.served == 0
    assert empty.outcomes["outcome_end"].percent is None
    assert empty.first_contact_median_days is None
    assert empty.voucher_total == (0, 0)


# The pages: links to the records behind each figure, the lists themselves, the CSVs.


@pytest.fixture
def supervisor_client(client, data):
    login(client, data["supervisor"].email, PASSWORD)
    return client


def test_dashboard_links_every_figure_to_its_records(supervisor_client):
    html = supervisor_client.get("/outcomes/", query_string=RANGE).get_data(as_text=True)
    for key in (
        "served",
        "outcome_end",
        "outcome_3m",
        "outcome_6m",
        "employers",
        "events",
        "attendees",
        "vouchers",
        "ratings",
        "first_contact",
    ):
        assert f"/outcomes/records/{key}?from=2026-01-01&amp;to=2026-06-30" in html, key
    assert "60 %" in html.replace("\u00a0", " ")
    assert "1 500,00" in html.replace("\u00a0", " ")


def _rows(client, url, **params):
    body = client.get(url, query_string={**RANGE, **params})
    assert body.status_code == 200
    text = body.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_records_behind_the_figures_match_them(supervisor_client, computed, data):
    served = _rows(supervisor_client, "/outcomes/records/served.csv")[1:]
    assert len(served) == computed.served
    assert {r[0] for r in served} == {
        f"{n} Testi" for n in ("P1", "P2", "P3", "P6", "P7", "P9", "P10", "P11", "P12")
    }
    ended = _rows(supervisor_client, "/outcomes/records/outcome_end.csv")[1:]
    assert len(ended) == 7
    assert sum(1 for r in ended if r[-1] == "Kyllä") == 3
    employers = _rows(supervisor_client, "/outcomes/records/employers.csv")[1:]
    assert sorted(r[0] for r in employers) == ["E1", "E2", "E3"]
    attendees = _rows(supervisor_client, "/outcomes/records/attendees.csv")[1:]
    assert len(attendees) == 3
    vouchers = _rows(supervisor_client, "/outcomes/records/vouchers.csv")[1:]
    assert sorted(r[3] for r in vouchers) == ["Haettu", "Hyväksytty", "Maksettu", "Oikeutettu"]
    ratings = _rows(
        supervisor_client, "/outcomes/records/ratings.csv", area="competence", round="2"
    )[1:]
    assert sorted(int(r[-1]) for r in ratings) == [2, 3, 4, 4, 5]
    first = _rows(supervisor_client, "/outcomes/records/first_contact.csv")[1:]
    assert sorted(int(r[-1]) for r in first if r[-1]) == [4, 5, 42, 110, 149, 166]


def test_figures_csv_in_finnish_and_english(supervisor_client):
    rows = {r[0]: r for r in _rows(supervisor_client, "/outcomes/figures.csv")}
    assert rows["served"][2] == "9"
    assert rows["outcome_end"][2:] == ["60", "% jaksoista", "3", "5"]
    assert rows["employers_informed"][2:] == ["66,7", "% työnantajista", "2", "3"]
    assert rows["vouchers_paid_eur"][2] == "1500"
    assert rows["rating_competence_1"][2] == "2,67"
    assert rows["first_contact_median_days"][2:] == ["76", "päivää", "6", "7"]
    with supervisor_client.session_transaction() as session:
        session["lang"] = "en"
    text = supervisor_client.get("/outcomes/figures.csv", query_string=RANGE).get_data(as_text=True)
    english = {r[0]: r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert english["employers_informed"][1:] == [
        "Informed of alternative recruitment",
        "66.7",
        "% of employers",
        "2",
        "3",
    ]


def test_records_list_reads_are_audited(supervisor_client, data):
    supervisor_client.get("/outcomes/records/served", query_string=RANGE)
    reads = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.user_id == data["supervisor"].id
        )
    ).all()
    assert any(len(e.detail["ids"]) == 9 for e in reads if e.detail)


def test_bad_range_is_refused_with_the_field_named(supervisor_client):
    response = supervisor_client.get("/outcomes/", query_string={"from": "2026-13-01"})
    assert response.status_code == 400
    response = supervisor_client.get("/outcomes/records/nothing")
    assert response.status_code == 404
