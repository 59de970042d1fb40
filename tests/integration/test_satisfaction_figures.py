"""Both parties satisfied (seed 001): answers a coach's device pushes (the
employer's given on the hand-over screen) make the "both satisfied (≥ 4)"
figures, their record lists and CSVs, and show on the supervisor's period page.

Hand-computed, range 1.1.–30.6.2026, organization A:

| period | ended  | end: new employee / employer      | 3 months        |
|--------|--------|-----------------------------------|-----------------|
| P1     | 15.3.  | 5 / 4 → both                      | 4 / 2 → not     |
| P2     | 10.4.  | 4 then 2 (10.4., 20.4.) / 5 → not | –               |
| P3     | 1.5.   | 5 / – (employer never answered)   | –               |
| P4     | 1.2.   | 2 then 4 (1.2., 15.2.) / 4 → both | –               |
| P7     | 20.6.  | – / –                             | –               |
| P5     | 10.7.  | 5 / 5 (outside the range)         | –               |
| Q1 (B) | 1.3.   | 5 / 5 (another organization)      | –               |

At the end: ended 5 (P1 P2 P3 P4 P7), both answered 3 (P1 P2 P4), both ≥ 4:
2 (P1 P4) → 66.7 %, coverage 3/5. At 3 months: 0 of 1 (P1), coverage 1/5.
At 6 months: no answers, 0/0, coverage 0/5.
"""

import csv
import io
from datetime import date

import pytest

from server.outcomes import figures
from server.outcomes.cohorts import Scope
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import login

START, END = date(2026, 1, 1), date(2026, 6, 30)
RANGE = {"from": START.isoformat(), "to": END.isoformat()}


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def answer(device, period, moment, party, rating, on, **kw):
    device.upsert(
        "satisfaction_answer",
        period_id=period.id,
        moment=moment,
        party=party,
        rating=rating,
        answered_on=on.isoformat(),
        **kw,
    )


@pytest.fixture
def data(app, factory):
    f = factory
    org, other = f.organization(name="A"), f.organization(name="B")
    coach, other_coach = f.user("coach", org), f.user("coach", other)
    supervisor = f.user("supervisor", org)
    employer = f.employer(org, name="Satama Oy")

    def period(name, end, owner=coach, emp=employer):
        person = f.participant(owner, first_name=name, last_name="Testi")
        return f.period(person, emp, start_date=d(1, 2), end_date=end, phase="ended")

    p = {
        n: period(n, end)
        for n, end in (
            ("P1", d(3, 15)),
            ("P2", d(4, 10)),
            ("P3", d(5, 1)),
            ("P4", d(2, 1)),
            ("P7", d(6, 20)),
            ("P5", date(2026, 7, 10)),
        )
    }
    q1 = period("Q1", d(3, 1), other_coach, f.employer(other, name="Muu Oy"))
    phone = SimDevice(app, coach)
    answer(phone, p["P1"], "end", "participant", 5, d(3, 15), comment="Hyvä paikka")
    answer(
        phone,
        p["P1"],
        "end",
        "employer",
        4,
        d(3, 15),
        language="sv",
        respondent="Saga Berg",
        comment="Bra arbetstagare",
    )
    answer(phone, p["P1"], "follow_up_3", "participant", 4, d(6, 15))
    answer(phone, p["P1"], "follow_up_3", "employer", 2, d(6, 15))
    answer(phone, p["P2"], "end", "participant", 4, d(4, 10))
    answer(phone, p["P2"], "end", "participant", 2, d(4, 20))
    answer(phone, p["P2"], "end", "employer", 5, d(4, 10))
    answer(phone, p["P3"], "end", "participant", 5, d(5, 1))
    answer(phone, p["P4"], "end", "participant", 2, d(2, 1))
    answer(phone, p["P4"], "end", "participant", 4, d(2, 15))
    answer(phone, p["P4"], "end", "employer", 4, d(2, 1))
    answer(phone, p["P5"], "end", "participant", 5, date(2026, 7, 10))
    answer(phone, p["P5"], "end", "employer", 5, date(2026, 7, 10))
    results = phone.push()
    assert [r["status"] for r in results] == ["applied"] * 13
    theirs = SimDevice(app, other_coach)
    answer(theirs, q1, "end", "participant", 5, d(3, 1))
    answer(theirs, q1, "end", "employer", 5, d(3, 1))
    theirs.push()
    return {"org": org, "supervisor": supervisor, "periods": p}


