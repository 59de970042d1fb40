"""Access and portability (GDPR Art. 15, 20): one participant's export, who may
start it, and that starting it is logged."""

import json

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from server.sync_api.participant_records import linked_types
from tests.support.factories import PASSWORD
from tests.support.web import login


def _as(client, user):
    login(client, user.email, PASSWORD)
    return client


def test_linked_types_follow_the_registry():
    names = [t.synced.name for t in linked_types()]
    # Every type whose scope parent chain ends at a participant, parents first.
    assert names[0] == "participant"
    assert {"coaching_period", "goal", "assessment", "signoff", "event_attendance"} <= set(names)
    assert "employer" not in names and "meeting_event" not in names
    for linked in linked_types()[1:]:
        assert names.index(linked.parent_type) < names.index(linked.synced.name)


def test_json_export_holds_every_record_type_and_nothing_of_another(client, subject_world):
    w = subject_world
    _as(client, w.admin)
    response = client.get(f"/subjects/{w.participant.id}/export.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert set(data["records"]) == {t.synced.name for t in linked_types()}
    text = response.get_data(as_text=True)
    for value in w.personal_values:
        if value != "Toinen kuvaus Ilmarin selästä":
            assert json.dumps(value, ensure_ascii=False)[1:-1] in text, value
    # The conflict keeps both values, the signed content is there.
    assert data["conflicts"][0]["values"][1]["value"] == "Toinen kuvaus Ilmarin selästä"
    assert "Varastonäyttö" in data["records"]["signoff"][0]["signed_content"]
    assert data["consent_history"][0]["given"] is True
    # Nothing about the participant next to them.
    assert w.other.id not in text and w.other_period.id not in text
    assert "Naapuri" not in text and "Kertun" not in text


def test_the_page_is_readable_in_each_language_and_logged(client, subject_world):
    w = subject_world
    _as(client, w.supervisor)
    page = client.get(f"/subjects/{w.participant.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Rekisteröidyn tiedot: Ilmari Tuulenpesä" in html
    assert "Ilmarin sisko soitti" in html and "Suostumushistoria" in html
    assert page.headers["Cache-Control"] == "no-store"
    # A supervisor may show it, but erasing is the admin's: no erase form.
    assert "/erase" not in html
    exports = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.entity_id == w.participant.id
        )
    ).all()
    assert [(e.user_id, e.detail) for e in exports] == [(w.supervisor.id, {"format": "page"})]


@pytest.mark.parametrize(
    "lang,title", [("sv", "Den registrerades uppgifter"), ("en", "Data held about")]
)
def test_the_page_in_swedish_and_english(client, subject_world, lang, title):
    w = subject_world
    w.admin.language = lang
    db.session.commit()
    _as(client, w.admin)
    html = client.get(f"/subjects/{w.participant.id}").get_data(as_text=True)
    assert f"{title}: Ilmari Tuulenpesä" in html
    assert "subjects." not in html  # no untranslated key


@pytest.mark.parametrize(
    "who,status",
    [("coach", 403), ("representative", 403), ("other_supervisor", 404), ("other_admin", 404)],
)
def test_nobody_else_may_export(client, subject_world, who, status):
    w = subject_world
    _as(client, getattr(w, who))
    assert client.get(f"/subjects/{w.participant.id}").status_code == status
    assert client.get(f"/subjects/{w.participant.id}/export.json").status_code == status
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "export")) is None


def test_admin_finds_the_participant_from_the_admin_page(client, subject_world):
    w = subject_world
    _as(client, w.admin)
    assert "/subjects/" in client.get("/admin/users").get_data(as_text=True)
    found = client.get("/subjects/?q=tuulen").get_data(as_text=True)
    assert f"/subjects/{w.participant.id}" in found and "Naapuri" not in found
