"""Action items: what a person will apply, with a follow-up at its due date.

Only the owner can close or move an item. A follow-up is an outbox row keyed by the
item and its due date, so moving the date plans a new one and nothing is sent twice;
the owner's "still on it" confirmation is an outbox row too, planned with the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.errors import NotAllowed, NotFound
from bot.services.deliveries import delivery_key, existing_keys, plan_many, plan_now
from models import ActionItem, Member, Participant, Program, Workspace
from models.enums import ActionStatus, ParticipantStatus, WorkspaceStatus

FOLLOWUP = "action_followup"
MOVED = "action_item_moved"  # outbox kind: "still on it", confirmed to the owner
FOLLOWUP_HOUR = time(9)  # in the owner's timezone, on the due date
FOLLOWUP_LOOKBACK = timedelta(days=14)  # items due longer ago than this are not chased


@dataclass(frozen=True)
class ActionItemView:
    id: int
    owner_id: int
    owner_user_id: str
    owner_timezone: str
    owner_active: bool
    workspace_id: int
    pair_id: int | None
    program_name: str
    text: str
    due_on: date | None
    status: ActionStatus


def _views(session: Session, query: Any) -> list[ActionItemView]:
    rows = session.execute(
        query.add_columns(
            Member.slack_user_id,
            Member.timezone,
            Member.workspace_id,
            Participant.status,
            Program.name,
        )
        .join(Participant, Participant.id == ActionItem.owner_id)
        .join(Member, Member.id == Participant.member_id)
        .join(Program, Program.id == Participant.program_id)
    )
    return [
        ActionItemView(
            id=item.id,
            owner_id=item.owner_id,
            owner_user_id=user_id,
            owner_timezone=timezone,
            owner_active=owner_status == ParticipantStatus.ACTIVE,
            workspace_id=workspace_id,
            pair_id=item.pair_id,
            program_name=program_name,
            text=item.text,
            due_on=item.due_on,
            status=item.status,
        )
        for item, user_id, timezone, workspace_id, owner_status, program_name in rows
    ]


def add_action_item(
    session: Session,
    *,
    owner_id: int,
    pair_id: int | None,
    session_id: int | None,
    text: str,
    due_on: date | None,
) -> ActionItem:
    item = ActionItem(
        owner_id=owner_id, pair_id=pair_id, session_id=session_id, text=text, due_on=due_on
    )
    session.add(item)
    session.flush()
    return item


def open_items_of_user(
    session: Session, *, workspace_id: int, user_id: str, offset: int, limit: int
) -> tuple[list[ActionItemView], int]:
    """The person's open items, soonest due first, and how many there are in all."""
    mine = (
        select(Participant.id)
        .join(Member, Member.id == Participant.member_id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )
    condition = (ActionItem.owner_id.in_(mine)) & (ActionItem.status == ActionStatus.OPEN)
    total = session.scalar(select(func.count()).select_from(ActionItem).where(condition)) or 0
    query = (
        select(ActionItem)
        .where(condition)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .offset(offset)
        .limit(limit)
    )
    return _views(session, query), total


def item_of_owner(session: Session, *, item_id: int, user_id: str) -> ActionItemView:
    """The item, only when `user_id` owns it: ids from buttons are never trusted."""
    found = _views(session, select(ActionItem).where(ActionItem.id == item_id))
    if not found:
        raise NotFound("That action item no longer exists.")
    if found[0].owner_user_id != user_id:
        raise NotAllowed("This action item belongs to someone else, so I left it as it was.")
    return found[0]


def _locked(session: Session, item_id: int) -> ActionItem:
    """The item, locked and read afresh: two clicks at once act one after the other."""
    item = session.get(ActionItem, item_id, with_for_update=True, populate_existing=True)
    if item is None:
        raise NotFound("That action item no longer exists.")
    return item


def close_item(
    session: Session, *, item_id: int, user_id: str, status: ActionStatus, now: datetime
) -> tuple[ActionItemView, bool]:
    """Mark an open item done or dropped; False (and no change) when it was closed already."""
    item = _locked(session, item_id)
    view = item_of_owner(session, item_id=item_id, user_id=user_id)
    if item.status != ActionStatus.OPEN:
        return view, False
    item.status = status
    item.completed_at = now
    session.flush()
    return item_of_owner(session, item_id=item_id, user_id=user_id), True


def move_item(
    session: Session, *, item_id: int, user_id: str, due_on: date, now: datetime
) -> tuple[ActionItemView, bool]:
    """Still on it: the item stays open with a new due date and a new follow-up for it."""
    item = _locked(session, item_id)
    view = item_of_owner(session, item_id=item_id, user_id=user_id)
    if item.status != ActionStatus.OPEN:
        return view, False
    item.due_on = due_on
    session.flush()
    moved = item_of_owner(session, item_id=item_id, user_id=user_id)
    plan_many(session, [followup_row(moved)], now=now)
    return moved, True


def plan_moved_notice(
    session: Session, *, item: ActionItemView, view_id: str, now: datetime
) -> int | None:
    """The owner's confirmation of a move, once per submitted modal (ids only)."""
    assert item.due_on is not None
    return plan_now(
        session,
        workspace_id=item.workspace_id,
        kind=MOVED,
        key=f"action_item:{item.id}:moved:{view_id}",
        now=now,
        participant_id=item.owner_id,
        payload={"action_item_id": item.id, "due_on": item.due_on.isoformat()},
    )


def followup_due_at(due_on: date, timezone: str) -> datetime:
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(due_on, FOLLOWUP_HOUR, tzinfo=zone).astimezone(UTC)


def followup_period(item_id: int, due_on: date) -> str:
    return f"action-{item_id}-{due_on:%Y%m%d}"


def followup_row(item: ActionItemView) -> dict[str, Any]:
    assert item.due_on is not None
    period = followup_period(item.id, item.due_on)
    return {
        "workspace_id": item.workspace_id,
        "kind": FOLLOWUP,
        "unique_key": delivery_key(FOLLOWUP, period=period, participant_id=item.owner_id),
        "pair_id": item.pair_id,
        "participant_id": item.owner_id,
        "period": period,
        "due_at": followup_due_at(item.due_on, item.owner_timezone),
        "payload": {"action_item_id": item.id, "due_on": item.due_on.isoformat()},
    }


def plan_action_followups(session: Session, *, now: datetime) -> int:
    """A follow-up for every open item coming due, in a few queries whatever their number."""
    today = now.date()
    active_owners = (
        select(Participant.id)
        .join(Member, Member.id == Participant.member_id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Participant.status == ParticipantStatus.ACTIVE,
            Workspace.status == WorkspaceStatus.ACTIVE,
        )
    )
    query = select(ActionItem).where(
        ActionItem.status == ActionStatus.OPEN,
        ActionItem.due_on.is_not(None),
        ActionItem.due_on <= today + timedelta(days=1),  # 09:00 east of UTC is "yesterday"
        ActionItem.due_on >= today - FOLLOWUP_LOOKBACK,
        ActionItem.owner_id.in_(active_owners),
    )
    rows = [followup_row(item) for item in _views(session, query)]
    known = existing_keys(session, [row["unique_key"] for row in rows])
    return plan_many(session, [row for row in rows if row["unique_key"] not in known], now=now)


def followup_items(session: Session, item_ids: list[int]) -> dict[int, ActionItemView]:
    """Items for a batch of follow-ups, in one query."""
    if not item_ids:
        return {}
    found = _views(session, select(ActionItem).where(ActionItem.id.in_(item_ids)))
    return {item.id: item for item in found}
