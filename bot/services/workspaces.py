"""The installation this process serves, recorded from auth.test at start-up; whether it
may send (stopped by a revoked token or an uninstall, started again when the token works)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditLog, Workspace
from models.enums import AuditOutcome, WorkspaceStatus


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


@dataclass(frozen=True)
class WorkspaceState:
    """Whether a workspace sends, why not, and when its token was last checked."""

    workspace_id: int
    team_id: str
    bot_user_id: str | None
    active: bool
    inactive_reason: str | None
    last_token_check: datetime | None


TOKEN_CHECK = "workspace.token_check"


def workspace_state(
    session: Session, *, workspace_id: int | None = None, team_id: str | None = None
) -> WorkspaceState | None:
    """The workspace by id or by Slack team id; None when it is not recorded."""
    query = select(Workspace)
    if workspace_id is not None:
        query = query.where(Workspace.id == workspace_id)
    elif team_id is not None:
        query = query.where(Workspace.team_id == team_id)
    else:
        raise ValueError("workspace_state needs a workspace id or a team id")
    workspace = session.scalar(query)
    if workspace is None:
        return None
    active = workspace.status == WorkspaceStatus.ACTIVE
    last_check = (
        None
        if active  # only a stopped workspace's token is checked
        else session.scalar(
            select(func.max(AuditLog.created_at)).where(
                AuditLog.workspace_id == workspace.id, AuditLog.action == TOKEN_CHECK
            )
        )
    )
    return WorkspaceState(
        workspace_id=workspace.id,
        team_id=workspace.team_id,
        bot_user_id=workspace.bot_user_id,
        active=active,
        inactive_reason=workspace.inactive_reason,
        last_token_check=last_check,
    )


def _audit(
    session: Session,
    *,
    workspace_id: int,
    action: str,
    now: datetime,
    outcome: AuditOutcome,
    detail: dict[str, str],
) -> None:
    """An audit row dated by the caller's clock (simulated time reads the same)."""
    session.add(
        AuditLog(
            workspace_id=workspace_id,
            actor_user_id=None,
            action=action,
            outcome=outcome,
            target_type="workspace",
            target_id=str(workspace_id),
            detail=detail,
            created_at=now,
        )
    )


def record_token_check(
    session: Session, *, workspace_id: int, now: datetime, refused_with: str | None
) -> None:
    """Remember an auth.test made for a stopped workspace, so the next waits its turn."""
    _audit(
        session,
        workspace_id=workspace_id,
        action=TOKEN_CHECK,
        now=now,
        outcome=AuditOutcome.OK if refused_with is None else AuditOutcome.ERROR,
        detail={"code": refused_with} if refused_with else {},
    )


def record_stop(session: Session, *, workspace_id: int, now: datetime, reason: str) -> None:
    _audit(
        session,
        workspace_id=workspace_id,
        action="workspace.stopped",
        now=now,
        outcome=AuditOutcome.OK,
        detail={"reason": reason[:255]},
    )


def reactivate_workspace(session: Session, *, workspace_id: int, now: datetime) -> str | None:
    """Let a stopped workspace send again (its token works); the reason it had stopped for,
    or None when it was not stopped."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or workspace.status == WorkspaceStatus.ACTIVE:
        return None
    previous = workspace.inactive_reason or "unknown"
    workspace.status = WorkspaceStatus.ACTIVE
    workspace.inactive_reason = None
    _audit(
        session,
        workspace_id=workspace_id,
        action="workspace.reactivated",
        now=now,
        outcome=AuditOutcome.OK,
        detail={"was": previous},
    )
    session.flush()
    return previous
