"""`/mentor admin channel` and `/mentor admin program create|list|show|close`.

Each listener acks, parses, calls one flow of `bot.flows.programs` and answers.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows.programs import (
    choose_admin_channel,
    close_program_by_click,
    program_command,
    submit_program,
)
from bot.messages.programs import PROGRAM_CREATED, PROGRAM_RENDERERS
from bot.registry import Feature
from bot.views.payloads import button_id
from bot.views.programs import (
    ProgramIds,
    build_admin_channel_set,
    build_close_cancelled,
    build_program_closed,
    parse_program_submission,
)
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand


def handle_admin_channel(ack: Ack, context: BoltContext, respond: Respond) -> None:
    ack()
    caller = caller_of(context)
    choose_admin_channel(runtime_of(context), caller)
    respond(**build_admin_channel_set(user_id=caller.user_id, channel_id=caller.channel_id or ""))


def handle_admin_program(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    args = parse_command(command.get("text")).args[1:]
    message = program_command(
        runtime_of(context),
        caller_of(context),
        verb=args[0].lower() if args else "",
        name=" ".join(args[1:]) or None,
        trigger_id=command["trigger_id"],
    )
    if message is not None:
        respond(**message)


def handle_program_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Field errors go back in the ack; a valid form is created once, then acked."""
    caller = caller_of(context)
    parsed = parse_program_submission(view["state"]["values"], today=caller.today)
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    refusal = submit_program(
        runtime_of(context), caller, settings=parsed, view_id=view["id"], accept=ack
    )
    if refusal is not None:
        ack(response_action="errors", errors={ProgramIds.NAME: refusal})


def handle_close_confirm(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    caller = caller_of(context)
    closing = close_program_by_click(
        runtime_of(context), caller, program_id=button_id(action.get("value"))
    )
    respond(
        **build_program_closed(user_id=caller.user_id, name=closing.name, changed=closing.changed)
    )


def handle_close_cancel(ack: Ack, respond: Respond) -> None:
    """Nothing to change: the answer replaces the confirmation."""
    ack()
    respond(**build_close_cancelled())


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("channel")])(
        shown_to_user(handle_admin_channel)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("program")])(
        shown_to_user(handle_admin_program)
    )
    app.view(ProgramIds.CREATE_CALLBACK.value)(shown_to_user(handle_program_submission))
    app.action(ProgramIds.CLOSE_CONFIRM.value)(shown_to_user(handle_close_confirm))
    app.action(ProgramIds.CLOSE_CANCEL.value)(shown_to_user(handle_close_cancel))


FEATURE = Feature(
    name="programs",
    register=register,
    commands=(
        Subcommand("admin channel", "Make this channel the coordinators' admin channel.", True),
        Subcommand("admin program create", "Create a program (a cohort) in a form.", True),
        Subcommand("admin program list", "All programs with their status and size.", True),
        Subcommand("admin program show NAME", "One program's settings and numbers.", True),
        Subcommand("admin program close NAME", "Close a program (asks for confirmation).", True),
    ),
    renderers=PROGRAM_RENDERERS,
    at_most_once=frozenset({PROGRAM_CREATED}),  # a notice to coordinators: never twice
    order=20,
)
