"""The message goals start: "X set their goals" in the pair's DM, for the partner to see.

The outbox row holds the pair and the owner's participant id, never the goals' text:
the renderer reads the owner's goals at send time, so a retried notice shows the
goals as they are then, and nothing once the pair has ended.
"""

from __future__ import annotations

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer
from bot.services.goals import goals_of_owner
from bot.services.pairs import CURRENT
from bot.views.goals import build_goals_posted
from models import Delivery

GOALS_SET = "goals_set"


def goals_set_key(pair_id: int, view_id: str) -> str:
    """A goals form is saved once (its view id is recorded), so it names its notice."""
    return f"goals:pair:{pair_id}:view:{view_id}"


def render_goals_set(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """`payload = {"owner_id": participant id}`; the pair is the row's own."""
    pair = context.pairs.get(delivery.pair_id or 0)
    if pair is None or pair.status not in CURRENT:
        return f"pair is {pair.status.value if pair else 'gone'}"
    if not pair.dm_channel_id:
        return "pair was never introduced"
    owner_id = int(delivery.payload["owner_id"])
    owner = next((p for p in pair.people if p.participant_id == owner_id), None)
    if owner is None:
        return "goals' owner is no longer in the pair"
    goals = goals_of_owner(context.session, pair_id=pair.id, owner_id=owner_id)
    if not goals:
        return "no goals left to show"
    message = build_goals_posted(pair, owner_user_id=owner.user_id, goals=goals)
    return Post(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


GOAL_RENDERERS: dict[str, Renderer] = {GOALS_SET: render_goals_set}
