"""The migrations are the schema: they match the models and go down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from server.extensions import db
from server.models import Participant
from sync.record import FieldMeta, encode_meta, meta_from_json


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(app):
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "audit_events" in inspect(db.engine).get_table_names()


def test_field_meta_moves_between_layouts_without_losing_a_write(app, factory):
    """0006 rewrites every record's field metadata; down and up again it is the same."""
    record = factory.participant(factory.user("coach"))
    own = FieldMeta("0000000000001-00000-dev-a", "dev-a", 7, 2)
    bounded = FieldMeta("0000000000002-00000-dev-b", "dev-b", 8, 3, "9999999999999-00000-dev-b")
    shared = FieldMeta("0000000000003-00000-dev-c", "dev-c", 9, 3, shared=True)
    deletion = FieldMeta("0000000000004-00000-dev-a", "dev-a", 7, 4)
    meta = {"first_name": own, "last_name": own, "municipality": bounded, "phone": shared}
    table = Participant.__table__
    stored = encode_meta(meta, deletion)
    db.session.execute(table.update().where(table.c.id == record.id).values(field_meta=stored))
    db.session.commit()

    downgrade(revision="0005")
    [old] = db.session.execute(select(table.c.field_meta).where(table.c.id == record.id)).one()
    db.session.commit()
    assert old["first_name"] == {"s": own.stamp, "d": "dev-a", "u": 7, "v": 2}
    assert old["municipality"]["ds"] == bounded.device_stamp
    assert old["phone"]["sh"] is True
    assert old["_deleted"] == {"s": deletion.stamp, "d": "dev-a", "u": 7, "v": 4}

    upgrade()
    [new] = db.session.execute(select(table.c.field_meta).where(table.c.id == record.id)).one()
    assert meta_from_json(new) == (meta, deletion)
    # Each write once: own (two fields), bounded, shared and the deletion.
    assert new["s"]["last_name"] == own.stamp and len(new["w"]) == 4
