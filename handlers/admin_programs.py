"""`/mentor admin channel` and `/mentor admin program create|list|show|close`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import IntegrityError

from bot.commands import SLASH_COMMAND, parse_command
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services import audit
from bot.services.coordinators import is_coordinator
from bot.services.idempotency import first_time
from bot.services.members import find_member
from bot.services.programs import (
    close_program,
    create_program,
    find_program,
    list_programs,
    name_taken,
    summarize,
)
from bot.views.programs import (
    ProgramIds,
    build_close_confirmation,
    build_program_card,
    build_program_created,
    build_program_list,
    build_program_modal,
    parse_program_submission,
)
from handlers.admin_access import require_coordinator
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import admin_subcommand
from models import Program, Workspace

log = get_logger("twoway.programs")

USAGE = (
    f"Usage: `{SLASH_COMMAND} admin program create`, `… program list`, "
    "`… program show NAME`, `… program close NAME`."
)


def _today(runtime: Runtime, user_id: str) -> date:
    with runtime.unit_of_work() as session:
        member = find_member(session, workspace_id=runtime.workspace_id or 0, user_id=user_id)
        tz = member.timezone if member else "UTC"
    return datetime.now(ZoneInfo(tz)).date()


def handle_admin_channel(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    user_id, channel_id = command["user_id"], command["channel_id"]
    require_coordinator(
        runtime,
        user_id=user_id,
        channel_id=channel_id,
        action="admin.channel",
        setting_channel=True,
    )
    with runtime.unit_of_work() as session:
        workspace = session.get(Workspace, runtime.workspace_id)
        assert workspace is not None
        previous = workspace.admin_channel_id
        workspace.admin_channel_id = channel_id
        audit.record(
            session,
            workspace_id=workspace.id,
            actor=user_id,
            action="admin.channel",
            detail={"from": previous, "to": channel_id},
        )
    respond(
        response_type="in_channel",
        text=(
            f":white_check_mark: <@{user_id}> made <#{channel_id}> the coordinators' admin channel. "
            "Match previews, alerts and reports will be posted here. "
            "Make sure I'm a member (`/invite @twoway`)."
        ),
    )


def handle_admin_program(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    user_id, channel_id = command["user_id"], command["channel_id"]
    args = parse_command(command.get("text")).args[1:]
    verb = args[0].lower() if args else ""
    name = " ".join(args[1:]) or None
    workspace = require_coordinator(
        runtime, user_id=user_id, channel_id=channel_id, action=f"admin.program.{verb or 'help'}"
    )
    if verb == "create":
        view = build_program_modal(
            today=_today(runtime, user_id), admin_channel_id=workspace.admin_channel_id or ""
        )
        runtime.gateway.open_view(trigger_id=command["trigger_id"], view=view)
        return
    with runtime.unit_of_work() as session:
        if verb == "list":
            message = build_program_list(list_programs(session, workspace_id=workspace.id))
        elif verb in {"show", "close"}:
            program = find_program(
                session, workspace_id=workspace.id, name=name, include_closed=verb == "show"
            )
            summary = summarize(session, program)
            message = (
                build_program_card(summary) if verb == "show" else build_close_confirmation(summary)
            )
        else:
            message = {"response_type": "ephemeral", "text": USAGE}
    respond(**message)


def handle_program_submission(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Validate, then create in one transaction with the view's idempotency key."""
    runtime = runtime_of(context)
    view = body["view"]
    user_id = body["user"]["id"]
    parsed = parse_program_submission(view["state"]["values"], today=_today(runtime, user_id))
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    try:
        with runtime.unit_of_work() as session:
            workspace = session.get(Workspace, runtime.workspace_id)
            assert workspace is not None
            member = find_member(session, workspace_id=workspace.id, user_id=user_id)
            if not is_coordinator(
                session,
                workspace_id=workspace.id,
                user_id=user_id,
                bootstrap_ids=runtime.settings.coordinators,
                is_slack_admin=bool(member and member.is_slack_admin),
            ):
                ack(
                    response_action="errors",
                    errors={ProgramIds.NAME: "Only coordinators can create programs."},
                )
                return
            if not first_time(session, key=f"view:{view['id']}", kind="program-create"):
                ack()  # a second submission of a view already handled
                return
            if name_taken(session, workspace_id=workspace.id, name=parsed.name):
                ack(
                    response_action="errors",
                    errors={ProgramIds.NAME: "A program with this name exists already."},
                )
                session.rollback()
                return
            program = create_program(
                session, workspace_id=workspace.id, settings=parsed, created_by=user_id
            )
            audit.record(
                session,
                workspace_id=workspace.id,
                actor=user_id,
                action="program.create",
                target_type="program",
                target_id=program.id,
            )
            summary = summarize(session, program)
            admin_channel = workspace.admin_channel_id
    except IntegrityError:
        ack()  # the same submission, handled concurrently by another thread
        return
    ack()
    log.info("program.created", program_id=summary.id, user_id=user_id)
    if admin_channel:
        runtime.gateway.post_message(
            channel=admin_channel, **build_program_created(summary, created_by=user_id)
        )


def handle_close_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    channel_id = (body.get("channel") or {}).get("id", "")
    workspace = require_coordinator(
        runtime, user_id=user_id, channel_id=channel_id, action="admin.program.close"
    )
    with runtime.unit_of_work() as session:
        program_id = int(action["value"])
        changed = close_program(
            session, program_id=program_id, workspace_id=workspace.id, now=datetime.now(UTC)
        )
        program = session.get(Program, program_id)
        name = program.name if program else "the program"
        if changed:
            audit.record(
                session,
                workspace_id=workspace.id,
                actor=user_id,
                action="program.close",
                target_type="program",
                target_id=program_id,
            )
    text = (
        f":white_check_mark: <@{user_id}> closed *{name}*."
        if changed
        else f"*{name}* was already closed; nothing changed."
    )
    respond(text=text, replace_original=True, response_type="ephemeral")


def handle_close_cancel(ack: Ack, respond: Respond) -> None:
    ack()
    respond(text="Kept open; nothing changed.", replace_original=True, response_type="ephemeral")


def register(app: App) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("channel")])(
        shown_to_user(handle_admin_channel)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("program")])(
        shown_to_user(handle_admin_program)
    )
    app.view(ProgramIds.CREATE_CALLBACK.value)(shown_to_user(handle_program_submission))
    app.action(ProgramIds.CLOSE_CONFIRM.value)(shown_to_user(handle_close_confirm))
    app.action(ProgramIds.CLOSE_CANCEL.value)(shown_to_user(handle_close_cancel))
