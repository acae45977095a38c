"""The App Home tab: published afresh, from the database, whenever a person opens it."""

from __future__ import annotations

from bot.flows.caller import Caller
from bot.flows.home_coordinator import coordinator_blocks
from bot.runtime import Runtime
from bot.services.home import home_status
from bot.views.home import build_home


def show_home(runtime: Runtime, caller: Caller) -> None:
    """Read where the caller stands, then publish (an answer to them, so not the outbox).

    "Open to join" uses the caller's own date: enrolment deadlines are local days.
    """
    with runtime.unit_of_work() as session:
        status = home_status(
            session, workspace_id=caller.workspace_id, user_id=caller.user_id, today=caller.today
        )
    view = build_home(user_id=caller.user_id, status=status)
    view["blocks"] += coordinator_blocks(runtime, caller, room=100 - len(view["blocks"]))
    runtime.gateway.publish_home(user_id=caller.user_id, view=view)
