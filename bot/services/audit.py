"""The audit trail: ids and settings only, never what a person wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models import AuditLog
from models.enums import AuditOutcome


def record(
    session: Session,
    *,
    workspace_id: int | None,
    actor: str | None,
    action: str,
    outcome: AuditOutcome = AuditOutcome.OK,
    target_type: str | None = None,
    target_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            workspace_id=workspace_id,
            actor_user_id=actor,
            action=action,
            outcome=outcome,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            detail=detail or {},
        )
    )
