"""Deleted records drop out of the desk: its pages, lists, counts and CSVs.

A participant deleted on a phone (a tombstone, docs/sync-protocol.md M7) is
neither counted nor named at /events/, on an event's page or in the outcome
lists of events, whatever became of the attendance rows under it.
"""

import csv
import io
import re
from datetime import date

import pytest

from server.extensions import db
from tests.support.factories import PASSWORD
from tests.support.web import login

RANGE = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def world(factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    kept = factory.participant(coach, first_name="Aino", last_name="Pysyvä")
    gone = factory.participant(coach, first_name="Erkki", last_name="Poistettu")
    event = factory.event(org, date(2026, 5, 4), title="Työkohtaamo toukokuu")
    factory.attendance(event, kept, attended=True, meetings_held=2)
    factory.attendance(event, gone, attended=True, meetings_held=3, got_work=True)
    employer = factory.employer(org, name="Konepaja Oy")
    factory.period(kept, employer)
    # Rows a participant deleted before deletes took their children along.
    orphan = factory.period(gone, employer, phase="ended", end_date=date(2026, 6, 1))
    factory.voucher(orphan, status="eligible")
    factory.demonstration(gone, employer, title="Poistetun työnäyttö")
    db.session.commit()
    # Deleted the way a device's delete lands: the participant's tombstone only.
    gone.deleted = True
    db.session.commit()
    supervisor = factory.user("supervisor", org)
    return {"event": event, "supervisor": supervisor, "employer": employer}


@pytest.fixture
def desk(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    return client


def _csv(client, url):
    body = client.get(url, query_string=RANGE)
    assert body.status_code == 200
    return list(
        csv.reader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


def test_event_list_counts_only_living_participants(desk, world):
    html = desk.get("/events/").get_data(as_text=True)
    row = html[html.index("Työkohtaamo toukokuu") :]
    row = row[: row.index("</tr>")]
    # attended 1, meetings 2, got work 0: the deleted one's 1 / 3 / 1 left out.
    assert re.findall(r'class="num">(\d+)<', row)[:3] == ["1", "2", "0"]


def test_event_page_names_no_deleted_participant(desk, world):
    html = desk.get(f"/events/{world['event'].id}").get_data(as_text=True)
    assert "Pysyvä" in html
    assert "Poistettu" not in html


def test_outcome_event_list_and_csv_leave_deleted_out(desk, world):
    rows = _csv(desk, "/outcomes/records/events.csv")
    assert rows[1][0] == "Työkohtaamo toukokuu"
    assert rows[1][rows[0].index("Osallistujia")] == "1"
    attendees = _csv(desk, "/outcomes/records/attendees.csv")[1:]
    assert len(attendees) == 1 and "Poistettu" not in attendees[0][0]


def test_employer_page_and_vouchers_leave_a_deleted_participants_records_out(desk, world):
    html = desk.get(f"/employers/{world['employer'].id}").get_data(as_text=True)
    assert "Poistetun työnäyttö" not in html
    assert re.search(r'periods\?employer=[^"]*">1</a>', html)
    vouchers = desk.get("/vouchers/", query_string={"status": "all"}).get_data(as_text=True)
    assert "Poistettu" not in vouchers
