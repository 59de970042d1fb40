"""Restriction (GDPR Art. 18): the participant's records stay readable but
nobody changes them, by push or at the desk, and the figures leave them out,
until the restriction is lifted."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Conflict, ProcessingRestriction
from server.outcomes.cohorts import Scope, served
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def _post(client, path, page, **form):
    token = csrf_token(client, page)
    return client.post(path, data={"csrf_token": token, **form})


def _served_ids(w) -> set[str]:
    scope = Scope(w.org.id, date(2026, 1, 1), date(2026, 12, 31))
    return {row.participant_id for row in db.session.execute(served(scope))}


def test_a_restricted_participant_is_frozen_until_lifted(app, client, subject_world):
    w = subject_world
    page = f"/subjects/{w.participant.id}"
    phone = SimDevice(app, w.coach)
    phone.pull()
    assert w.participant.id in _served_ids(w)

    login(client, w.admin.email, PASSWORD)
    response = _post(client, f"{page}/restrict", page, reason="Oikeellisuus kiistetty")
    assert response.status_code == 302
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "restrict"))

    # Readable: the export page and the phone's pull still show the records.
    assert "Ilmari Tuulenpesä" in client.get(page).get_data(as_text=True)
    # Not editable by push ...
    phone.upsert("participant", w.participant.id, municipality="Kempele")
    phone.upsert("participant", w.other.id, municipality="Kempele")
    assert [r["status"] for r in phone.push()] == ["rejected", "applied"]
    # ... nor at the desk.
    desk = db.session.get(type(w.supervisor), w.supervisor.id)
    supervisor = app.test_client()
    login(supervisor, desk.email, PASSWORD)
    conflict = db.session.scalar(select(Conflict))
    resolved = _post(
        supervisor, f"/review/conflicts/{conflict.id}/resolve", "/review/conflicts", choice="1"
    )
    assert resolved.status_code == 409
    assert "käsittelyä on rajoitettu" in resolved.get_data(as_text=True)
    returned = _post(
        supervisor,
        "/review/returns",
        "/review/conflicts",
        record=f"coaching_period:{w.period.id}",
        comment="Tarkista",
    )
    assert returned.status_code == 409
    # Left out of the figures.
    assert w.participant.id not in _served_ids(w) and w.other.id in _served_ids(w)

    assert _post(client, f"{page}/lift", page).status_code == 302
    phone.upsert("participant", w.participant.id, municipality="Kempele")
    assert [r["status"] for r in phone.push()] == ["applied"]
    assert w.participant.id in _served_ids(w)
    restriction = db.session.scalar(select(ProcessingRestriction))
    assert restriction.lifted_by_id == w.admin.id


def test_a_restriction_needs_a_reason(client, subject_world):
    w = subject_world
    page = f"/subjects/{w.participant.id}"
    login(client, w.admin.email, PASSWORD)
    response = _post(client, f"{page}/restrict", page, reason=" ")
    assert response.status_code == 422
    assert 'id="restrict_reason-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ProcessingRestriction.id)) is None


@pytest.mark.parametrize("who,status", [("supervisor", 403), ("other_admin", 404)])
def test_only_the_organizations_admin_restricts(client, subject_world, who, status):
    w = subject_world
    login(client, getattr(w, who).email, PASSWORD)
    token = csrf_token(client, "/login")
    response = client.post(
        f"/subjects/{w.participant.id}/restrict", data={"csrf_token": token, "reason": "x"}
    )
    assert response.status_code == status
    assert db.session.scalar(select(ProcessingRestriction.id)) is None
