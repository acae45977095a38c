"""`/mentor record`, `/mentor mydata`, `/mentor forget` and `/mentor admin retention`.

Each listener acks, parses, calls one flow and answers. Everything here acts on the
caller alone: no argument names another person.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows.data_rights import forget_me, forget_prompt, request_mydata
from bot.flows.personal_record import open_record_modal, submit_record
from bot.flows.retention import delete_expired_texts, set_retention
from bot.messages.data_rights import DATA_RIGHTS_RENDERERS
from bot.registry import Feature
from bot.views.data_rights import DataRightsIds, forget_cancelled
from bot.views.payloads import metadata_id
from bot.views.personal_record import RecordIds, parse_record_submission
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand, subcommand


def handle_record(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack()
    args = parse_command(command.get("text")).args
    open_record_modal(
        runtime_of(context),
        caller_of(context),
        name=" ".join(args) or None,
        trigger_id=command["trigger_id"],
    )


def handle_record_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    choice = parse_record_submission(view["state"]["values"])
    if isinstance(choice, dict):
        ack(response_action="errors", errors=choice)
        return
    submit_record(
        runtime_of(context),
        caller_of(context),
        participant_id=metadata_id(view.get("private_metadata")),
        choice=choice,
        view_id=view["id"],
        accept=ack,
    )


def handle_mydata(ack: Ack, context: BoltContext) -> None:
    ack(**request_mydata(runtime_of(context), caller_of(context)))


def handle_forget(ack: Ack) -> None:
    ack(**forget_prompt())


def handle_forget_confirm(ack: Ack, context: BoltContext, respond: Respond) -> None:
    ack()
    answer = forget_me(runtime_of(context), caller_of(context))
    respond(replace_original=True, response_type="ephemeral", **answer)


def handle_forget_cancel(ack: Ack, respond: Respond) -> None:
    ack()
    respond(replace_original=True, response_type="ephemeral", **forget_cancelled())


def handle_admin_retention(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    args = parse_command(command.get("text")).args[1:]
    respond(**set_retention(runtime_of(context), caller_of(context), args=args))


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("record")])(shown_to_user(handle_record))
    app.command(SLASH_COMMAND, matchers=[subcommand("mydata")])(shown_to_user(handle_mydata))
    app.command(SLASH_COMMAND, matchers=[subcommand("forget")])(shown_to_user(handle_forget))
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("retention")])(
        shown_to_user(handle_admin_retention)
    )
    app.view(RecordIds.CALLBACK.value)(shown_to_user(handle_record_submission))
    app.action(DataRightsIds.FORGET_CONFIRM.value)(shown_to_user(handle_forget_confirm))
    app.action(DataRightsIds.FORGET_CANCEL.value)(shown_to_user(handle_forget_cancel))


FEATURE = Feature(
    name="data_rights",
    register=register,
    commands=(
        Subcommand("record [program]", "Your own record for a period, to share with your manager."),
        Subcommand("mydata", "A copy of everything twoway stores about you, in your DM."),
        Subcommand("forget", "Erase what twoway stores about you (asks first)."),
        Subcommand(
            "admin retention MONTHS [program]",
            "How long after closing a program's private texts are kept.",
            coordinators_only=True,
        ),
    ),
    renderers=DATA_RIGHTS_RENDERERS,
    planners=(("retention", delete_expired_texts),),
    order=140,
    at_most_once=frozenset(),
)
