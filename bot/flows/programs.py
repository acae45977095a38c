"""Coordinators' programs: the admin channel, and creating, listing, showing, closing programs.

Every step checks the caller is a coordinator (in the admin channel, except when
choosing that channel). A new program is saved together with its notice to the
admin channel (the outbox), and Slack is called only after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.messages.programs import PROGRAM_CREATED, created_key
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services import audit
from bot.services.deliveries import plan_now
from bot.services.programs import (
    Creation,
    ProgramSettings,
    close_program,
    create_program_once,
    find_program,
    list_programs,
    program_name,
    summarize,
)
from bot.services.workspaces import set_admin_channel
from bot.views.programs import (
    NAME_TAKEN,
    ONLY_COORDINATORS,
    build_close_confirmation,
    build_program_card,
    build_program_list,
    build_program_modal,
    build_program_usage,
)
from models.enums import AuditOutcome

log = get_logger("twoway.programs")


def choose_admin_channel(runtime: Runtime, caller: Caller) -> None:
    """`/mentor admin channel`: the caller's channel becomes the admin channel (audited)."""
    caller = require_coordinator(runtime, caller, action="admin.channel", setting_channel=True)
    channel_id = caller.channel_id or ""
    with runtime.unit_of_work() as session:
        previous = set_admin_channel(
            session, workspace_id=caller.workspace_id, channel_id=channel_id
        )
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action="admin.channel",
            detail={"from": previous, "to": channel_id},
        )
    log.info("admin_channel.set", user_id=caller.user_id, channel_id=channel_id)


def program_command(
    runtime: Runtime, caller: Caller, *, verb: str, name: str | None, trigger_id: str
) -> dict[str, Any] | None:
    """`/mentor admin program VERB [NAME]`: the answer to show, or None once the form is open.

    The form opens first thing after the check: a trigger id expires in 3 seconds.
    """
    caller = require_coordinator(runtime, caller, action=f"admin.program.{verb or 'help'}")
    with runtime.unit_of_work() as session:  # every admin command leaves a line
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=f"admin.program.{verb or 'help'}",
        )
    if verb == "create":
        view = build_program_modal(
            today=caller.today, admin_channel_id=caller.admin_channel_id or ""
        )
        runtime.gateway.open_view(trigger_id=trigger_id, view=view)
        return None
    if verb not in {"list", "show", "close"}:
        return build_program_usage()
    with runtime.unit_of_work() as session:
        if verb == "list":
            return build_program_list(list_programs(session, workspace_id=caller.workspace_id))
        program = find_program(
            session, workspace_id=caller.workspace_id, name=name, include_closed=verb == "show"
        )
        summary = summarize(session, program)
    return build_program_card(summary) if verb == "show" else build_close_confirmation(summary)


def submit_program(
    runtime: Runtime,
    caller: Caller,
    *,
    settings: ProgramSettings,
    view_id: str,
    accept: Callable[[], None],
) -> str | None:
    """A valid form: a refusal to show on the name field, or None once accepted.

    The program, its audit line and its notice are saved in one transaction, once per
    form (a double or concurrent submission changes nothing). `accept()` closes the
    modal before the notice is sent; if Slack fails, the scheduler sends it later.
    """
    if not caller.is_coordinator:
        with runtime.unit_of_work() as session:
            audit.record(
                session,
                workspace_id=caller.workspace_id,
                actor=caller.user_id,
                action="program.create",
                outcome=AuditOutcome.DENIED,
            )
        return ONLY_COORDINATORS
    delivery_id: int | None = None
    with runtime.unit_of_work() as session:
        created = create_program_once(
            session,
            workspace_id=caller.workspace_id,
            settings=settings,
            created_by=caller.user_id,
            request_key=f"view:{view_id}",
        )
        if created.outcome == Creation.CREATED and created.program_id is not None:
            audit.record(
                session,
                workspace_id=caller.workspace_id,
                actor=caller.user_id,
                action="program.create",
                target_type="program",
                target_id=created.program_id,
            )
            delivery_id = plan_now(
                session,
                workspace_id=caller.workspace_id,
                kind=PROGRAM_CREATED,
                key=created_key(created.program_id),
                now=caller.now,
                payload={"program_id": created.program_id, "created_by": caller.user_id},
            )
    if created.outcome == Creation.NAME_TAKEN:
        return NAME_TAKEN
    accept()
    log.info(
        f"program.{created.outcome.value}",
        program_id=created.program_id,
        user_id=caller.user_id,
        view_id=view_id,
        delivery_id=delivery_id,
    )
    if delivery_id is not None:
        send_now(runtime, [delivery_id])
    return None


@dataclass(frozen=True)
class Closing:
    name: str | None
    changed: bool  # False when it was closed already (a second click)


def close_program_by_click(runtime: Runtime, caller: Caller, *, program_id: int) -> Closing:
    """The Close button of the confirmation: close once, audited; only for coordinators."""
    caller = require_coordinator(runtime, caller, action="admin.program.close")
    with runtime.unit_of_work() as session:
        changed = close_program(
            session, program_id=program_id, workspace_id=caller.workspace_id, now=caller.now
        )
        if changed:
            audit.record(
                session,
                workspace_id=caller.workspace_id,
                actor=caller.user_id,
                action="program.close",
                target_type="program",
                target_id=program_id,
            )
        name = program_name(session, program_id=program_id)
    log.info("program.close", program_id=program_id, user_id=caller.user_id, changed=changed)
    return Closing(name=name, changed=changed)
