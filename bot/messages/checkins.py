"""Plan and render check-ins (one per person per session) and action-item follow-ups;
render what a check-in tells people (feedback to each partner, the author's thanks) and
the "still on it" confirmation.

All go to one person's own DM with the bot, never to the pair's DM: what each person
answers is theirs, and feedback reaches its recipient alone. Renderers read what they
need at send time (a batch in one query per kind, cached on the render context) and
cancel a row that should no longer be sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer
from bot.runtime import Runtime
from bot.services.action_items import (
    FOLLOWUP,
    MOVED,
    ActionItemView,
    followup_items,
    plan_action_followups,
)
from bot.services.checkin_outbox import THANKS, checkin_summary, claimed_payloads
from bot.services.checkins import (
    CHECKIN,
    CheckInTarget,
    answered_among,
    plan_checkin_deliveries,
    session_views,
)
from bot.services.feedback import FEEDBACK, feedback_note
from bot.views.checkins import build_checkin_prompt, build_checkin_thanks, build_feedback_delivery
from bot.views.learning_log import build_followup, build_item_moved
from models import Delivery
from models.enums import ActionStatus, PairStatus, ParticipantStatus


def plan_checkins(runtime: Runtime, now: datetime) -> int:
    """Check-ins for sessions that took place, follow-ups for action items coming due."""
    with runtime.unit_of_work() as session:
        return plan_checkin_deliveries(session, now=now) + plan_action_followups(session, now=now)


def _batch_payloads(context: RenderContext, delivery: Delivery, kind: str) -> list[dict[str, Any]]:
    """Payloads of the rows of `kind` this worker holds now: the batch being rendered."""
    return claimed_payloads(context.session, kind=kind, worker=delivery.claimed_by)


def _checkin_batch(context: RenderContext, delivery: Delivery) -> dict[str, Any]:
    batch = context.extras.get(CHECKIN)
    if batch is None:
        ids = {int(p["session_id"]) for p in _batch_payloads(context, delivery, CHECKIN)}
        ids.add(int(delivery.payload["session_id"]))
        batch = context.extras[CHECKIN] = {
            "sessions": session_views(context.session, ids),
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
    return Post(text=message["text"], blocks=message["blocks"], open_with=(person.user_id,))


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
    return Post(text=message["text"], blocks=message["blocks"], open_with=(item.owner_user_id,))


def render_item_moved(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """ "Still on it", confirmed to the owner, unless the item changed again meanwhile."""
    item_id = int(delivery.payload["action_item_id"])
    item = followup_items(context.session, [item_id]).get(item_id)
    if item is None:
        return "action item is gone"
    if item.status != ActionStatus.OPEN:
        return f"action item is {item.status.value}"
    if item.due_on is None or item.due_on.isoformat() != delivery.payload.get("due_on"):
        return "action item was moved to another date"
    message = build_item_moved(item)
    return Post(text=message["text"], blocks=message["blocks"], open_with=(item.owner_user_id,))


def render_feedback(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """Feedback, read from its own table now, to its recipient alone while they are still
    the author's partner in that pair and have not left the program."""
    note = feedback_note(context.session, int(delivery.payload["feedback_id"]))
    if note is None:
        return "feedback is gone"
    pair = context.pairs.get(note.pair_id)
    if pair is None or note.pair_id != delivery.pair_id:
        return "pair is gone"
    people = {p.participant_id: p for p in pair.people}
    if pair.status == PairStatus.PROPOSED or note.recipient_participant_id not in people:
        return "recipient is not in the pair"
    if note.recipient_participant_id != delivery.participant_id:
        return "recipient changed"
    if note.recipient_status == ParticipantStatus.LEFT:
        return "recipient left the program"
    message = build_feedback_delivery(
        author_user_id=note.author_user_id, program_name=note.program_name, parts=note.parts
    )
    return Post(text=message["text"], blocks=message["blocks"], open_with=(note.recipient_user_id,))


def render_thanks(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """The author's confirmation, describing the check-in as it is saved now."""
    summary = checkin_summary(context.session, int(delivery.payload["checkin_id"]))
    if summary is None:
        return "check-in is gone"
    message = build_checkin_thanks(summary)
    return Post(text=message["text"], blocks=message["blocks"], open_with=(summary.user_id,))


CHECKIN_RENDERERS: dict[str, Renderer] = {
    CHECKIN: render_checkin,
    FOLLOWUP: render_followup,
    FEEDBACK: render_feedback,
    THANKS: render_thanks,
    MOVED: render_item_moved,
}
