"""applied mutations: no stored push result (a replay is answered "duplicate", never from it)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applied_mutations") as batch:
        batch.drop_column("result")


def downgrade():
    # The results are gone: the rows that remain get an empty one.
    with op.batch_alter_table("applied_mutations") as batch:
        batch.add_column(
            sa.Column("result", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("applied_mutations") as batch:
        batch.alter_column("result", server_default=None)
