"""void an assessment round with a reason; dated notes and their corrections,
on participants and periods (notes) and on employers (employer_notes)

Revision ID: 0013
Revises: 0012 (given 0011 after 0010; re-chained after main took 0011 and 0012)
Create Date: 2026-12-03 19:00:00

A voided round is kept (its assessments are append-only) and left out of
progress and outcome figures. A note is dated by its writer and may correct
an earlier note instead of changing it (notes are append-only).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "employer_notes",
        sa.Column("employer_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=True),
        sa.Column("corrects_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_meta", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["employer_notes.id"],
            name=op.f("fk_employer_notes_corrects_id_employer_notes"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_employer_notes_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_employer_notes_employer_id_employers")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_employer_notes_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_notes")),
    )
    with op.batch_alter_table("employer_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_employer_notes_employer_id"), ["employer_id"], unique=False
        )
    with op.batch_alter_table("assessment_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("noted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("corrects_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notes_corrects_id_notes"), "notes", ["corrects_id"], ["id"]
        )


def downgrade():
    op.drop_table("employer_notes")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notes_corrects_id_notes"), type_="foreignkey")
        batch_op.drop_column("corrects_id")
        batch_op.drop_column("noted_on")
    with op.batch_alter_table("assessment_rounds", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
