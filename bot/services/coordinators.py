"""Who may run `/mentor admin ...`, and where."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import audit
from models import Coordinator
from models.enums import AuditOutcome

NOT_COORDINATOR = (
    "Sorry, `/mentor admin` commands are for program coordinators. "
    "If you think you should be one, ask a workspace admin or a coordinator."
)
NO_ADMIN_CHANNEL = (
    "No admin channel is set yet. A coordinator can run `/mentor admin channel` in the "
    "private channel the coordinators share to make it the admin channel."
)


def wrong_channel_message(admin_channel_id: str) -> str:
    return (
        f"Coordinator commands work only in the admin channel <#{admin_channel_id}>, "
        "so that everything they post stays among coordinators."
    )


def is_coordinator(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    bootstrap_ids: frozenset[str],
    is_slack_admin: bool,
) -> bool:
    """TWOWAY_COORDINATORS, workspace admins/owners, and anyone added in-app."""
    if user_id in bootstrap_ids or is_slack_admin:
        return True
    return (
        session.scalar(
            select(Coordinator.id).where(
                Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id
            )
        )
        is not None
    )


def coordinator_refusal(
    session: Session,
    *,
    workspace_id: int,
    admin_channel_id: str | None,
    is_coordinator: bool,
    user_id: str,
    channel_id: str,
    action: str,
    setting_channel: bool = False,
) -> str | None:
    """None for a coordinator in the admin channel; otherwise the polite refusal to show,
    with the attempt added to the audit log (the caller commits before refusing).
    `setting_channel` lets a coordinator run the command that chooses the channel anywhere."""
    message: str | None = None
    if not is_coordinator:
        message = NOT_COORDINATOR
    elif not setting_channel and admin_channel_id is None:
        message = NO_ADMIN_CHANNEL
    elif not setting_channel and channel_id != admin_channel_id:
        message = wrong_channel_message(admin_channel_id or "")
    if message is None:
        return None
    audit.record(
        session,
        workspace_id=workspace_id,
        actor=user_id,
        action=action,
        outcome=AuditOutcome.DENIED,
        detail={"channel_id": channel_id, "coordinator": is_coordinator},
    )
    return message
