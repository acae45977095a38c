"""What celebrations send: the offer, each member's copy, closing notices, the public post
(at most once), the coordinators' "no channel" alert, and sponsors' monthly digest.

Rows hold ids; every renderer reads the celebration as it is at send time, so a win
withdrawn after its post was planned is cancelled, never posted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import TwowayError
from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer, admin_notice
from bot.runtime import Runtime
from bot.services.celebrations import (
    CLOSED,
    NO_CHANNEL,
    OFFER,
    POST,
    REVIEW,
    celebration,
    goal_to_celebrate,
    record_posted,
)
from bot.services.pairs import CURRENT
from bot.services.sponsors import DIGEST, digest, plan_digests, sponsor_user
from bot.views.celebrations import (
    build_closed_notice,
    build_no_channel_alert,
    build_offer,
    build_public_post,
    build_review,
)
from bot.views.sponsors import build_digest
from models import Delivery
from models.celebration import CelebrationStatus


def _recipient_id(context: RenderContext, delivery: Delivery) -> str | None:
    pair = context.pairs.get(delivery.pair_id or 0)
    person = next(
        (p for p in (pair.people if pair else ()) if p.participant_id == delivery.participant_id),
        None,
    )
    return person.user_id if person else None


def render_offer(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    user_id = _recipient_id(context, delivery)
    if pair is None or pair.status not in CURRENT or user_id is None:
        return "pair ended or owner left"
    goal_id = int(delivery.payload["goal_id"])
    try:
        _, _, goal_text = goal_to_celebrate(context.session, goal_id=goal_id, user_id=user_id)
    except TwowayError as gone:
        return f"goal gone: {type(gone).__name__}"
    message = build_offer(user_id=user_id, goal_id=goal_id, goal_text=goal_text)
    return Post(text=message["text"], blocks=message["blocks"], open_with=(user_id,))


def render_review(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = celebration(context.session, int(delivery.payload["celebration_id"]))
    if found is None or found.status != CelebrationStatus.PENDING:
        return "celebration no longer waiting for approval"
    if found.version != int(delivery.payload["version"]):
        return "the text was edited since"
    recipient = found.person(delivery.participant_id)
    if recipient is None:
        return "recipient left the pair"
    message = build_review(found, recipient=recipient)
    return Post(text=message["text"], blocks=message["blocks"], open_with=(recipient.user_id,))


def render_closed(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = celebration(context.session, int(delivery.payload["celebration_id"]))
    recipient = found.person(delivery.participant_id) if found else None
    if found is None or recipient is None:
        return "celebration or recipient gone"
    message = build_closed_notice(found)
    return Post(text=message["text"], blocks=message["blocks"], open_with=(recipient.user_id,))


def render_post(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """The public post, only while every member's approval stands and a channel exists."""
    found = celebration(context.session, int(delivery.payload["celebration_id"]))
    if found is None or found.status != CelebrationStatus.APPROVED:
        return "celebration withdrawn or gone"
    if found.posted_at is not None:
        return "celebration posted already"
    if not found.channel_id:
        return "program has no celebration channel"
    message = build_public_post(found)
    now = context.now

    def posted(session: Session, channel: str, ts: str) -> None:
        record_posted(session, celebration_id=found.id, channel=channel, ts=ts, now=now)

    return Post(
        text=message["text"], blocks=message["blocks"], channel=found.channel_id, on_sent=posted
    )


def render_no_channel(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = celebration(context.session, int(delivery.payload["celebration_id"]))
    if found is None:
        return "celebration gone"
    return admin_notice(context, delivery, build_no_channel_alert(found.program_name))


def render_digest(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    user_id = sponsor_user(context.session, sponsor_id=int(delivery.payload["sponsor_id"]))
    if user_id is None:
        return "no longer a sponsor"
    month = str(delivery.payload["month"])
    programs = digest(context.session, workspace_id=delivery.workspace_id, month=month)
    message = build_digest(month=month, programs=programs)
    return Post(text=message["text"], blocks=message["blocks"], open_with=(user_id,))


def plan_sponsor_digests(runtime: Runtime, now: datetime) -> int:
    """At each month's start, every sponsor's digest of the month that ended; once each."""
    with runtime.unit_of_work() as session:
        return plan_digests(session, now=now)


CELEBRATION_RENDERERS: dict[str, Renderer] = {
    OFFER: render_offer,
    REVIEW: render_review,
    CLOSED: render_closed,
    POST: render_post,
    NO_CHANNEL: render_no_channel,
    DIGEST: render_digest,
}
AT_MOST_ONCE = frozenset({POST, NO_CHANNEL, DIGEST})
