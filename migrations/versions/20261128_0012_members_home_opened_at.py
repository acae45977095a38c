"""members home opened at

When a person last opened the app's Home tab. Homes are republished after a change only
for people who have opened theirs: Slack asks for a fresh Home (`app_home_opened`) each
time one is opened, so a publish to someone who never looked is a wasted call.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("home_opened_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("home_opened_at")
