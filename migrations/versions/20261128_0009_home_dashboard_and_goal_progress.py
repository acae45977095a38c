"""home dashboard and goal progress

Goals are tracked against their indicators: each `goal_progress` row is one step an
owner recorded (a percentage or a count, and an optional short note for the pair).
The Home dashboard needs no table of its own (its publishes are outbox rows).

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-28 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goal_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "percent IS NULL OR (percent >= 0 AND percent <= 100)",
            name=op.f("ck_goal_progress_percent"),
        ),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name=op.f("ck_goal_progress_amount")),
        sa.CheckConstraint(
            "percent IS NOT NULL OR amount IS NOT NULL", name=op.f("ck_goal_progress_measured")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["participants.id"],
            name=op.f("fk_goal_progress_author_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name=op.f("fk_goal_progress_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_progress")),
    )
    op.create_index(op.f("ix_goal_progress_goal_id"), "goal_progress", ["goal_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_goal_progress_goal_id"), table_name="goal_progress")
    op.drop_table("goal_progress")
