"""data-subject rights: consent history, restrictions, erasures, retention runs;
the audit log stays append-only except through a same-transaction permit

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03 16:00:00

Consent history is written by triggers on participants, so a change by any
route (a device push through the driver, a desk form through the ORM) is
recorded. Existing consents get one "given" entry each.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consent_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_consent_events_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_consent_events_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_events_participant_id"), ["participant_id"], unique=False
        )
    op.create_table(
        "processing_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restricted_by_id", sa.Integer(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_processing_restrictions_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["restricted_by_id"],
            ["users.id"],
            name=op.f("fk_processing_restrictions_restricted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["users.id"],
            name=op.f("fk_processing_restrictions_lifted_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_restrictions")),
    )
    with op.batch_alter_table("processing_restrictions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processing_restrictions_participant_id"),
            ["participant_id"],
            unique=False,
        )
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("pseudonym", sa.String(length=40), nullable=False),
        sa.Column(
            "source",
            sa.Enum("request", "retention", name="erasure_source", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_by_id", sa.Integer(), nullable=True),
        sa.Column("records_erased", sa.Integer(), nullable=False),
        sa.Column("audit_entries_pseudonymized", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "source IN ('request', 'retention')", name=op.f("ck_erasures_erasure_source")
        ),
        sa.ForeignKeyConstraint(
            ["erased_by_id"], ["users.id"], name=op.f("fk_erasures_erased_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_erasures_participant_id")),
    )
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("personal_data_years", sa.Integer(), nullable=False),
        sa.Column("audit_years", sa.Integer(), nullable=False),
        sa.Column("personal_data_cutoff", sa.Date(), nullable=False),
        sa.Column("audit_cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("participants_erased", sa.Integer(), nullable=False),
        sa.Column("audit_entries_removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_runs")),
    )
    op.create_table(
        "audit_rewrite_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("before", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_rewrite_permits")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    (_postgres_triggers if postgres else _sqlite_triggers)()
    # Existing consents, dated by their consent date or else the day the
    # participant was recorded (SQLite's CAST to DATE would keep only the year).
    day = "CAST(created_at AS DATE)" if postgres else "date(created_at)"
    op.execute(
        "INSERT INTO consent_events (participant_id, given, on_date, recorded_by_id, "  # noqa: S608
        f"recorded_at) SELECT id, consent_given, COALESCE(consent_date, {day}), "
        "created_by_id, created_at FROM participants WHERE consent_given"
    )


def _sqlite_triggers():
    op.execute("DROP TRIGGER audit_events_no_update")
    op.execute("DROP TRIGGER audit_events_no_delete")
    op.execute(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "WHEN NOT EXISTS (SELECT 1 FROM audit_rewrite_permits WHERE kind = 'pseudonymize') "
        "OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.user_id IS NOT OLD.user_id "
        "OR NEW.action IS NOT OLD.action OR NEW.entity_type IS NOT OLD.entity_type "
        "OR NEW.ip IS NOT OLD.ip "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "WHEN NOT EXISTS (SELECT 1 FROM audit_rewrite_permits "
        "WHERE kind = 'expire' AND OLD.at < before) "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER participants_consent_insert AFTER INSERT ON participants "
        "WHEN NEW.consent_given "
        "BEGIN INSERT INTO consent_events "
        "(participant_id, given, on_date, recorded_by_id, recorded_at) "
        "VALUES (NEW.id, 1, "
        "COALESCE(NEW.consent_date, date('now')), NEW.created_by_id, "
        "strftime('%Y-%m-%d %H:%M:%f', 'now')); END"
    )
    op.execute(
        "CREATE TRIGGER participants_consent_update AFTER UPDATE OF consent_given "
        "ON participants WHEN NEW.consent_given IS NOT OLD.consent_given "
        "BEGIN INSERT INTO consent_events "
        "(participant_id, given, on_date, recorded_by_id, recorded_at) "
        "VALUES (NEW.id, "
        "NEW.consent_given, CASE WHEN NEW.consent_given THEN "
        "COALESCE(NEW.consent_date, date('now')) ELSE date('now') END, NEW.updated_by_id, "
        "strftime('%Y-%m-%d %H:%M:%f', 'now')); END"
    )


def _postgres_triggers():
    op.execute(
        """
        CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE'
               AND EXISTS (SELECT 1 FROM audit_rewrite_permits WHERE kind = 'pseudonymize')
               AND NEW.id = OLD.id AND NEW.at = OLD.at
               AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id
               AND NEW.action = OLD.action
               AND NEW.entity_type IS NOT DISTINCT FROM OLD.entity_type
               AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN
                RETURN NEW;
            END IF;
            IF TG_OP = 'DELETE' AND EXISTS (
                SELECT 1 FROM audit_rewrite_permits WHERE kind = 'expire' AND OLD.at < before
            ) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit_events is append-only';
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        """
        CREATE FUNCTION participants_consent_history() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' AND NEW.consent_given THEN
                INSERT INTO consent_events (participant_id, given, on_date, recorded_by_id,
                    recorded_at) VALUES (NEW.id, TRUE,
                    COALESCE(NEW.consent_date, CURRENT_DATE), NEW.created_by_id, now());
            ELSIF TG_OP = 'UPDATE' AND NEW.consent_given IS DISTINCT FROM OLD.consent_given THEN
                INSERT INTO consent_events (participant_id, given, on_date, recorded_by_id,
                    recorded_at) VALUES (NEW.id, NEW.consent_given,
                    CASE WHEN NEW.consent_given THEN COALESCE(NEW.consent_date, CURRENT_DATE)
                         ELSE CURRENT_DATE END,
                    NEW.updated_by_id, now());
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        "CREATE TRIGGER participants_consent_history AFTER INSERT OR UPDATE OF consent_given "
        "ON participants FOR EACH ROW EXECUTE FUNCTION participants_consent_history()"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER participants_consent_history ON participants")
        op.execute("DROP FUNCTION participants_consent_history()")
        op.execute(
            """
            CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only';
            END;
            $$ LANGUAGE plpgsql;
            """
        )
    else:
        op.execute("DROP TRIGGER participants_consent_insert")
        op.execute("DROP TRIGGER participants_consent_update")
        for action in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER audit_events_no_{action.lower()}")
            op.execute(
                f"CREATE TRIGGER audit_events_no_{action.lower()} BEFORE {action} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
    op.drop_table("audit_rewrite_permits")
    op.drop_table("retention_runs")
    op.drop_table("erasures")
    with op.batch_alter_table("processing_restrictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_restrictions_participant_id"))
    op.drop_table("processing_restrictions")
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_events_participant_id"))
    op.drop_table("consent_events")
