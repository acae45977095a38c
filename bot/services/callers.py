"""What the database knows about the person behind a request, read in one go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from bot.services.members import PROFILE_MAX_AGE, is_timezone
from models import Coordinator, Member, Workspace


@dataclass(frozen=True)
class CallerFacts:
    timezone: str
    is_coordinator: bool
    admin_channel_id: str | None
    profile_fresh: bool
    known: bool


def caller_facts(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    bootstrap_ids: frozenset[str],
    now: datetime,
) -> CallerFacts:
    """One statement: every request reads this before its ack."""
    in_app = (
        select(Coordinator.id)
        .where(Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id)
        .exists()
    )
    row = session.execute(
        select(
            Workspace.admin_channel_id,
            Member.id,
            Member.timezone,
            Member.is_slack_admin,
            Member.profile_synced_at,
            in_app,
        )
        .select_from(Workspace)
        .outerjoin(
            Member, and_(Member.workspace_id == Workspace.id, Member.slack_user_id == user_id)
        )
        .where(Workspace.id == workspace_id)
    ).one_or_none()
    admin_channel_id, member_id, timezone, is_slack_admin, synced_at, coordinator_in_app = (
        row if row is not None else (None, None, None, False, None, False)
    )
    known = member_id is not None
    return CallerFacts(
        timezone=timezone if timezone and is_timezone(timezone) else "UTC",
        is_coordinator=user_id in bootstrap_ids or bool(is_slack_admin) or bool(coordinator_in_app),
        admin_channel_id=admin_channel_id,
        profile_fresh=known and synced_at is not None and now - synced_at <= PROFILE_MAX_AGE,
        known=known,
    )
