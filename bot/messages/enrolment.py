"""Enrolment's messages: the scheduled end of pauses and the DMs enrolment starts.

The DMs (confirmation, refusal, a partner's kind note) are outbox rows holding ids;
they are rendered from the database at send time, so a retry after a Slack outage
says what is true then, or is cancelled when it no longer applies.
"""

from __future__ import annotations

from datetime import datetime

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer
from bot.runtime import Runtime
from bot.services.enrolment import LEFT, Refusal, refusal_text
from bot.services.enrolment_notices import confirmation_of, partner_facts, refusal_facts
from bot.services.pauses import end_expired_pauses
from bot.views.enrolment_messages import enrolled_text, partner_notice_text
from models import Delivery

CONFIRMED = "enrolment_confirmed"
REFUSED = "enrolment_refused"
PARTNER_LEFT = "partner_left"


def end_pauses(runtime: Runtime, now: datetime) -> int:
    """Resume the people whose `/mentor pause until DATE` is over where they are."""
    with runtime.unit_of_work() as session:
        return end_expired_pauses(session, now=now)


# -- keys and payloads (ids only) -----------------------------------------------------------


def confirmed_key(participant_id: int, view_id: str) -> str:
    """One confirmation per saved submission (a modal saves once: its view id is the key)."""
    return f"enrolment:{participant_id}:view:{view_id}"


def refused_key(view_id: str) -> str:
    return f"enrolment:refused:view:{view_id}"


def partner_left_key(first_pair_id: int, user_id: str) -> str:
    """A pair ends once, so its id names the leaving that ended it."""
    return f"partner-left:pair:{first_pair_id}:to:{user_id}"


# -- renderers ------------------------------------------------------------------------------


def render_confirmed(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """`payload = {"joined": bool}`; the participant is the row's own."""
    found = confirmation_of(context.session, participant_id=delivery.participant_id or 0)
    if found is None:
        return "enrolment is gone"
    if found.status == LEFT:
        return "participant left"
    if found.program_closed:
        return "program is closed"
    if found.member_deleted:
        return "member is deactivated"
    text = enrolled_text(
        program=found.program,
        joined=bool(delivery.payload.get("joined")),
        answers=found.answers,
        timezone=found.timezone,
    )
    return Post(text=text, blocks=[], channel=found.user_id)


def render_refused(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """`payload = {"user_id", "program_id", "refusal"}`: a submission that could not be saved
    after its modal closed (the program closed in between)."""
    payload = delivery.payload
    user_id = str(payload["user_id"])
    facts = refusal_facts(
        context.session,
        workspace_id=delivery.workspace_id,
        user_id=user_id,
        program_id=int(payload["program_id"]),
    )
    if facts.enrolled:
        return "enrolled meanwhile"
    refusal = Refusal(payload["refusal"]) if facts.program_name else Refusal.GONE
    return Post(text=refusal_text(refusal, facts.program_name), blocks=[], channel=user_id)


def render_partner_left(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """`payload = {"participant_ids": [...]}`: the partner's participations whose pair ended."""
    ids = [int(i) for i in delivery.payload.get("participant_ids", [])]
    found = partner_facts(context.session, participant_ids=ids)
    if found is None:
        return "partner's enrolment is gone"
    if found.member_deleted:
        return "partner is deactivated"
    if not found.programs:
        return "partner left too"
    return Post(text=partner_notice_text(found.programs), blocks=[], channel=found.user_id)


ENROLMENT_RENDERERS: dict[str, Renderer] = {
    CONFIRMED: render_confirmed,
    REFUSED: render_refused,
    PARTNER_LEFT: render_partner_left,
}
