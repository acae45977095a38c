"""The message programs start: the "program created" notice in the admin channel.

The outbox row holds the program's id and its creator's user id; the notice is
rendered at send time from the program as it is then, in the admin channel as it is
then, so a retry after a Slack outage tells what is true when it is sent.
"""

from __future__ import annotations

from bot.outbox.message import Outgoing
from bot.outbox.render import RenderContext, Renderer, admin_notice
from bot.services.programs import program_summary
from bot.views.programs import build_program_created
from models import Delivery
from models.enums import ProgramStatus

PROGRAM_CREATED = "program_created"


def created_key(program_id: int) -> str:
    """A program is created once, so its id names its notice."""
    return f"program:{program_id}:created"


def render_program_created(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """`payload = {"program_id", "created_by"}`."""
    summary = program_summary(
        context.session,
        program_id=int(delivery.payload["program_id"]),
        workspace_id=delivery.workspace_id,
    )
    if summary is None:
        return "program is gone"
    if summary.status == ProgramStatus.CLOSED:
        return "program is closed"
    message = build_program_created(summary, created_by=str(delivery.payload["created_by"]))
    return admin_notice(context, delivery, message)


PROGRAM_RENDERERS: dict[str, Renderer] = {PROGRAM_CREATED: render_program_created}
