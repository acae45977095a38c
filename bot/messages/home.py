"""The Home republished after a change: one `home_publish` row per person per tick.

The row holds the person's Slack id only; the view is drawn from the database when the
row is sent, so it shows every change made up to then.
"""

from __future__ import annotations

from bot.flows.home import render_home_of
from bot.outbox.message import HomePublish, Outgoing
from bot.outbox.render import RenderContext, Renderer
from bot.services.home_refresh import HOME_PUBLISH
from models import Delivery


def render_home_publish(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    user_id = str(delivery.payload.get("user") or "")
    if not user_id:
        return "no person to publish for"
    view = render_home_of(
        context.session,
        workspace_id=delivery.workspace_id,
        user_id=user_id,
        now=context.now,
        bootstrap_coordinators=context.bootstrap_coordinators,
    )
    return HomePublish(user_id=user_id, view=view)


HOME_RENDERERS: dict[str, Renderer] = {HOME_PUBLISH: render_home_publish}
