"""Consent history: given and withdrawn with dates and who recorded it, by any
route; withdrawing hides the name from the employer side at once."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import ConsentEvent, Participant
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def _history(participant_id) -> list[tuple]:
    db.session.expire_all()
    return [
        (e.given, e.on_date, e.recorded_by_id)
        for e in db.session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.participant_id == participant_id)
            .order_by(ConsentEvent.id)
        )
    ]


def _post_consent(client, participant_id, **form):
    token = csrf_token(client, f"/subjects/{participant_id}")
    return client.post(f"/subjects/{participant_id}/consent", data={"csrf_token": token, **form})


def test_consent_given_at_creation_is_the_first_entry(subject_world):
    w = subject_world
    assert _history(w.participant.id) == [(True, date(2026, 8, 20), None)]
    assert _history(w.other.id)[0][0] is True


def test_withdrawal_at_the_desk_is_recorded_and_hides_the_name_from_the_employer(
    app, client, subject_world
):
    w = subject_world
    portal = app.test_client()
    login(portal, w.representative.email, PASSWORD)
    assert "Tuulenpesä" in portal.get("/employer").get_data(as_text=True)

    login(client, w.supervisor.email, PASSWORD)
    today = date.today()
    response = _post_consent(client, w.participant.id, given="no", on_date=today.isoformat())
    assert response.status_code == 302
    assert _history(w.participant.id)[-1] == (False, today, w.supervisor.id)
    assert db.session.get(Participant, w.participant.id).consent_given is False
    assert "Tuulenpesä" not in portal.get("/employer").get_data(as_text=True)
    page = client.get(f"/subjects/{w.participant.id}").get_data(as_text=True)
    assert "Suostumus peruttu" in page and today.strftime("%d.%m.%Y") in page

    # Given again: a third entry; the same answer twice adds nothing.
    _post_consent(client, w.participant.id, given="yes", on_date=today.isoformat())
    _post_consent(client, w.participant.id, given="yes", on_date=today.isoformat())
    assert [g for g, _d, _u in _history(w.participant.id)] == [True, False, True]


def test_a_consent_change_pushed_by_a_device_is_in_the_history(app, subject_world):
    w = subject_world
    phone = SimDevice(app, w.coach)
    phone.pull()
    phone.upsert("participant", w.participant.id, consent_given=False)
    assert phone.push()[0]["status"] == "applied"
    assert _history(w.participant.id)[-1] == (False, date.today(), w.coach.id)


@pytest.mark.parametrize(
    "form,field,message",
    [
        ({"on_date": "2026-01-01"}, "given", "Valitse, annettiinko vai peruttiinko suostumus."),
        ({"given": "no", "on_date": "1.1.2026"}, "on_date", "muodossa VVVV-KK-PP"),
        (
            {"given": "no", "on_date": (date.today() + timedelta(days=1)).isoformat()},
            "on_date",
            "Päivä ei voi olla tulevaisuudessa.",
        ),
    ],
)
def test_bad_consent_input_is_refused_naming_the_field(client, subject_world, form, field, message):
    w = subject_world
    login(client, w.admin.email, PASSWORD)
    response = _post_consent(client, w.participant.id, **form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert len(_history(w.participant.id)) == 1


@pytest.mark.parametrize("who,status", [("coach", 403), ("other_supervisor", 404)])
def test_only_the_desk_records_consent_here(client, subject_world, who, status):
    w = subject_world
    login(client, getattr(w, who).email, PASSWORD)
    token = csrf_token(client, "/login")
    response = client.post(
        f"/subjects/{w.participant.id}/consent",
        data={"csrf_token": token, "given": "no", "on_date": date.today().isoformat()},
    )
    assert response.status_code == status
    assert len(_history(w.participant.id)) == 1


def test_migration_0010_gives_each_existing_consent_one_entry(app, factory):
    from flask_migrate import downgrade, upgrade

    coach = factory.user("coach")
    dated = factory.participant(coach, consent_date=date(2025, 3, 4))
    undated = factory.participant(coach)
    refused = factory.participant(coach, consent_given=False)
    db.session.commit()
    downgrade(revision="0006")
    db.session.commit()
    upgrade()
    assert _history(dated.id) == [(True, date(2025, 3, 4), None)]
    [(given, on_date, _by)] = _history(undated.id)
    assert given is True and on_date == undated.created_at.date()
    assert _history(refused.id) == []
