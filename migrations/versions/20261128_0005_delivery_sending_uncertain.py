"""delivery statuses sending and uncertain

A row is marked `sending` in its own commit before the Slack call, so that a worker
killed mid-call leaves a visible trace; after the lease such a row is `uncertain`
(re-sent or reported, as its kind declares). Only the status CHECK constraint changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_deliveries_delivery_status"
BEFORE = ("planned", "claimed", "sent", "failed", "cancelled")
AFTER = ("planned", "claimed", "sending", "sent", "failed", "cancelled", "uncertain")


def _status_check(statuses: Sequence[str]) -> str:
    return "status IN (" + ", ".join(f"'{status}'" for status in statuses) + ")"


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), _status_check(AFTER))


def downgrade() -> None:
    # Rows in the statuses that go away become what they were before this revision:
    # an attempt in flight was a claim, an uncertain row a failure with its reason.
    op.execute("UPDATE deliveries SET status = 'claimed' WHERE status = 'sending'")
    op.execute("UPDATE deliveries SET status = 'failed' WHERE status = 'uncertain'")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), _status_check(BEFORE))
