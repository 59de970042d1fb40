"""satisfaction answers (both parties, at the end and at follow-ups) and voucher
requests made on a coach's phone

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 18:37:59.591965

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "satisfaction_answers",
        sa.Column("period_id", sa.String(length=36), nullable=False),
        sa.Column(
            "moment",
            sa.Enum(
                "end",
                "follow_up_3",
                "follow_up_6",
                name="satisfaction_moment",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "party",
            sa.Enum(
                "participant",
                "employer",
                name="satisfaction_party",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column(
            "language",
            sa.Enum(
                "fi",
                "sv",
                "en",
                name="answer_language",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("respondent", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_meta", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "rating BETWEEN 1 AND 5", name=op.f("ck_satisfaction_answers_rating_scale")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_satisfaction_answers_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["coaching_periods.id"],
            name=op.f("fk_satisfaction_answers_period_id_coaching_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_satisfaction_answers_updated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_answers")),
    )
    with op.batch_alter_table("satisfaction_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_satisfaction_answers_period_id"), ["period_id"], unique=False
        )

    op.create_table(
        "voucher_requests",
        sa.Column("period_id", sa.String(length=36), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "pending",
                "accepted",
                "refused",
                name="voucher_request_decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("refusal_reasons", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voucher_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_meta", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_voucher_requests_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["coaching_periods.id"],
            name=op.f("fk_voucher_requests_period_id_coaching_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_voucher_requests_updated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["coaching_vouchers.id"],
            name=op.f("fk_voucher_requests_voucher_id_coaching_vouchers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_requests")),
    )
    with op.batch_alter_table("voucher_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voucher_requests_period_id"), ["period_id"], unique=False
        )

    # Nothing ever set these two (one answer per period, no follow-ups, no
    # respondent): satisfaction_answers replaces them.
    with op.batch_alter_table("coaching_periods", schema=None) as batch_op:
        batch_op.drop_constraint("employer_satisfaction_scale", type_="check")
        batch_op.drop_constraint("participant_satisfaction_scale", type_="check")
        batch_op.drop_column("employer_satisfaction")
        batch_op.drop_column("participant_satisfaction")


def downgrade():
    with op.batch_alter_table("coaching_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("participant_satisfaction", sa.INTEGER(), nullable=True))
        batch_op.add_column(sa.Column("employer_satisfaction", sa.INTEGER(), nullable=True))
        batch_op.create_check_constraint(
            "participant_satisfaction_scale",
            "participant_satisfaction IS NULL OR participant_satisfaction BETWEEN 1 AND 5",
        )
        batch_op.create_check_constraint(
            "employer_satisfaction_scale",
            "employer_satisfaction IS NULL OR employer_satisfaction BETWEEN 1 AND 5",
        )

    with op.batch_alter_table("voucher_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voucher_requests_period_id"))

    op.drop_table("voucher_requests")
    with op.batch_alter_table("satisfaction_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_satisfaction_answers_period_id"))

    op.drop_table("satisfaction_answers")
