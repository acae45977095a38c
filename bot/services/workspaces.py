"""The installation this process serves, recorded from auth.test at start-up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Workspace


def ensure_workspace(
    session: Session,
    *,
    team_id: str,
    name: str | None,
    bot_user_id: str | None,
    admin_channel_id: str | None,
) -> Workspace:
    """Create or refresh the workspace row; an in-app admin channel choice is never overwritten."""
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
    workspace.name = name
    workspace.bot_user_id = bot_user_id
    if admin_channel_id and not workspace.admin_channel_id:
        workspace.admin_channel_id = admin_channel_id
    session.flush()
    return workspace


def admin_channel_of(session: Session, *, workspace_id: int) -> str | None:
    return session.scalar(select(Workspace.admin_channel_id).where(Workspace.id == workspace_id))


def set_admin_channel(session: Session, *, workspace_id: int, channel_id: str) -> str | None:
    """Make `channel_id` the admin channel; returns the channel it replaces."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise LookupError(f"workspace {workspace_id} is not recorded")
    previous = workspace.admin_channel_id
    workspace.admin_channel_id = channel_id
    session.flush()
    return previous
