"""personal records data rights and retention

Programs get a retention period for private texts (months after closing, default 12)
and the instant those texts were deleted, so the scheduler deletes them once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_months", sa.Integer(), server_default="12", nullable=False)
        )
        batch_op.add_column(
            sa.Column("private_texts_deleted_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f("ck_programs_retention_range"), "retention_months BETWEEN 1 AND 120"
        )


def downgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_programs_retention_range"), type_="check")
        batch_op.drop_column("private_texts_deleted_at")
        batch_op.drop_column("retention_months")
