"""`/mentor admin status [program]` and what its insight buttons (and the stall digest's
Remind buttons) do: coordinators only, in the admin channel, every step audited.

Reminders are planned in the transaction that records the action, then sent at once
through the outbox; a second press finds them planned and sends nothing more.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.flows.invitations import open_invite_modal
from bot.logging import get_logger
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services import audit
from bot.services.insights import (
    Planned,
    insights,
    plan_stall_reminders,
    plan_survey_reminders,
)
from bot.services.program_health import (
    program_health,
    program_ids,
    program_of,
    program_of_pair,
    program_of_survey,
)
from bot.views.program_health import (
    MAX_PROGRAMS,
    NOT_STALLED,
    build_reminders_sent,
    build_status,
)
from models.enums import Role

log = get_logger("twoway.program_health")
GONE = "That program is gone or belongs to another workspace; run `/mentor admin status`."


def status(runtime: Runtime, caller: Caller, *, name: str | None) -> dict[str, Any]:
    """Each open program's health (or the named one's), with up to three insights each."""
    caller = require_coordinator(runtime, caller, action="admin.status")
    with runtime.unit_of_work() as session:
        ids = program_ids(session, workspace_id=caller.workspace_id, name=name)
        if name and not ids:
            raise NotFound(
                f"I couldn't find a program called “{name}”. "
                "`/mentor admin program list` shows them all."
            )
        found = []
        for program_id in ids[:MAX_PROGRAMS]:
            health = program_health(session, program_id=program_id, now=caller.now)
            found.append((health, insights(health, now=caller.now)))
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action="admin.status",
            target_type="program" if name else None,
            target_id=ids[0] if name else None,
        )
    return build_status(found, timezone=caller.timezone, more=max(0, len(ids) - MAX_PROGRAMS))


def open_invite(
    runtime: Runtime, caller: Caller, *, program_id: int, role: Role, trigger_id: str
) -> None:
    """The invite insight: the invite modal, with the program chosen, for the short side."""
    caller = require_coordinator(runtime, caller, action=f"admin.insight.invite_{role.value}s")
    with runtime.unit_of_work() as session:
        if program_of(session, program_id=program_id, workspace_id=caller.workspace_id) is None:
            raise NotFound(GONE)
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=f"admin.insight.invite_{role.value}s",
            target_type="program",
            target_id=program_id,
        )
    open_invite_modal(runtime, caller, trigger_id=trigger_id, program_id=program_id)


def _send(runtime: Runtime, planned: Planned) -> None:
    if planned.delivery_ids:
        send_now(runtime, planned.delivery_ids)


def remind_stalled(runtime: Runtime, caller: Caller, *, program_id: int) -> dict[str, Any]:
    """The stalled-pairs insight: one gentle reminder to each stalled pair, once per stall."""
    caller = require_coordinator(runtime, caller, action="admin.insight.remind_stalled")
    with runtime.unit_of_work() as session:
        if program_of(session, program_id=program_id, workspace_id=caller.workspace_id) is None:
            raise NotFound(GONE)
        planned = plan_stall_reminders(
            session, workspace_id=caller.workspace_id, program_id=program_id, now=caller.now
        )
        _audit(session, caller, "admin.insight.remind_stalled", "program", program_id, planned)
    _send(runtime, planned)
    log.info("insight.remind_stalled", program_id=program_id, planned=len(planned.delivery_ids))
    return build_reminders_sent(
        what="stalled pairs", planned=len(planned.delivery_ids), already=planned.already
    )


def remind_pair(runtime: Runtime, caller: Caller, *, pair_id: int) -> dict[str, Any]:
    """A stall digest's Remind button: that one pair, once per stall."""
    caller = require_coordinator(runtime, caller, action="admin.stall_digest.remind")
    with runtime.unit_of_work() as session:
        program_id = program_of_pair(session, pair_id=pair_id, workspace_id=caller.workspace_id)
        if program_id is None:
            raise NotFound("That pair is gone; nothing to send.")
        planned = plan_stall_reminders(
            session,
            workspace_id=caller.workspace_id,
            program_id=program_id,
            now=caller.now,
            pair_ids=[pair_id],
        )
        _audit(session, caller, "admin.stall_digest.remind", "pair", pair_id, planned)
    _send(runtime, planned)
    if not planned.pair_ids:
        return dict(NOT_STALLED)
    return build_reminders_sent(
        what="this pair", planned=len(planned.delivery_ids), already=planned.already
    )


def remind_survey(runtime: Runtime, caller: Caller, *, survey_id: int) -> dict[str, Any]:
    """The survey insight: one reminder to each person who has not answered, once."""
    caller = require_coordinator(runtime, caller, action="admin.insight.remind_survey")
    with runtime.unit_of_work() as session:
        if (
            program_of_survey(session, survey_id=survey_id, workspace_id=caller.workspace_id)
            is None
        ):
            raise NotFound("That survey is gone; run `/mentor admin status` again.")
        planned = plan_survey_reminders(
            session, workspace_id=caller.workspace_id, survey_id=survey_id, now=caller.now
        )
        _audit(session, caller, "admin.insight.remind_survey", "survey", survey_id, planned)
    _send(runtime, planned)
    return build_reminders_sent(
        what="people who have not answered",
        planned=len(planned.delivery_ids),
        already=planned.already,
    )


def _audit(
    session: Session,
    caller: Caller,
    action: str,
    target_type: str,
    target_id: int,
    planned: Planned,
) -> None:
    audit.record(
        session,
        workspace_id=caller.workspace_id,
        actor=caller.user_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail={"planned": len(planned.delivery_ids), "already": planned.already},
    )
