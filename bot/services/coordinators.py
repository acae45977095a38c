"""Who may run `/mentor admin ...`, and where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import audit
from models import Coordinator, Member
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


class Removal(StrEnum):
    REMOVED = "removed"
    NOT_APPOINTED = "not_appointed"  # not in the coordinators table
    LAST = "last"  # the only coordinator left: refused


@dataclass(frozen=True)
class Appointed:
    user_id: str
    added_by: str | None
    added_at: datetime


@dataclass(frozen=True)
class CoordinatorList:
    appointed: list[Appointed]  # added in-app
    bootstrap: list[str]  # TWOWAY_COORDINATORS
    admins: list[str]  # workspace admins and owners, as last synced

    @property
    def everyone(self) -> set[str]:
        return {a.user_id for a in self.appointed} | set(self.bootstrap) | set(self.admins)


def list_coordinators(
    session: Session, *, workspace_id: int, bootstrap_ids: frozenset[str]
) -> CoordinatorList:
    appointed = [
        Appointed(user_id, added_by, created_at)
        for user_id, added_by, created_at in session.execute(
            select(Coordinator.slack_user_id, Coordinator.added_by, Coordinator.created_at)
            .where(Coordinator.workspace_id == workspace_id)
            .order_by(Coordinator.created_at, Coordinator.id)
        )
    ]
    admins = list(
        session.scalars(
            select(Member.slack_user_id)
            .where(
                Member.workspace_id == workspace_id,
                Member.is_slack_admin.is_(True),
                Member.is_deleted.is_(False),
            )
            .order_by(Member.slack_user_id)
        )
    )
    return CoordinatorList(appointed, sorted(bootstrap_ids), admins)


def add_coordinator(session: Session, *, workspace_id: int, user_id: str, added_by: str) -> bool:
    """Appoint `user_id`; False when they were appointed already (nothing changes)."""
    exists = session.scalar(
        select(Coordinator.id).where(
            Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id
        )
    )
    if exists is not None:
        return False
    session.add(Coordinator(workspace_id=workspace_id, slack_user_id=user_id, added_by=added_by))
    session.flush()
    return True


def remove_coordinator(
    session: Session, *, workspace_id: int, user_id: str, bootstrap_ids: frozenset[str]
) -> Removal:
    """Remove an in-app appointment, unless nobody would be left to run the program."""
    row = session.scalar(
        select(Coordinator).where(
            Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id
        )
    )
    if row is None:
        return Removal.NOT_APPOINTED
    found = list_coordinators(session, workspace_id=workspace_id, bootstrap_ids=bootstrap_ids)
    left = {a.user_id for a in found.appointed if a.user_id != user_id}
    if not left | set(found.bootstrap) | set(found.admins):
        return Removal.LAST
    session.delete(row)
    session.flush()
    return Removal.REMOVED
