"""`/mentor admin match|rotate [program]` and the preview's Confirm / Re-run / Cancel buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.commands import SLASH_COMMAND, parse_command
from bot.errors import NotFound
from bot.services.programs import find_program
from bot.views.matching import MatchIds
from bot.workflows import matching
from handlers.admin_access import require_coordinator
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import admin_subcommand


def handle_match_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Ack at once; matching and the preview happen after, in the admin channel."""
    ack()
    runtime = runtime_of(context)
    args = parse_command(command.get("text")).args
    verb = args[0].lower()
    workspace = require_coordinator(
        runtime,
        user_id=command["user_id"],
        channel_id=command["channel_id"],
        action=f"admin.{verb}",
    )
    with runtime.unit_of_work() as session:
        program = find_program(session, workspace_id=workspace.id, name=" ".join(args[1:]) or None)
        program_id, name, current_round = program.id, program.name, program.current_round
    if verb == "rotate" and current_round < 1:
        raise NotFound(
            f"*{name}* has no pairs yet, so there is nothing to rotate. Use `/mentor admin match` first."
        )
    respond(
        response_type="ephemeral",
        text=f":hourglass_flowing_sand: Matching *{name}*… the preview will appear here.",
    )
    matching.propose_and_post(
        runtime,
        program_id=program_id,
        user_id=command["user_id"],
        channel=workspace.admin_channel_id or command["channel_id"],
    )


def _decide(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    require_coordinator(
        runtime,
        user_id=user_id,
        channel_id=(body.get("channel") or {}).get("id", ""),
        action=f"admin.{action['action_id']}",
    )
    run_id = int(action["value"])
    action_id = action["action_id"]
    container = body.get("container") or {}
    clicked = (
        (container["channel_id"], container["message_ts"]) if container.get("message_ts") else None
    )
    if action_id == MatchIds.CONFIRM:
        message = matching.confirm(runtime, run_id=run_id, user_id=user_id, clicked=clicked)
    elif action_id == MatchIds.CANCEL:
        message = matching.cancel(runtime, run_id=run_id, user_id=user_id, clicked=clicked)
    else:
        message = matching.rerun(
            runtime,
            run_id=run_id,
            user_id=user_id,
            allow_trios=action_id == MatchIds.RERUN_TRIOS,
            allow_same_role=action_id == MatchIds.RERUN_SAME_ROLE,
            clicked=clicked,
        )
    if message:
        respond(text=message, response_type="ephemeral", replace_original=False)


def register(app: App) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("match", "rotate")])(
        shown_to_user(handle_match_command)
    )
    for action_id in MatchIds:
        app.action(action_id.value)(shown_to_user(_decide))
