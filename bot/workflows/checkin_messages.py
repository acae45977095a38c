"""Plan and render check-ins (one per person per session) and action-item follow-ups.

Both go to the person's own DM with the bot, never to the pair's DM: what each person
answers is theirs. Renderers read what a batch needs in one query per kind (cached on
the render context) and cancel a row that should no longer be sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.scheduler.outbox import Outgoing, RenderContext, Renderer
from bot.services.action_items import (
    FOLLOWUP,
    ActionItemView,
    followup_items,
    plan_action_followups,
)
from bot.services.checkins import CHECKIN, CheckInTarget, answered_among, plan_checkin_deliveries
from bot.services.sessions import SessionView
from bot.views.checkins import build_checkin_prompt
from bot.views.learning_log import build_followup
from models import Delivery, MentoringSession
from models.enums import ActionStatus, DeliveryStatus, PairStatus, ParticipantStatus


def plan_checkins(runtime: Runtime, now: datetime) -> int:
    """Check-ins for sessions that took place, follow-ups for action items coming due."""
    with runtime.unit_of_work() as session:
        return plan_checkin_deliveries(session, now=now) + plan_action_followups(session, now=now)


def _batch_payloads(context: RenderContext, delivery: Delivery, kind: str) -> list[dict[str, Any]]:
    """Payloads of the rows of `kind` this worker holds now: the batch being rendered."""
    return list(
        context.session.scalars(
            select(Delivery.payload).where(
                Delivery.kind == kind,
                Delivery.status == DeliveryStatus.CLAIMED,
                Delivery.claimed_by == delivery.claimed_by,
            )
        )
    )


def _checkin_batch(context: RenderContext, delivery: Delivery) -> dict[str, Any]:
    batch = context.extras.get(CHECKIN)
    if batch is None:
        ids = {int(p["session_id"]) for p in _batch_payloads(context, delivery, CHECKIN)}
        ids.add(int(delivery.payload["session_id"]))
        sessions = {
            row.id: SessionView(
                row.id, row.pair_id, row.status, row.scheduled_at, row.held_at, row.minutes
            )
            for row in context.session.scalars(
                select(MentoringSession).where(MentoringSession.id.in_(ids))
            )
        }
        batch = context.extras[CHECKIN] = {
            "sessions": sessions,
            "answered": answered_among(context.session, ids),
        }
    return batch


def render_checkin(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    if pair is None:
        return "pair is gone"
    if pair.status != PairStatus.ACTIVE:
        return f"pair is {pair.status.value}"
    person = next((p for p in pair.people if p.participant_id == delivery.participant_id), None)
    if person is None:
        return "person is no longer in the pair"
    if person.status != ParticipantStatus.ACTIVE:
        return f"participant is {person.status.value}"
    batch = _checkin_batch(context, delivery)
    found = batch["sessions"].get(int(delivery.payload["session_id"]))
    if found is None:
        return "session is gone"
    if (found.id, person.participant_id) in batch["answered"]:
        return "already answered"
    message = build_checkin_prompt(CheckInTarget(found, pair, person))
    return Outgoing(text=message["text"], blocks=message["blocks"], open_with=(person.user_id,))


def _followup_batch(context: RenderContext, delivery: Delivery) -> dict[int, ActionItemView]:
    items = context.extras.get(FOLLOWUP)
    if items is None:
        ids = {int(p["action_item_id"]) for p in _batch_payloads(context, delivery, FOLLOWUP)}
        ids.add(int(delivery.payload["action_item_id"]))
        items = context.extras[FOLLOWUP] = followup_items(context.session, sorted(ids))
    return items


def render_followup(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    item = _followup_batch(context, delivery).get(int(delivery.payload["action_item_id"]))
    if item is None:
        return "action item is gone"
    if item.status != ActionStatus.OPEN:
        return f"action item is {item.status.value}"
    if item.due_on is None or item.due_on.isoformat() != delivery.payload.get("due_on"):
        return "action item was moved to another date"
    if not item.owner_active:
        return "owner is not active"
    message = build_followup(item)
    return Outgoing(text=message["text"], blocks=message["blocks"], open_with=(item.owner_user_id,))


CHECKIN_RENDERERS: dict[str, Renderer] = {
    CHECKIN: render_checkin,
    FOLLOWUP: render_followup,
}
