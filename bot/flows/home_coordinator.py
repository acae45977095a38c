"""The coordinators' section of the App Home, and what its buttons open.

The section is added to the Home only for coordinators; its buttons are checked again
when pressed (a Home is not a channel, so the admin-channel rule does not apply to the
press: Status opens a modal only the coordinator sees; Report, Match and Announce run
their admin command for the program, whose result goes to the admin channel). Each
press is audited.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import NotFound, TwowayError
from bot.flows.access import require_coordinator
from bot.flows.announcements import open_announce_modal
from bot.flows.caller import Caller
from bot.flows.matching import start_round
from bot.flows.reports import report_command
from bot.runtime import Runtime
from bot.services import audit
from bot.services.home_dashboard import Viewer
from bot.services.insights import insights
from bot.services.program_health import program_health, program_ids, program_of
from bot.services.workspaces import admin_channel_of
from bot.views.home_coordinator import (
    CoordinatorHomeIds,
    build_coordinator_section,
    build_home_note,
    build_started,
    build_status_modal,
    programs_fitting,
)
from bot.views.reports import ReportRequest

COORDINATOR_ROOM = 40  # blocks of the Home kept for the programs' health (of Slack's 100)


def coordinator_section(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    """The coordinators' part of the Home: each program's health at a glance, with
    buttons to act; nothing for anyone else."""
    if not viewer.is_coordinator:
        return []
    ids = program_ids(session, workspace_id=viewer.workspace_id)
    healths = [
        program_health(session, program_id=program_id, now=viewer.now)
        for program_id in ids[: programs_fitting(COORDINATOR_ROOM)]
    ]
    return build_coordinator_section(
        healths,
        admin_channel_id=admin_channel_of(session, workspace_id=viewer.workspace_id),
        room=COORDINATOR_ROOM,
        total=len(ids),
    )


def _checked(runtime: Runtime, caller: Caller, action: str, program_id: int) -> tuple[Caller, str]:
    caller = require_coordinator(runtime, caller, action=action, setting_channel=True)
    with runtime.unit_of_work() as session:
        name = program_of(session, program_id=program_id, workspace_id=caller.workspace_id)
        if name is None:
            raise NotFound("That program is gone; reopen the Home tab.")
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=action,
            target_type="program",
            target_id=program_id,
        )
    return caller, name


def open_status(runtime: Runtime, caller: Caller, *, program_id: int, trigger_id: str) -> None:
    """The Status button: the program's health in a modal."""
    caller, _ = _checked(runtime, caller, "home.coordinator.status", program_id)
    with runtime.unit_of_work() as session:
        health = program_health(session, program_id=program_id, now=caller.now)
        found = insights(health, now=caller.now)
    view = build_status_modal(health, found, timezone=caller.timezone)
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)


def press(
    runtime: Runtime,
    caller: Caller,
    *,
    action: CoordinatorHomeIds,
    program_id: int,
    trigger_id: str,
) -> None:
    """Report / Match / Announce: what the admin command does, for this program.

    The result appears where the command puts it, the admin channel, so the rest runs as
    from there (and is refused there too when no admin channel is chosen yet). A modal
    says what is happening; a refusal or a note shows in it rather than being lost.
    """
    caller, name = _checked(
        runtime, caller, f"home.coordinator.{action.value.removeprefix('home_coord_')}", program_id
    )
    in_admin = replace(caller, channel_id=caller.admin_channel_id)
    opened: list[str] = []

    def show(view: dict[str, Any]) -> None:
        if opened:
            runtime.gateway.update_view(view_id=opened[0], view=view)
        else:
            opened.append(runtime.gateway.open_view(trigger_id=trigger_id, view=view))

    def started(_: object) -> None:
        show(build_started(action, program_name=name, admin_channel_id=caller.admin_channel_id))

    try:
        if action == CoordinatorHomeIds.ANNOUNCE:
            open_announce_modal(runtime, in_admin, program_name=name, trigger_id=trigger_id)
        elif action == CoordinatorHomeIds.REPORT:
            report_command(
                runtime,
                in_admin,
                request=ReportRequest(name, None),
                progress=started,
            )
        else:
            note = start_round(
                runtime,
                in_admin,
                verb="match",
                program_name=name,
                started=started,
            )
            if note:
                show(build_home_note(action, note))
    except TwowayError as refused:
        show(build_home_note(action, refused.user_message))
