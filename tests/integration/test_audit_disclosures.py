"""Pages, files and refusals in the audit log: every employer-portal page that
shows a participant's data, every CSV export and every refused access."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import login


@pytest.fixture
def world(factory):
    org = factory.organization()
    employer = factory.employer(org)
    coach = factory.user("coach", org)
    shared = factory.participant(coach, first_name="Aino", consent_given=True)
    private = factory.participant(coach, first_name="Jussi", consent_given=False)
    period = factory.period(shared, employer, end_date=date(2026, 3, 31), phase="ended")
    return {
        "org": org,
        "coach": coach,
        "supervisor": factory.user("supervisor", org),
        "rep": factory.representative(employer),
        "shared": shared,
        "private": private,
        "period": period,
        "shown": factory.demonstration(shared, employer),
        "unnamed": factory.demonstration(private, employer),
        "voucher": factory.voucher(period, "requested"),
    }


def events(action: str, user) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.user_id == user.id)
        .order_by(AuditEvent.id)
    ).all()


# The employer portal: a third party reading participants' data


def test_the_portal_page_logs_every_participant_whose_records_it_shows(client, world):
    login(client, world["rep"].email, PASSWORD)
    assert client.get("/employer").status_code == 200
    (read,) = events("read", world["rep"])
    assert sorted(read.detail["ids"]) == sorted([world["shared"].id, world["private"].id])
    assert read.detail["page"] == "/employer"


def test_a_portal_demonstration_page_is_logged(client, world):
    login(client, world["rep"].email, PASSWORD)
    path = f"/employer/demonstrations/{world['shown'].id}"
    assert client.get(path).status_code == 200
    (read,) = events("read", world["rep"])
    assert read.detail == {"ids": [world["shared"].id], "page": path}


# Refused access


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("rep", "/review/periods", 403),
        ("coach", "/employer", 403),
        ("rep", "/employer/demonstrations/{other}", 404),
        ("supervisor", "/participants/{other}", 403),
    ],
)
def test_refused_access_is_logged(client, factory, world, role, path, status):
    elsewhere = factory.organization()
    other_coach = factory.user("coach", elsewhere)
    stranger = factory.participant(other_coach)
    other_demo = factory.demonstration(stranger, factory.employer(elsewhere))
    ids = {"participants": stranger.id, "employer": other_demo.id}
    path = path.format(other=ids["employer"] if "employer/" in path else ids["participants"])
    login(client, world[role].email, PASSWORD)
    assert client.get(path).status_code == status
    (refused,) = events("refused", world[role])
    assert refused.detail == {"status": status, "method": "GET", "page": path}
    assert refused.ip == "127.0.0.1"


def test_an_unknown_address_or_an_anonymous_refusal_is_not_an_access_event(client, world):
    client.get("/review/periods")  # anonymous: sent to the login page
    login(client, world["coach"].email, PASSWORD)
    assert client.get("/no/such/page").status_code == 404
    db.session.expire_all()
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).all()


def test_a_refused_sync_call_is_logged(app, world):
    # A representative's device asking for the signers of the caseload.
    device = SimDevice(app, world["rep"])
    response = device.client.get("/api/sync/signers", headers=device.auth)
    assert response.status_code == 403
    (refused,) = events("refused", world["rep"])
    assert refused.detail["page"] == "/api/sync/signers"


# Exports


def test_the_periods_csv_is_logged_as_an_export_naming_whose_data_it_holds(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    response = client.get("/review/periods.csv")
    assert response.status_code == 200
    (export,) = events("export", world["supervisor"])
    assert export.detail == {
        "ids": [world["shared"].id],
        "rows": 1,
        "file": "/review/periods.csv",
    }
    assert not events("read", world["supervisor"])


def test_the_outcome_record_csv_is_logged_as_an_export(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    range_ = {"from": "2026-01-01", "to": "2026-12-31"}
    assert client.get("/outcomes/records/vouchers.csv", query_string=range_).status_code == 200
    (export,) = events("export", world["supervisor"])
    assert world["shared"].id in export.detail["ids"]
    assert export.detail["file"].startswith("/outcomes/records/vouchers.csv?")


def test_the_figures_csv_is_logged_although_it_names_nobody(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    assert client.get("/outcomes/figures.csv").status_code == 200
    (export,) = events("export", world["supervisor"])
    assert export.detail["ids"] == []
    assert export.detail["rows"] > 0
