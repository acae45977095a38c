"""`/mentor join|profile|pause|resume|leave`, the enrolment modal and the `user_change` event.

Each listener acks, parses, calls one flow of `bot.flows.enrolment` or
`bot.flows.participation`, and answers; the flows own the database and Slack calls.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.errors import NotFound
from bot.flows.enrolment import open_join_modal, open_profile_modal, submit_enrolment
from bot.flows.participation import (
    leave_choices,
    leave_programs,
    pause_participation,
    refresh_member,
    resume_participation,
)
from bot.messages.enrolment import (
    CONFIRMED,
    ENROLMENT_RENDERERS,
    PARTNER_LEFT,
    REFUSED,
    end_pauses,
)
from bot.registry import Feature
from bot.slack.gateway import slack_user_of
from bot.views.enrolment import (
    JoinIds,
    LeaveIds,
    build_notice_modal,
    parse_join_submission,
    parse_metadata,
)
from bot.views.enrolment_messages import (
    CANCELLED_TEXT,
    build_leave_prompt,
    left_text,
    parse_participant_ids,
    parse_pause_until,
    paused_text,
    resumed_text,
)
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import subcommand


def _name_arg(command: dict[str, Any]) -> str | None:
    return " ".join(parse_command(command.get("text")).args) or None


# -- join and profile: a modal opened right after the ack (trigger ids expire in 3 s) -------


def handle_join_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    open_join_modal(
        runtime_of(context),
        caller_of(context),
        name=_name_arg(command),
        trigger_id=command["trigger_id"],
    )


def handle_profile_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    open_profile_modal(
        runtime_of(context),
        caller_of(context),
        name=_name_arg(command),
        trigger_id=command["trigger_id"],
    )


def handle_join_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """Field errors and refusals go back in the ack; a valid form is acked, then saved once."""
    caller = caller_of(context)
    meta = parse_metadata(view.get("private_metadata"))
    if meta is None:
        ack(
            response_action="update",
            view=build_notice_modal("This form has expired. Please run the command again."),
        )
        return
    form = parse_join_submission(view["state"]["values"], user_id=caller.user_id)
    if isinstance(form, dict):
        ack(response_action="errors", errors=form)
        return
    program_id = meta.program_id or form.program_id
    if program_id is None:
        ack(response_action="update", view=build_notice_modal("Please run `/mentor join` again."))
        return
    refusal = submit_enrolment(
        runtime_of(context),
        caller,
        program_id=program_id,
        mode=meta.mode,
        answers=form.answers,
        view_id=view["id"],
        accept=ack,
    )
    if refusal and meta.program_id is None:
        ack(response_action="errors", errors={JoinIds.PROGRAM.value: refusal})
    elif refusal:
        ack(response_action="update", view=build_notice_modal(refusal))


# -- pause, resume, leave: answered through the response_url after the ack ------------------


def handle_pause_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    caller = caller_of(context)
    until = parse_pause_until(parse_command(command.get("text")).args, today=caller.today)
    change = pause_participation(runtime_of(context), caller, until=until)
    when = until.isoformat() if until else None
    respond(text=paused_text(change.changed, change.unchanged, when), response_type="ephemeral")


def handle_resume_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    change = resume_participation(runtime_of(context), caller_of(context))
    respond(text=resumed_text(change.changed, change.unchanged), response_type="ephemeral")


def handle_leave_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    choices = leave_choices(runtime_of(context), caller_of(context), name=_name_arg(command))
    respond(**build_leave_prompt(choices))


def handle_leave_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Only the owner's click counts; a second click finds nothing left to change."""
    ack()
    participant_ids = parse_participant_ids(action.get("value"))
    if not participant_ids:
        raise NotFound("That button no longer works. Run `/mentor leave` again.")
    result = leave_programs(
        runtime_of(context), caller_of(context), participant_ids=participant_ids
    )
    respond(
        text=left_text(result.left, result.already_left),
        response_type="ephemeral",
        replace_original=bool(result.left),
    )


def handle_leave_cancel(ack: Ack, respond: Respond) -> None:
    """Nothing to change: the answer replaces the prompt."""
    ack()
    respond(text=CANCELLED_TEXT, response_type="ephemeral", replace_original=True)


# -- user_change: keep a known member's timezone, name and deleted flag fresh ---------------


def handle_user_change(event: dict[str, Any], context: BoltContext) -> None:
    refresh_member(runtime_of(context), user=slack_user_of(event["user"]))


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("join")])(shown_to_user(handle_join_command))
    app.command(SLASH_COMMAND, matchers=[subcommand("profile")])(
        shown_to_user(handle_profile_command)
    )
    app.command(SLASH_COMMAND, matchers=[subcommand("pause")])(shown_to_user(handle_pause_command))
    app.command(SLASH_COMMAND, matchers=[subcommand("resume")])(
        shown_to_user(handle_resume_command)
    )
    app.command(SLASH_COMMAND, matchers=[subcommand("leave")])(shown_to_user(handle_leave_command))
    app.view(JoinIds.CALLBACK.value)(shown_to_user(handle_join_submission))
    app.action(LeaveIds.CONFIRM.value)(shown_to_user(handle_leave_confirm))
    app.action(LeaveIds.CANCEL.value)(shown_to_user(handle_leave_cancel))
    app.event("user_change")(shown_to_user(handle_user_change))


FEATURE = Feature(
    name="enrolment",
    register=register,
    commands=(
        Subcommand("join [program]", "Join a reverse-mentoring program as a senior or a junior."),
        Subcommand("profile", "Edit what you share, what you want to learn and your hours."),
        Subcommand(
            "pause [until YYYY-MM-DD]", "Pause your participation (no matching, no nudges)."
        ),
        Subcommand("resume", "Come back after a pause."),
        Subcommand("leave", "Leave a program (asks for confirmation first)."),
    ),
    renderers=ENROLMENT_RENDERERS,
    planners=(("pauses_ended", end_pauses),),
    at_most_once=frozenset({CONFIRMED, REFUSED, PARTNER_LEFT}),  # never twice
    order=30,
)
