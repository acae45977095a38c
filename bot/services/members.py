"""Members as Slack knows them: name, timezone and admin flag, kept fresh from users.info."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.gateway import SlackUser
from models import Member

PROFILE_MAX_AGE = timedelta(hours=12)


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
    member.display_name = user.name
    member.timezone = user.timezone
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
