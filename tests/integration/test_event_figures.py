"""Events as they run (seed 002): the event and employer figures count the
employers taking part, the meetings they held, the job seekers who are not
clients (named only with their consent) and who got work where. Each figure
equals the value worked out by hand below; its link opens its numerator's
records; the figures' CSV has a unit column.

Range 1.1.–30.6.2026, organization A:

| event | date | employers (meetings) | clients | non-clients |
|---|---|---|---|---|
| EV1 | 10.2. | E1 (4), E2 (2) | P1 (work at E1), P2 | G1 named (work at E2), G2 no consent |
| EV2 | 5.5. | E1 (3), E3 deleted | P2 (work at E1), P3 did not come | G3 (work at E1), G4 deleted |
| EV3 | 1.8. | E3 | – | G5 (work) — after the range |
| EV4 | 3.3., deleted | E4 | – | G6 (work) |

Contacts: E2 15.1. (nothing), E4 1.3. informed, E3 1.12.2025 informed and adopted.
"""

import csv
import io
from datetime import date

import pytest

from server.outcomes import figures
from server.outcomes.cohorts import Scope
from tests.support.factories import PASSWORD
from tests.support.web import login

START, END = date(2026, 1, 1), date(2026, 6, 30)
RANGE = {"from": START.isoformat(), "to": END.isoformat()}
SECRET = "Salainen Nimi"


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.fixture
def data(factory):
    f = factory
    org = f.organization(name="A")
    coach = f.user("coach", org)
    supervisor = f.user("supervisor", org)
    e1, e2, e3, e4 = (f.employer(org, name=f"E{i}") for i in range(1, 5))
    p1, p2, p3 = (f.participant(coach, first_name=n, last_name="Testi") for n in ("P1", "P2", "P3"))

    ev1 = f.event(org, d(2, 10))
    f.event_employer(ev1, e1, meetings_held=4)
    f.event_employer(ev1, e2, meetings_held=2)
    f.attendance(ev1, p1, meetings_held=2, got_work=True, employer_id=e1.id)
    f.attendance(ev1, p2, meetings_held=1)
    f.guest(
        ev1,
        name="Maija Vieras",
        name_consent=True,
        meetings_held=2,
        got_work=True,
        employer_id=e2.id,
    )
    # A name typed without consent is never shown.
    f.guest(ev1, name=SECRET, name_consent=False, meetings_held=1)

    ev2 = f.event(org, d(5, 5))
    f.event_employer(ev2, e1, meetings_held=3)
    f.event_employer(ev2, e3, meetings_held=5, deleted=True)
    f.attendance(ev2, p2, meetings_held=1, got_work=True, employer_id=e1.id)
    f.attendance(ev2, p3, attended=False)
    f.guest(ev2, meetings_held=2, got_work=True, employer_id=e1.id)
    f.guest(ev2, got_work=True, deleted=True)

    ev3 = f.event(org, d(8, 1))
    f.event_employer(ev3, e3, meetings_held=1)
    f.guest(ev3, got_work=True)
    ev4 = f.event(org, d(3, 3), deleted=True)
    f.event_employer(ev4, e4, meetings_held=6)
    f.guest(ev4, got_work=True)

    f.contact(e2, coach, d(1, 15))
    f.contact(e4, coach, d(3, 1), informed_of_alternative_recruitment=True)
    f.contact(
        e3,
        coach,
        d(12, 1, 2025),
        informed_of_alternative_recruitment=True,
        adopted_alternative_recruitment=True,
    )

    # Organization B: an event with an employer and a non-client, never counted for A.
    other = f.organization(name="B")
    oev = f.event(other, d(2, 2))
    f.event_employer(oev, f.employer(other), meetings_held=7)
    f.guest(oev, got_work=True)
    return {"org": org, "supervisor": supervisor}


@pytest.fixture
def computed(data) -> figures.Figures:
    return figures.compute(Scope(data["org"].id, START, END))


def test_events_employers_and_meetings(computed):
    # EV1 and EV2; not EV3 (August) or the deleted EV4.
    assert computed.events == 2
    # E1 (twice, once) and E2; E3's place at EV2 is deleted, E4's event is.
    assert computed.employers_at_events == 2
    # Meetings the employers held: EV1 4 + 2, EV2 3.
    assert computed.meetings == 9


def test_attendees_include_non_clients(computed):
    # Clients P1 and P2 (at two events: once); P3 did not come. Non-clients G1, G2, G3.
    assert computed.attendees == 5
    assert computed.non_client_attendees == 3


def test_employed_from_events_counts_non_clients(computed):
    # P1, P2, G1, G3 of the five.
    share = computed.employed_from_events
    assert (share.numerator, share.denominator, share.percent) == (4, 5, 80.0)


