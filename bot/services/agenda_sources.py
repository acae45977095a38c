"""What an agenda is built from, loaded for many pairs at once (a few queries per batch)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.rhythm import AgendaInput
from bot.services.pairs import PairDetails
from models import ActionItem, Delivery, Goal, Learning
from models.enums import ActionStatus, Cadence, DeliveryStatus, GoalStatus, Role, Visibility

AGENDA_KIND = "agenda"
# A goal is "due soon" when its target date falls within the pair's next period.
DUE_WITHIN = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 31}


def agenda_inputs(
    session: Session,
    pairs: Iterable[PairDetails],
    *,
    period_index: dict[int, int] | None = None,
    today: date | None = None,
) -> dict[int, AgendaInput]:
    """`today` (the agenda's day) adds the open goals whose target date is within a period."""
    pairs = list(pairs)
    ids = [p.id for p in pairs]
    if not ids:
        return {}
    cadences = {p.id: p.cadence for p in pairs}
    goals: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    due: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for pair_id, owner_id, text, target_on in session.execute(
        select(Goal.pair_id, Goal.owner_id, Goal.text, Goal.target_on)
        .where(Goal.pair_id.in_(ids), Goal.status == GoalStatus.OPEN)
        .order_by(Goal.id)
    ):
        goals[pair_id][owner_id].append(text)
        if today is not None and target_on is not None:
            horizon = timedelta(days=DUE_WITHIN.get(cadences[pair_id], 14))
            if today <= target_on <= today + horizon:
                due[pair_id].append((text, target_on))
    actions: dict[int, list[str]] = defaultdict(list)
    for pair_id, text in session.execute(
        select(ActionItem.pair_id, ActionItem.text)
        .where(ActionItem.pair_id.in_(ids), ActionItem.status == ActionStatus.OPEN)
        .order_by(ActionItem.due_on, ActionItem.id)
    ):
        actions[pair_id].append(text)
    learnings: dict[int, list[str]] = defaultdict(list)
    for pair_id, text in session.execute(
        select(Learning.pair_id, Learning.text)
        .where(Learning.pair_id.in_(ids), Learning.visibility == Visibility.PAIR)
        .order_by(Learning.created_at.desc(), Learning.id.desc())
    ):
        if len(learnings[pair_id]) < 3:
            learnings[pair_id].append(text)
    signatures: dict[int, str] = {}
    for pair_id, payload in session.execute(
        select(Delivery.pair_id, Delivery.payload)
        .where(
            Delivery.pair_id.in_(ids),
            Delivery.kind == AGENDA_KIND,
            Delivery.status == DeliveryStatus.SENT,
        )
        .order_by(Delivery.sent_at)
    ):
        if payload.get("signature"):
            signatures[pair_id] = payload["signature"]  # the latest wins
    result = {}
    for pair in pairs:
        # A same-role pair (allowed for uneven sides) has no senior: its first person leads.
        junior = next((p for p in pair.people if p.role == Role.JUNIOR), pair.people[0])
        senior = next((p for p in pair.people if p is not junior), pair.people[-1])
        result[pair.id] = AgendaInput(
            session_minutes=pair.session_minutes,
            junior_topics=junior.can_share,
            senior_topics=senior.can_share,
            junior_goals=tuple(goals[pair.id][junior.participant_id]),
            senior_goals=tuple(goals[pair.id][senior.participant_id]),
            open_actions=tuple(actions[pair.id][:3]),
            last_learnings=tuple(learnings[pair.id]),
            period_index=(period_index or {}).get(pair.id, 0),
            previous_signature=signatures.get(pair.id),
            due_goals=tuple(sorted(due[pair.id], key=lambda goal: goal[1])[:3]),
        )
    return result


def record_agenda_signature(session: Session, *, delivery_id: int, signature: str) -> None:
    """Keep what the sent agenda was made of, so the next one can vary (ids, no text)."""
    row = session.get(Delivery, delivery_id)
    if row is not None:
        row.payload = {**row.payload, "signature": signature}
