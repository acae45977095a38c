"""Keep a member's Slack profile (timezone, admin flag) fresh without calling Slack each time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.runtime import Runtime
from bot.services.members import find_member, needs_profile_sync, save_profile


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    timezone: str
    is_slack_admin: bool


def sync_profile(
    runtime: Runtime, user_id: str, *, force: bool = False, now: datetime | None = None
) -> Profile:
    """Read users.info when the stored profile is missing or stale, then store it."""
    now = now or datetime.now(UTC)
    assert runtime.workspace_id is not None
    with runtime.unit_of_work() as session:
        member = find_member(session, workspace_id=runtime.workspace_id, user_id=user_id)
        stale = force or needs_profile_sync(member, now)
        if not stale and member is not None:
            return Profile(
                user_id, member.display_name or user_id, member.timezone, member.is_slack_admin
            )
    user = runtime.gateway.user_info(user_id)  # outside any transaction
    with runtime.unit_of_work() as session:
        member = save_profile(session, workspace_id=runtime.workspace_id, user=user, now=now)
        return Profile(
            user_id, member.display_name or user_id, member.timezone, member.is_slack_admin
        )
