"""Erasure (GDPR Art. 17): the personal content goes from every table, the
devices receive the removal at their next pull, the audit trail stays,
pseudonymized."""

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Erasure, Participant
from server.subjects.erasure import pseudonym_of
from server.sync_api import participant_records
from server.sync_api.participant_records import linked_types
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

REASON = "Rekisteröidyn pyyntö, saapunut 1.12.2026"


def _erase(client, participant_id, **form):
    token = csrf_token(client, f"/subjects/{participant_id}")
    data = {"csrf_token": token, "reason": REASON, "confirm": "yes", **form}
    return client.post(f"/subjects/{participant_id}/erase", data=data)


def _every_text_in_the_database() -> str:
    """Every row of every table, as text (JSON columns included)."""
    chunks = []
    with db.engine.connect() as conn:
        for name in sa.inspect(conn).get_table_names():
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            for row in conn.execute(select(table)):
                for value in row:
                    if isinstance(value, dict | list):
                        value = orjson.dumps(value).decode()
                    chunks.append(str(value))
    return "\n".join(chunks)


def test_erasure_leaves_no_personal_value_in_any_table(app, client, subject_world):
    w = subject_world
    phone = SimDevice(app, w.coach)
    phone.pull()
    records = participant_records.records_of(db.session, w.participant.id)
    theirs = {(name, r.id) for name, rows in records.items() for r in rows}
    before = _every_text_in_the_database()
    for value in w.personal_values:
        assert value in before, value
    audit_count = db.session.scalar(select(func.count(AuditEvent.id)))

    login(client, w.admin.email, PASSWORD)
    assert _erase(client, w.participant.id).status_code == 302

    after = _every_text_in_the_database()
    assert [v for v in w.personal_values if v in after] == []
    assert "Naapuri" in after and "Kertun oma tavoite" in after  # the other one stays
    # Every audit entry stays, and new ones tell of the erasure.
    assert db.session.scalar(select(func.count(AuditEvent.id))) > audit_count
    pseudonym = pseudonym_of(w.participant.id)
    entries = db.session.scalars(select(AuditEvent)).all()
    assert not [e for e in entries if e.entity_id == w.participant.id]
    assert not [e for e in entries if w.participant.id in orjson.dumps(e.detail).decode()]
    assert {e.action for e in entries if e.entity_id == pseudonym} >= {"create", "erase"}
    erasure = db.session.scalar(select(Erasure))
    assert (erasure.pseudonym, erasure.reason, erasure.erased_by_id) == (
        pseudonym,
        REASON,
        w.admin.id,
    )
    assert erasure.records_erased >= len(linked_types())

    # The coach's phone receives the removal of every record of theirs it held,
    # and keeps the other participant's.
    phone.pull()
    assert theirs and theirs <= set(phone.replica.records)
    assert theirs <= phone.replica.deleted
    assert ("participant", w.other.id) not in phone.replica.deleted


def test_a_second_erasure_changes_nothing(client, subject_world):
    w = subject_world
    login(client, w.admin.email, PASSWORD)
    _erase(client, w.participant.id)
    count = db.session.scalar(select(func.count(AuditEvent.id)))
    response = _erase(client, w.participant.id)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Erasure.id))) == 1
    # Only the page read that showed the form was added.
    assert db.session.scalar(select(func.count(AuditEvent.id))) == count + 1
    page = client.get(f"/subjects/{w.participant.id}").get_data(as_text=True)
    assert pseudonym_of(w.participant.id) in page and "/erase" not in page
    # The export after the erasure shows what was done, and logs itself under the pseudonym.
    assert "<td>tietojen poisto</td>" in page
    ids = db.session.scalars(select(AuditEvent.entity_id)).all()
    assert w.participant.id not in ids
    token = csrf_token(client, f"/subjects/{w.participant.id}")
    restrict = client.post(
        f"/subjects/{w.participant.id}/restrict", data={"csrf_token": token, "reason": "x"}
    )
    assert restrict.status_code == 409


@pytest.mark.parametrize(
    "form,field,message",
    [
        ({"confirm": ""}, "confirm", "Vahvista poisto rastittamalla ruutu."),
        ({"reason": "  "}, "reason", "Syy on pakollinen."),
        ({"reason": "x" * 1001}, "reason", "enintään 1000 merkkiä"),
    ],
)
def test_an_unconfirmed_erasure_is_refused(client, subject_world, form, field, message):
    w = subject_world
    login(client, w.admin.email, PASSWORD)
    response = _erase(client, w.participant.id, **form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    db.session.expire_all()
    assert db.session.get(Participant, w.participant.id).last_name == "Tuulenpesä"


@pytest.mark.parametrize("who,status", [("supervisor", 403), ("coach", 403), ("other_admin", 404)])
def test_only_the_organizations_admin_erases(client, subject_world, who, status):
    w = subject_world
    login(client, getattr(w, who).email, PASSWORD)
    token = csrf_token(client, "/login")
    response = client.post(
        f"/subjects/{w.participant.id}/erase",
        data={"csrf_token": token, "reason": REASON, "confirm": "yes"},
    )
    assert response.status_code == status
    assert db.session.get(Participant, w.participant.id).deleted is False


def test_erasure_needs_the_csrf_token(client, subject_world):
    w = subject_world
    login(client, w.admin.email, PASSWORD)
    response = client.post(
        f"/subjects/{w.participant.id}/erase", data={"reason": REASON, "confirm": "yes"}
    )
    assert response.status_code == 400
    assert db.session.get(Participant, w.participant.id).deleted is False


def test_the_audit_log_refuses_other_rewrites(subject_world):
    """The permit of migration 0010 is the only way past the append-only triggers."""
    entry = db.session.scalar(select(AuditEvent).limit(1))
    table = AuditEvent.__table__
    for statement in (
        sa.update(table).where(table.c.id == entry.id).values(entity_id="x"),
        sa.delete(table).where(table.c.id == entry.id),
    ):
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            db.engine.begin() as conn,
        ):
            conn.execute(statement)


def test_a_pending_edit_from_a_phone_cannot_bring_an_erased_participant_back(
    app, client, subject_world
):
    w = subject_world
    phone = SimDevice(app, w.coach)
    phone.pull()
    login(client, w.admin.email, PASSWORD)
    _erase(client, w.participant.id)
    # Made offline before the phone heard of the erasure.
    phone.upsert("participant", w.participant.id, last_name="Tuulenpesä", phone="+358 40 1")
    phone.upsert("goal", None, period_id=w.period.id, area="competence", title="Ilmarin uusi")
    kept = phone.upsert("note", None, participant_id=w.other.id, body="Kertun muistiinpano")
    results = phone.push()
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
    assert "erased" in results[0]["errors"]["participant_id"][0]
    after = _every_text_in_the_database()
    assert "Tuulenpesä" not in after and "Ilmarin uusi" not in after
    assert "Kertun muistiinpano" in after and kept
    db.session.expire_all()
    assert db.session.get(Participant, w.participant.id).deleted is True
