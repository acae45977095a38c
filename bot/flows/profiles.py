"""Keep a member's Slack profile (timezone, admin flag) fresh without calling Slack each time."""

from __future__ import annotations

from dataclasses import dataclass

from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.members import find_member, is_timezone, needs_profile_sync, save_profile
from bot.slack.gateway import SlackUser

log = get_logger("twoway.profiles")


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    timezone: str
    is_slack_admin: bool


def sync_profile(runtime: Runtime, user_id: str, *, force: bool = False) -> Profile:
    """Read users.info when the stored profile is missing or stale, then store it."""
    now = runtime.clock.now()
    workspace_id = runtime.require_workspace()
    with runtime.unit_of_work() as session:
        member = find_member(session, workspace_id=workspace_id, user_id=user_id)
        stale = force or needs_profile_sync(member, now)
        if not stale and member is not None:
            return Profile(
                user_id, member.display_name or user_id, member.timezone, member.is_slack_admin
            )
    user = runtime.gateway.user_info(user_id)  # outside any transaction
    return store_profile(runtime, user)


def is_admin(user: SlackUser) -> bool:
    """A workspace admin or owner (and so a coordinator), as Slack describes them."""
    return user.is_admin and not user.is_deleted and not user.is_bot


def store_profile(runtime: Runtime, user: SlackUser, *, only_known: bool = False) -> Profile:
    """Save a profile Slack gave us (users.info or a `user_change` event).

    A timezone this machine does not know ("Mars/Olympus") is not stored: the member keeps
    the one they had (UTC for a new member), so nothing downstream meets a zone it can't use.
    """
    if not is_timezone(user.timezone):
        log.warning("profile.timezone_refused", user_id=user.id)
    workspace_id = runtime.require_workspace()
    with runtime.unit_of_work() as session:
        if only_known and find_member(session, workspace_id=workspace_id, user_id=user.id) is None:
            return Profile(user.id, user.name, user.timezone, user.is_admin)
        member = save_profile(
            session, workspace_id=workspace_id, user=user, now=runtime.clock.now()
        )
        return Profile(
            user.id, member.display_name or user.id, member.timezone, member.is_slack_admin
        )