def test_both_satisfied_at_the_end_and_follow_ups(data):
    f = figures.compute(Scope(data["org"].id, START, END))
    end, three, six = (f.satisfied[k] for k in ("satisfied_end", "satisfied_3m", "satisfied_6m"))
    assert (end.numerator, end.denominator, end.percent) == (2, 3, 66.7)
    assert (f.coverage["satisfied_end"].numerator, f.coverage["satisfied_end"].denominator) == (
        3,
        5,
    )
    assert (three.numerator, three.denominator, three.percent) == (0, 1, 0.0)
    assert (f.coverage["satisfied_3m"].numerator, f.coverage["satisfied_3m"].denominator) == (1, 5)
    assert (six.numerator, six.denominator, six.percent) == (0, 0, None)
    # Work or studies stays beside it, untouched.
    assert set(f.outcomes) == {"outcome_end", "outcome_3m", "outcome_6m"}


def test_the_records_behind_the_figure_and_the_csvs(client, data):
    login(client, data["supervisor"].email, PASSWORD)
    page = client.get("/outcomes/", query_string=RANGE).get_data(as_text=True)
    assert 'id="figure-satisfied_end"' in page and "66,7" in page
    rows = client.get("/outcomes/records/satisfied_end", query_string=RANGE)
    assert rows.status_code == 200
    html = rows.get_data(as_text=True)
    for name in ("P1", "P2", "P3", "P4", "P7"):
        assert f"{name} Testi" in html
    assert "P5 Testi" not in html and "Q1 Testi" not in html
    assert f"/review/periods/{data['periods']['P1'].id}" in html
    listed = list(
        csv.reader(
            io.StringIO(
                client.get("/outcomes/records/satisfied_end.csv", query_string=RANGE)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    by_name = {row[0]: row for row in listed[1:]}
    assert (
        by_name["P1 Testi"][3:5] == ["5", "4"] and by_name["P1 Testi"][5] != by_name["P2 Testi"][5]
    )
    assert by_name["P2 Testi"][3:5] == ["2", "5"]  # the later answer replaced the earlier
    assert by_name["P4 Testi"][3:5] == ["4", "4"]
    assert by_name["P3 Testi"][4] == ""
    assert len(listed) == 6
    body = client.get("/outcomes/figures.csv", query_string=RANGE).get_data(as_text=True)
    found = {row[0]: row for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")}
    assert (found["satisfied_end"][2], *found["satisfied_end"][4:]) == ("66,7", "2", "3")
    assert found["satisfied_3m"][4:] == ["0", "1"]
    # The share's link opens its numerator: the periods where both are satisfied.
    both = client.get("/outcomes/records/satisfied_end_reached", query_string=RANGE)
    html = both.get_data(as_text=True)
    assert "P1 Testi" in html and "P4 Testi" in html
    assert "P2 Testi" not in html and "P3 Testi" not in html


def test_the_period_page_shows_both_answers(client, data):
    login(client, data["supervisor"].email, PASSWORD)
    page = client.get(f"/review/periods/{data['periods']['P1'].id}").get_data(as_text=True)
    section = page[page.index('id="satisfaction-answers"') :]
    section = section[: section.index("</table>")]
    assert "Hyvä paikka" in section and "Bra arbetstagare" in section and "Saga Berg" in section
    assert section.count("<tr>") == 5  # header + end (2) + 3 months (2)
