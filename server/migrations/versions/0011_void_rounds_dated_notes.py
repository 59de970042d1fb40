"""void an assessment round with a reason; dated notes and their corrections

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 19:00:00

A voided round is kept (its assessments are append-only) and left out of
progress and outcome figures. A note is dated by its writer and may correct
an earlier note instead of changing it (notes are append-only).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessment_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("noted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("corrects_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notes_corrects_id_notes"), "notes", ["corrects_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notes_corrects_id_notes"), type_="foreignkey")
        batch_op.drop_column("corrects_id")
        batch_op.drop_column("noted_on")
    with op.batch_alter_table("assessment_rounds", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
