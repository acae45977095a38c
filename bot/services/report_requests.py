"""Outbox rows of reports and exports: planned with ids and settings only, never a text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.deliveries import plan_now
from models import Delivery

REPORT_POST = "admin_report"
REPORT_CHART = "admin_report_chart"
EXPORT_ZIP = "admin_export"
CHART_NAMES = (
    "sessions_per_week.png",
    "survey_learning.png",
    "survey_operational.png",
    "completion.png",
)


def request_key(kind: str, *, program_id: int, user_id: str, now: datetime) -> str:
    """One row per request: the same person asking twice in the same instant is one ask."""
    return f"{kind}:{program_id}:{user_id}:{now.isoformat()}"


def plan_request(
    session: Session,
    *,
    kind: str,
    workspace_id: int,
    program_id: int,
    quarter: int | None,
    user_id: str,
    now: datetime,
) -> int | None:
    return plan_now(
        session,
        workspace_id=workspace_id,
        kind=kind,
        key=request_key(kind, program_id=program_id, user_id=user_id, now=now),
        now=now,
        payload={
            "program_id": program_id,
            "quarter": quarter,
            "as_of": now.isoformat(),
            "requested_by": user_id,
        },
    )


def chart_key(report_delivery_id: int, name: str) -> str:
    return f"{REPORT_CHART}:{report_delivery_id}:{name}"


def plan_charts(
    session: Session,
    *,
    report: Delivery,
    channel: str,
    thread_ts: str,
    now: datetime,
) -> list[int]:
    """The report's charts, each an upload into the report message's thread."""
    planned = []
    for name in CHART_NAMES:
        planned_id = plan_now(
            session,
            workspace_id=report.workspace_id,
            kind=REPORT_CHART,
            key=chart_key(report.id, name),
            now=now,
            payload=dict(report.payload)
            | {"chart": name, "channel": channel, "thread_ts": thread_ts},
        )
        if planned_id is not None:
            planned.append(planned_id)
    return planned


def chart_ids(session: Session, *, report_delivery_id: int) -> list[int]:
    """The chart rows of a sent report (none while the report itself is not sent)."""
    keys = [chart_key(report_delivery_id, name) for name in CHART_NAMES]
    return list(
        session.scalars(
            select(Delivery.id).where(Delivery.unique_key.in_(keys)).order_by(Delivery.id)
        )
    )