def test_taking_part_in_an_event_counts_as_contact_informed_and_adopted(computed):
    # Contacted: E1 (events only), E2 (contact and event), E4 (contact); E3's contact
    # was in 2025 and its place at EV2 is deleted.
    assert computed.employers_contacted == 3
    informed, adopted = computed.employers_informed, computed.employers_adopted
    # Informed within the range: E1, E2 (events), E4 (contact); E3's 2025 info is not counted.
    assert (informed.numerator, informed.denominator, informed.percent) == (3, 3, 100.0)
    assert (adopted.numerator, adopted.denominator, adopted.percent) == (2, 3, 66.7)


@pytest.fixture
def supervisor_client(client, data):
    login(client, data["supervisor"].email, PASSWORD)
    return client


def _rows(client, url, **params):
    body = client.get(url, query_string={**RANGE, **params})
    assert body.status_code == 200
    text = body.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_links_open_the_numerators_records(supervisor_client):
    html = supervisor_client.get("/outcomes/", query_string=RANGE).get_data(as_text=True)
    for key in ("employers_informed", "employers_adopted", "employed_from_events"):
        assert f"/outcomes/records/{key}?from=2026-01-01&amp;to=2026-06-30" in html, key
    employed = _rows(supervisor_client, "/outcomes/records/employed_from_events.csv")
    header, body = employed[0], employed[1:]
    assert header[0] == "Työnhakija" and header[-1] == "Työllistyi minne"
    assert sorted((r[0], r[-1]) for r in body) == [
        ("Maija Vieras", "E2"),
        ("Muu työnhakija (ei nimeä)", "E1"),
        ("P1 Testi", "E1"),
        ("P2 Testi", "E1"),
    ]
    informed = _rows(supervisor_client, "/outcomes/records/employers_informed.csv")[1:]
    assert sorted(r[0] for r in informed) == ["E1", "E2", "E4"]
    adopted = _rows(supervisor_client, "/outcomes/records/employers_adopted.csv")[1:]
    assert sorted(r[0] for r in adopted) == ["E1", "E2"]
    at_events = _rows(supervisor_client, "/outcomes/records/event_employers.csv")[1:]
    assert sorted((r[0], r[-1]) for r in at_events) == [("E1", "7"), ("E2", "2")]


def test_non_clients_are_named_only_with_consent(supervisor_client):
    attendees = _rows(supervisor_client, "/outcomes/records/attendees.csv")[1:]
    assert len(attendees) == 5
    assert sum(1 for r in attendees if r[1] == "Ei") == 3
    assert not any(SECRET in cell for row in attendees for cell in row)
    page = supervisor_client.get("/outcomes/records/attendees", query_string=RANGE)
    assert SECRET not in page.get_data(as_text=True)


def test_each_figure_has_a_one_line_definition(supervisor_client):
    html = supervisor_client.get("/outcomes/", query_string=RANGE).get_data(as_text=True)
    # 15 figures of job seekers, employers and events, and 3 of both parties satisfied.
    assert html.count('class="meta definition"') == 18
    assert "Per työnantaja: sai infon aikavälillä (ei koskaan aiemmin saatua)" in html
    assert "Per jakso: aikavälillä päättyneet jaksot" in html


def test_figures_csv_has_a_unit_column(supervisor_client):
    table = _rows(supervisor_client, "/outcomes/figures.csv")
    assert table[0][3] == "Yksikkö"
    rows = {r[0]: r for r in table}
    assert rows["events"][2:4] == ["2", "työkohtaamoa"]
    assert rows["employers_at_events"][2:4] == ["2", "työnantajaa"]
    assert rows["meetings"][2:4] == ["9", "tapaamista"]
    assert rows["attendees"][2:4] == ["5", "työnhakijaa"]
    assert rows["non_client_attendees"][2:4] == ["3", "työnhakijaa"]
    assert rows["employed_from_events"][2:] == ["80", "% työnhakijoista", "4", "5"]
    assert rows["employers_informed"][2:] == ["100", "% työnantajista", "3", "3"]
    assert rows["outcome_end"][3] == "% jaksoista"
    assert all(row[3] for row in table[1:]), "every figure names its unit"


def test_event_page_shows_employers_meetings_and_non_clients(supervisor_client, data):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import MeetingEvent

    ev1 = db.session.scalars(select(MeetingEvent).where(MeetingEvent.event_date == d(2, 10))).one()
    html = supervisor_client.get(f"/events/{ev1.id}").get_data(as_text=True)
    assert "Maija Vieras" in html and SECRET not in html
    assert "Muu työnhakija (ei nimeä)" in html
    assert html.count("E1") >= 1 and "E2" in html


def test_event_list_counts_non_clients(supervisor_client):
    html = supervisor_client.get("/events/", query_string=RANGE).get_data(as_text=True)
    assert "Muita työnhakijoita" in html
    # EV1: two non-clients, one got work; EV2: one, who got work (the deleted one is not counted).
    assert "2 (työllistyi 1)" in html and "1 (työllistyi 1)" in html
