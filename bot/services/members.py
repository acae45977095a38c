"""Members as Slack knows them: name, timezone and admin flag, kept fresh from users.info."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.gateway import SlackUser
from models import Member

PROFILE_MAX_AGE = timedelta(hours=12)
NAME_MAX = Member.__table__.c.display_name.type.length or 255
TIMEZONE_MAX = Member.__table__.c.timezone.type.length or 64


@lru_cache(maxsize=1024)
def is_timezone(name: str) -> bool:
    """An IANA zone this machine knows (Slack's `tz`); "Mars/Olympus" is not one."""
    if not name or len(name) > TIMEZONE_MAX:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def find_member(session: Session, *, workspace_id: int, user_id: str) -> Member | None:
    return session.scalar(
        select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )


def needs_profile_sync(member: Member | None, now: datetime) -> bool:
    return (
        member is None
        or member.profile_synced_at is None
        or now - member.profile_synced_at > PROFILE_MAX_AGE
    )


def save_profile(session: Session, *, workspace_id: int, user: SlackUser, now: datetime) -> Member:
    """Create or refresh a member from a Slack profile (users.info or a user_change event)."""
    member = find_member(session, workspace_id=workspace_id, user_id=user.id)
    if member is None:
        member = Member(workspace_id=workspace_id, slack_user_id=user.id)
        session.add(member)
    member.display_name = user.name[:NAME_MAX]
    if is_timezone(user.timezone):
        member.timezone = user.timezone
    elif not is_timezone(member.timezone or ""):  # a new member, or one stored before the check
        member.timezone = "UTC"
    member.is_slack_admin = user.is_admin
    member.is_deleted = user.is_deleted
    member.profile_synced_at = now
    session.flush()
    return member


def ensure_member(session: Session, *, workspace_id: int, user_id: str) -> Member:
    """A member row even before their profile was read (the sync fills it in later)."""
    member = find_member(session, workspace_id=workspace_id, user_id=user_id)
    if member is None:
        member = Member(workspace_id=workspace_id, slack_user_id=user_id)
        session.add(member)
        session.flush()
    return member
