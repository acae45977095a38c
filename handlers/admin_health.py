"""`/mentor admin status|coordinators|audit`, the status insights' buttons, the stall
digest's Remind buttons and the coordinators' Home buttons.

Each listener acks, parses, calls one flow and answers with what it returned.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows import coordinators, home_coordinator, program_health
from bot.messages.program_health import HEALTH_RENDERERS
from bot.registry import Feature
from bot.views.home_coordinator import CoordinatorHomeIds
from bot.views.payloads import button_id
from bot.views.program_health import HealthIds, invite_role, parse_program_name
from bot.views.stalls import StallDigestIds
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand


def _args(command: dict[str, Any]) -> list[str]:
    return parse_command(command.get("text")).args[1:]


def handle_status(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    name = parse_program_name(_args(command))
    respond(**program_health.status(runtime_of(context), caller_of(context), name=name))


def handle_coordinators(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    args = _args(command)
    respond(
        **coordinators.coordinators_command(
            runtime_of(context),
            caller_of(context),
            verb=args[0].lower() if args else "",
            words=args[1:],
        )
    )


def handle_audit(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    respond(
        **coordinators.audit_command(runtime_of(context), caller_of(context), words=_args(command))
    )


def handle_invite(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    program_health.open_invite(
        runtime_of(context),
        caller_of(context),
        program_id=button_id(action.get("value")),
        role=invite_role(action.get("action_id")),
        trigger_id=body["trigger_id"],
    )


def handle_remind_stalled(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    respond(
        **program_health.remind_stalled(
            runtime_of(context), caller_of(context), program_id=button_id(action.get("value"))
        )
    )


def handle_remind_survey(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    respond(
        **program_health.remind_survey(
            runtime_of(context), caller_of(context), survey_id=button_id(action.get("value"))
        )
    )


def handle_digest_remind(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    respond(
        **program_health.remind_pair(
            runtime_of(context), caller_of(context), pair_id=button_id(action.get("value"))
        )
    )


def handle_home_button(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    """A Home button opens a modal: its trigger id lasts 3 seconds, so right after the ack."""
    ack()
    which = CoordinatorHomeIds(action.get("action_id"))
    program_id = button_id(action.get("value"))
    if which == CoordinatorHomeIds.STATUS:
        home_coordinator.open_status(
            runtime_of(context),
            caller_of(context),
            program_id=program_id,
            trigger_id=body["trigger_id"],
        )
        return
    home_coordinator.press(
        runtime_of(context),
        caller_of(context),
        action=which,
        program_id=program_id,
        trigger_id=body["trigger_id"],
    )


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("status")])(shown_to_user(handle_status))
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("coordinators")])(
        shown_to_user(handle_coordinators)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("audit")])(shown_to_user(handle_audit))
    app.action(HealthIds.INVITE_SENIORS.value)(shown_to_user(handle_invite))
    app.action(HealthIds.INVITE_JUNIORS.value)(shown_to_user(handle_invite))
    app.action(HealthIds.REMIND_STALLED.value)(shown_to_user(handle_remind_stalled))
    app.action(HealthIds.REMIND_SURVEY.value)(shown_to_user(handle_remind_survey))
    app.action(StallDigestIds.REMIND.value)(shown_to_user(handle_digest_remind))
    for home_id in CoordinatorHomeIds:
        app.action(home_id.value)(shown_to_user(handle_home_button))


FEATURE = Feature(
    name="program_health",
    register=register,
    commands=(
        Subcommand(
            "admin status [program]",
            "Each program's health at a glance, with suggestions you can act on.",
            True,
        ),
        Subcommand("admin coordinators list", "Who the coordinators are, and why.", True),
        Subcommand("admin coordinators add @person", "Make someone a coordinator.", True),
        Subcommand("admin coordinators remove @person", "Remove a coordinator you added.", True),
        Subcommand("admin audit [N]", "The latest admin actions: who did what, when.", True),
    ),
    renderers=HEALTH_RENDERERS,
    order=110,
)
