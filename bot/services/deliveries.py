"""The outbox: plan a message once by its unique key, claim it, record how sending went.

A row's life: planned -> claimed (a worker holds it under a lease) -> sending (committed
just before the Slack call) -> sent, or failed / cancelled with a reason. A row still
`sending` when its lease runs out was interrupted mid-call: whether Slack took it is
unknown, and its kind's policy settles it (`settle_interrupted`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Delivery, Pair, Workspace
from models.enums import DeliveryStatus, PairStatus, WorkspaceStatus

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
UNCERTAIN = "uncertain: "  # prefix of every note about an interrupted attempt
UNCERTAIN_REASON = UNCERTAIN + "may or may not have reached Slack"
RESENT_NOTE = UNCERTAIN + "an earlier attempt was cut off mid-call; sent again, may be a duplicate"


def delivery_key(
    kind: str,
    *,
    period: str,
    pair_id: int | None = None,
    participant_id: int | None = None,
    program_id: int | None = None,
) -> str:
    owner = (
        f"pair:{pair_id}"
        if pair_id is not None
        else f"participant:{participant_id}"
        if participant_id is not None
        else f"program:{program_id}"
    )
    return f"{owner}:{kind}:{period}"


def plan_delivery(
    session: Session,
    *,
    workspace_id: int,
    kind: str,
    period: str,
    due_at: datetime,
    pair_id: int | None = None,
    participant_id: int | None = None,
    program_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Insert the row unless its key exists; False when it was planned before."""
    key = delivery_key(
        kind, period=period, pair_id=pair_id, participant_id=participant_id, program_id=program_id
    )
    if session.scalar(select(Delivery.id).where(Delivery.unique_key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                Delivery(
                    workspace_id=workspace_id,
                    kind=kind,
                    unique_key=key,
                    pair_id=pair_id,
                    participant_id=participant_id,
                    period=period,
                    due_at=due_at,
                    payload={
                        **(payload or {}),
                        **({"program_id": program_id} if program_id else {}),
                    },
                )
            )
    except IntegrityError:
        return False
    return True


def plan_now(
    session: Session,
    *,
    workspace_id: int,
    kind: str,
    key: str,
    now: datetime,
    pair_id: int | None = None,
    participant_id: int | None = None,
    period: str = "now",
    payload: dict[str, Any] | None = None,
) -> int | None:
    """Plan a message due at once under an explicit unique key; its id, or None when that
    key was planned before (a double click, a retried request)."""
    if session.scalar(select(Delivery.id).where(Delivery.unique_key == key)) is not None:
        return None
    row = Delivery(
        workspace_id=workspace_id,
        kind=kind,
        unique_key=key,
        pair_id=pair_id,
        participant_id=participant_id,
        period=period,
        due_at=now,
        payload=payload or {},
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row.id


def claim_due(
    session: Session,
    *,
    now: datetime,
    worker: str,
    limit: int,
    kinds: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
) -> list[int]:
    """Take due rows (and rows whose lease ran out) for this worker; skip rows others hold.
    `ids` narrows the claim to rows a flow has just planned."""
    query = (
        select(Delivery)
        .where(
            ((Delivery.status == DeliveryStatus.PLANNED) & (Delivery.due_at <= now))
            | ((Delivery.status == DeliveryStatus.CLAIMED) & (Delivery.lease_until < now))
        )
        .order_by(Delivery.due_at, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if kinds is not None:
        query = query.where(Delivery.kind.in_(list(kinds)))
    if ids is not None:
        query = query.where(Delivery.id.in_(list(ids)))
    active = select(Workspace.id).where(Workspace.status == WorkspaceStatus.ACTIVE)
    query = query.where(Delivery.workspace_id.in_(active))
    rows = list(session.scalars(query))
    for row in rows:
        row.status = DeliveryStatus.CLAIMED
        row.claimed_by = worker
        row.lease_until = now + LEASE
        row.attempts += 1
    session.flush()
    return [row.id for row in rows]


def record_sent(
    session: Session, delivery_id: int, *, channel: str | None, ts: str | None, now: datetime
) -> None:
    """The row's message is in Slack: in one UPDATE, without reading the row (this runs
    once for every message). A note that it may be a duplicate is kept."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            status=DeliveryStatus.SENT,
            sent_at=now,
            slack_channel=channel,
            slack_ts=ts,
            lease_until=None,
            last_error=case(
                (Delivery.last_error.startswith(UNCERTAIN), Delivery.last_error), else_=None
            ),
        )
        .execution_options(synchronize_session=False)
    )


def mark_retry(session: Session, delivery: Delivery, *, error: str, now: datetime) -> None:
    """A passing failure: try again later, or give up after MAX_ATTEMPTS."""
    delivery.last_error = error[:500]
    delivery.lease_until = None
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        return
    delivery.status = DeliveryStatus.PLANNED
    delivery.due_at = now + timedelta(minutes=2**delivery.attempts)


def mark_failed(session: Session, delivery: Delivery, *, error: str) -> None:
    delivery.status = DeliveryStatus.FAILED
    delivery.last_error = error[:500]
    delivery.lease_until = None


def mark_cancelled(session: Session, delivery: Delivery, *, reason: str) -> None:
    delivery.status = DeliveryStatus.CANCELLED
    delivery.last_error = reason[:500]
    delivery.lease_until = None


def pause_pair_for_slack_error(
    session: Session, *, pair_id: int, reason: str, now: datetime
) -> None:
    """Stop sending to a pair Slack can no longer reach; coordinators are told once."""
    pair = session.get(Pair, pair_id)
    if pair is None or pair.status != PairStatus.ACTIVE:
        return
    pair.status = PairStatus.PAUSED
    pair.status_reason = reason[:255]
    for delivery in session.scalars(
        select(Delivery).where(
            Delivery.pair_id == pair_id, Delivery.status == DeliveryStatus.PLANNED
        )
    ):
        mark_cancelled(session, delivery, reason=f"pair paused: {reason}")
    workspace_id = session.scalar(
        select(Delivery.workspace_id).where(Delivery.pair_id == pair_id).limit(1)
    )
    plan_delivery(
        session,
        workspace_id=workspace_id,
        kind="admin_pair_paused",
        period=f"paused-{now:%Y%m%dT%H%M}",
        due_at=now,
        pair_id=pair_id,
        payload={"reason": reason[:255]},
    )


def stop_workspace(session: Session, *, workspace_id: int, reason: str) -> None:
    """The token is revoked or the app uninstalled: nothing more is sent for this workspace."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None and workspace.status == WorkspaceStatus.ACTIVE:
        workspace.status = WorkspaceStatus.INACTIVE
        workspace.inactive_reason = reason[:255]


def plan_many(session: Session, rows: list[dict[str, Any]], *, now: datetime) -> int:
    """Insert outbox rows in one statement, skipping keys that exist (concurrent planners too)."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = (
        dialect_insert(Delivery)
        .on_conflict_do_nothing(index_elements=["unique_key"])
        .returning(Delivery.id)
    )
    result = session.execute(
        statement,
        [
            {
                "status": DeliveryStatus.PLANNED,
                "attempts": 0,
                "payload": {},
                "created_at": now,
                "updated_at": now,
            }
            | row
            for row in rows
        ],
    )
    return len(result.all())  # rows skipped as duplicates return nothing


def existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(select(Delivery.unique_key).where(Delivery.unique_key.in_(chunk)))
        )
    return found


def list_deliveries(
    session: Session, *, status: DeliveryStatus | None, limit: int
) -> list[Delivery]:
    query = select(Delivery).order_by(Delivery.due_at.desc(), Delivery.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Delivery.status == status)
    return list(session.scalars(query))


def count_by_status(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    rows = session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return {status.value: count for status, count in rows}


def next_due_at(session: Session, *, after: datetime) -> datetime | None:
    """When the earliest planned row after `after` falls due (the "next thing due")."""
    return session.scalar(
        select(func.min(Delivery.due_at)).where(
            Delivery.status == DeliveryStatus.PLANNED, Delivery.due_at > after
        )
    )
