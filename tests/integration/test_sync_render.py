"""The database renders the records a pull sends (server/sync_api/render.py):
for every synced type it must say exactly what the Python rendering of the
same row says (sync.record.wire_form of the state the merge reads)."""

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from server.demo import load_demo
from server.extensions import db
from server.models import Note, ReviewReturn
from server.records.registry import SYNCED
from server.sync_api import render
from server.sync_api.fields import row_columns, temporal_fields
from server.sync_api.rows import state_of
from server.sync_api.store import SqlStore
from sync.record import wire_form
from tests.support.device import SimDevice


def python_rendered(store: SqlStore, record_type: str) -> dict[str, dict]:
    table = SYNCED[record_type].table
    columns = [table.c[name] for name in row_columns(record_type)]
    rows = store.conn.execute(select(*columns)).mappings()
    return {row["id"]: wire_form(state_of(record_type, dict(row))) for row in rows}


def same_instants(record_type: str, wire: dict) -> dict:
    """Timestamps as instants: "…10:00:00" and "…10:00:00.000000" are one time."""
    fields = dict(wire["fields"])
    for name in temporal_fields(record_type):
        if isinstance(fields.get(name), str) and "T" in fields[name]:
            fields[name] = datetime.fromisoformat(fields[name]).timestamp()
    return {**wire, "fields": fields}


@pytest.fixture
def everything(app, factory):
    """The demo organization (every record type), plus what it lacks: a
    tombstone, a record re-created after a delete, and timestamps with and
    without a fraction of a second."""
    load_demo()
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    gone = device.upsert(
        "participant", first_name="Poistuva", last_name="Henkilö", coach_id=coach.id
    )
    back = device.upsert(
        "participant", first_name="Palaava", last_name="Henkilö", coach_id=coach.id
    )
    device.push()
    device.delete("participant", gone)
    device.delete("participant", back)
    device.push()
    device.upsert("participant", record_id=back, first_name="Palaava", last_name="Taas")
    device.push()
    employer = factory.employer(coach.organization)
    period = factory.period(factory.participant(coach), employer)
    voucher = factory.voucher(period, status="requested")
    voucher.requested_at = datetime(2026, 11, 2, 9, 30)
    voucher.decided_at = datetime(2026, 11, 3, 14, 15, 16, 123456)
    participant = period.participant_id
    db.session.add(Note(participant_id=participant, period_id=period.id, body="Ensimmäinen päivä"))
    demo = factory.demonstration(period.participant, employer, period_id=period.id)
    factory.signoff(demo, status="failed", verification_reason="content does not match")
    db.session.add(
        ReviewReturn(
            organization_id=coach.organization_id,
            record_type="coaching_period",
            record_id=period.id,
            participant_id=participant,
            coach_id=coach.id,
            comment="Täydennä tavoitteet",
            returned_by_id=coach.id,
        )
    )
    db.session.commit()
    return {"gone": gone, "back": back}


def test_every_type_renders_in_the_database_as_in_python(app, everything):
    store = SqlStore(db.session.connection())
    seen_types = 0
    for record_type in SYNCED:
        expected = python_rendered(store, record_type)
        got = render.rendered(store.conn, record_type, list(expected))
        assert set(got) == set(expected), record_type
        for record_id, text in got.items():
            assert same_instants(record_type, json.loads(text)) == same_instants(
                record_type, expected[record_id]
            ), (record_type, record_id)
        seen_types += bool(expected)
    assert seen_types == len(SYNCED), "the demo data should hold every synced type"


def test_a_tombstone_carries_only_the_delete_stamp(app, everything):
    store = SqlStore(db.session.connection())
    texts = render.rendered(store.conn, "participant", [everything["gone"], everything["back"]])
    gone, back = json.loads(texts[everything["gone"]]), json.loads(texts[everything["back"]])
    assert gone["deleted"] is True and gone["fields"] == {}
    assert list(gone["stamps"]) == ["_deleted"] and gone["stamps"]["_deleted"]
    # Re-created after its delete: a live record whose stamps are its fields' only.
    assert back["deleted"] is False and back["fields"]["last_name"] == "Taas"
    assert "_deleted" not in back["stamps"]


def test_unknown_ids_are_left_out(app, everything):
    store = SqlStore(db.session.connection())
    assert render.rendered(store.conn, "goal", ["00000000-0000-4000-8000-000000000000"]) == {}
    assert render.rendered(store.conn, "goal", []) == {}
