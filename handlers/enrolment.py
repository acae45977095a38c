"""`/mentor join|profile|pause|resume|leave`, the enrolment modal and the `user_change` event."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.commands import SLASH_COMMAND, parse_command
from bot.errors import InvalidInput, NotFound, TwowayError
from bot.runtime import Runtime
from bot.services import enrolment, participation
from bot.services.members import find_member, save_profile
from bot.slack.gateway import SlackUser
from bot.views.enrolment import (
    JoinIds,
    LeaveIds,
    build_join_modal,
    build_notice_modal,
    parse_join_submission,
    parse_metadata,
)
from bot.views.enrolment_messages import (
    CANCELLED_TEXT,
    build_leave_prompt,
    left_text,
    parse_participant_ids,
    paused_text,
    resumed_text,
)
from bot.workflows.enrolment import complete_enrolment, leave_programs
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import subcommand

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PAUSE_USAGE = (
    "Use `/mentor pause` (until you `/mentor resume`) or `/mentor pause until YYYY-MM-DD` "
    "with a date after today, for example `/mentor pause until {example}`."
)


def _today() -> date:
    return datetime.now(UTC).date()


def _name_arg(command: dict[str, Any]) -> str | None:
    return " ".join(parse_command(command.get("text")).args) or None


def parse_pause_until(args: list[str], *, today: date) -> date | None:
    """`pause`, `pause until 2030-01-31` or `pause 2030-01-31`; anything else is refused."""
    words = args[1:] if args and args[0].lower() == "until" else args
    if not args:
        return None
    try:
        if len(words) == 1 and ISO_DATE.fullmatch(words[0]):
            return date.fromisoformat(words[0])
    except ValueError:
        pass
    example = date.fromordinal(today.toordinal() + 14).isoformat()
    raise InvalidInput(PAUSE_USAGE.format(example=example))


# -- join and profile: a modal opened right after the ack (trigger ids expire in 3 s) -------


def _open_modal(runtime: Runtime, command: dict[str, Any], *, editing: bool) -> None:
    assert runtime.workspace_id is not None
    with runtime.unit_of_work() as session:
        if editing:
            target = enrolment.profile_target(
                session,
                workspace_id=runtime.workspace_id,
                user_id=command["user_id"],
                name=_name_arg(command),
            )
        else:
            target = enrolment.join_target(
                session,
                workspace_id=runtime.workspace_id,
                user_id=command["user_id"],
                name=_name_arg(command),
                today=_today(),
            )
    runtime.gateway.open_view(trigger_id=command["trigger_id"], view=build_join_modal(target))


def handle_join_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    _open_modal(runtime_of(context), command, editing=False)


def handle_profile_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    _open_modal(runtime_of(context), command, editing=True)


def _refusal(
    runtime: Runtime, *, user_id: str, program_id: int, mode: enrolment.Mode
) -> str | None:
    """Why this submission can't be saved (read only, before the ack), or None."""
    assert runtime.workspace_id is not None
    try:
        with runtime.unit_of_work() as session:
            enrolment.check_submission(
                session,
                workspace_id=runtime.workspace_id,
                user_id=user_id,
                program_id=program_id,
                mode=mode,
                today=_today(),
            )
    except TwowayError as error:
        return error.user_message
    return None


def handle_join_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """Field errors go back in the ack; a valid form is acknowledged, then saved once."""
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    meta = parse_metadata(view.get("private_metadata"))
    if meta is None:
        ack(
            response_action="update",
            view=build_notice_modal("This form has expired. Please run the command again."),
        )
        return
    form = parse_join_submission(view["state"]["values"], user_id=user_id)
    if isinstance(form, dict):
        ack(response_action="errors", errors=form)
        return
    program_id = meta.program_id or form.program_id
    if program_id is None:
        ack(response_action="update", view=build_notice_modal("Please run `/mentor join` again."))
        return
    refusal = _refusal(runtime, user_id=user_id, program_id=program_id, mode=meta.mode)
    if refusal and meta.program_id is None:
        ack(response_action="errors", errors={JoinIds.PROGRAM.value: refusal})
        return
    if refusal:
        ack(response_action="update", view=build_notice_modal(refusal))
        return
    ack()
    complete_enrolment(
        runtime,
        user_id=user_id,
        program_id=program_id,
        mode=meta.mode,
        answers=form.answers,
        view_id=view["id"],
    )


# -- pause, resume, leave: answered through the response_url after the ack ------------------


def handle_pause_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    _pause(runtime_of(context), command, respond)


def _pause(runtime: Runtime, command: dict[str, Any], respond: Respond) -> None:
    assert runtime.workspace_id is not None
    until = parse_pause_until(parse_command(command.get("text")).args, today=_today())
    with runtime.unit_of_work() as session:
        change = participation.pause(
            session,
            workspace_id=runtime.workspace_id,
            user_id=command["user_id"],
            until=until,
            now=datetime.now(UTC),
        )
    when = until.isoformat() if until else None
    respond(text=paused_text(change.changed, change.unchanged, when), response_type="ephemeral")


def handle_resume_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    assert runtime.workspace_id is not None
    with runtime.unit_of_work() as session:
        change = participation.resume(
            session, workspace_id=runtime.workspace_id, user_id=command["user_id"]
        )
    respond(text=resumed_text(change.changed, change.unchanged), response_type="ephemeral")


def handle_leave_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    _prompt_leave(runtime_of(context), command, respond)


def _prompt_leave(runtime: Runtime, command: dict[str, Any], respond: Respond) -> None:
    assert runtime.workspace_id is not None
    with runtime.unit_of_work() as session:
        enrolments = participation.leave_candidates(
            session,
            workspace_id=runtime.workspace_id,
            user_id=command["user_id"],
            name=_name_arg(command),
        )
    respond(**build_leave_prompt(enrolments))


def handle_leave_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Only the owner's click counts; a second click finds nothing left to change."""
    ack()
    _leave(runtime_of(context), body, action, respond)


def _leave(
    runtime: Runtime, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    participant_ids = parse_participant_ids(action.get("value"))
    if not participant_ids:
        raise NotFound("That button no longer works. Run `/mentor leave` again.")
    result = leave_programs(runtime, user_id=body["user"]["id"], participant_ids=participant_ids)
    respond(
        text=left_text(result.left, result.already_left),
        response_type="ephemeral",
        replace_original=bool(result.left),
    )


def handle_leave_cancel(ack: Ack, respond: Respond) -> None:
    ack()
    respond(text=CANCELLED_TEXT, response_type="ephemeral", replace_original=True)


# -- user_change: keep a known member's timezone, name and deleted flag fresh ---------------


def slack_user_of(user: dict[str, Any]) -> SlackUser:
    """The event's user object read like users.info (no extra API call)."""
    return SlackUser(
        id=user["id"],
        name=user.get("real_name") or user.get("name") or user["id"],
        timezone=user.get("tz") or "UTC",
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        is_deleted=bool(user.get("deleted")),
        is_bot=bool(user.get("is_bot")),
    )


def handle_user_change(event: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    assert runtime.workspace_id is not None
    user = slack_user_of(event["user"])
    with runtime.unit_of_work() as session:
        if find_member(session, workspace_id=runtime.workspace_id, user_id=user.id) is not None:
            save_profile(
                session, workspace_id=runtime.workspace_id, user=user, now=datetime.now(UTC)
            )


def register(app: App) -> None:
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
