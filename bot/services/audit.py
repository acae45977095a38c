"""The audit trail: ids and settings only, never what a person wrote.

A refusal must be recorded whatever the input that caused it, so every string is fitted
to its column here (`action` carries a word someone typed: `/mentor admin program <60
characters>` would otherwise fail the insert on PostgreSQL, and with it the refusal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditLog
from models.enums import AuditOutcome

ACTION_MAX = AuditLog.__table__.c.action.type.length or 64
ACTOR_MAX = AuditLog.__table__.c.actor_user_id.type.length or 32
TARGET_TYPE_MAX = AuditLog.__table__.c.target_type.type.length or 32
TARGET_ID_MAX = AuditLog.__table__.c.target_id.type.length or 64
_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")
CLIPPED = "..."


def fit(value: str, limit: int) -> str:
    """`value` with anything but ids' characters replaced by `_`, clipped to `limit` (a
    clipped value ends in `...`, so nobody mistakes it for the whole word)."""
    safe = _UNSAFE.sub("_", value)
    return safe if len(safe) <= limit else safe[: limit - len(CLIPPED)] + CLIPPED


def _fit_optional(value: str | int | None, limit: int) -> str | None:
    return None if value is None else fit(str(value), limit)


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
            actor_user_id=_fit_optional(actor, ACTOR_MAX),
            action=fit(action, ACTION_MAX),
            outcome=outcome,
            target_type=_fit_optional(target_type, TARGET_TYPE_MAX),
            target_id=_fit_optional(target_id, TARGET_ID_MAX),
            detail=detail or {},
        )
    )


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str | None
    action: str
    outcome: AuditOutcome
    target_type: str | None
    target_id: str | None


def recent(session: Session, *, workspace_id: int, limit: int) -> list[AuditEntry]:
    """The workspace's latest audit lines, newest first (ids and action names only)."""
    rows = session.scalars(
        select(AuditLog)
        .where(AuditLog.workspace_id == workspace_id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    return [
        AuditEntry(
            row.created_at,
            row.actor_user_id,
            row.action,
            AuditOutcome(row.outcome),
            row.target_type,
            row.target_id,
        )
        for row in rows
    ]
