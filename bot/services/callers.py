"""What the database knows about the person behind a request, read in one go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.coordinators import is_coordinator
from bot.services.members import find_member, is_timezone, needs_profile_sync
from bot.services.workspaces import admin_channel_of


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
    member = find_member(session, workspace_id=workspace_id, user_id=user_id)
    return CallerFacts(
        timezone=(member.timezone if member and is_timezone(member.timezone) else "UTC"),
        is_coordinator=is_coordinator(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            bootstrap_ids=bootstrap_ids,
            is_slack_admin=bool(member and member.is_slack_admin),
        ),
        admin_channel_id=admin_channel_of(session, workspace_id=workspace_id),
        profile_fresh=not needs_profile_sync(member, now),
        known=member is not None,
    )
