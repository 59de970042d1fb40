"""events as they run: non-client job seekers at an event (named only with
their consent) and the meetings each taking-part employer held

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:36:23.050932

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_guests",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("name_consent", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("meetings_held", sa.Integer(), nullable=False),
        sa.Column("got_work", sa.Boolean(), nullable=False),
        sa.Column("employer_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_meta", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_event_guests_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_event_guests_employer_id_employers")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meeting_events.id"],
            name=op.f("fk_event_guests_event_id_meeting_events"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_event_guests_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_guests")),
    )
    with op.batch_alter_table("event_guests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_guests_event_id"), ["event_id"], unique=False)

    with op.batch_alter_table("meeting_event_employers", schema=None) as batch_op:
        # Existing rows: no meetings recorded yet.
        batch_op.add_column(
            sa.Column("meetings_held", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade():
    with op.batch_alter_table("meeting_event_employers", schema=None) as batch_op:
        batch_op.drop_column("meetings_held")

    with op.batch_alter_table("event_guests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_guests_event_id"))

    op.drop_table("event_guests")
