"""Retention: a closed program's private texts are deleted `retention_months` after it
closed (default 12), by a planner of the tick; the numbers stay. Each deletion, and each
change of the setting, is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.errors import InvalidInput
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.audit import record
from bot.services.erasure import delete_program_texts, programs_past_retention
from bot.services.programs import find_program

log = get_logger("twoway.retention")

DELETED_ACTION = "program.private_texts_deleted"
SET_ACTION = "admin.retention"
MONTHS_RANGE = (1, 120)


def delete_expired_texts(runtime: Runtime, now: datetime) -> int:
    """The tick's planner: delete the private texts of every program past its retention."""
    with runtime.unit_of_work() as session:
        due = [p.id for p in programs_past_retention(session, now=now)]
    for program_id in due:  # one short transaction per program
        with runtime.unit_of_work() as session:
            program = next(
                (p for p in programs_past_retention(session, now=now) if p.id == program_id), None
            )
            if program is None:
                continue
            cleared = delete_program_texts(session, program=program, now=now)
            record(
                session,
                workspace_id=program.workspace_id,
                actor=None,
                action=DELETED_ACTION,
                target_type="program",
                target_id=program.id,
                detail={"retention_months": program.retention_months, "texts_cleared": cleared},
            )
        log.info("retention.deleted", program_id=program_id, texts_cleared=cleared)
    return len(due)


def parse_retention_args(args: list[str]) -> tuple[int, str | None]:
    """`MONTHS [program name]`; a clear refusal otherwise."""
    usage = (
        "Usage: `/mentor admin retention MONTHS [program]`, e.g. `/mentor admin retention 6 "
        "Spring cohort`: private texts are deleted that many months (1 to 120) after the "
        "program closes."
    )
    if not args or not args[0].isdigit() or len(args[0]) > 3:
        raise InvalidInput(usage)
    months = int(args[0])
    if not MONTHS_RANGE[0] <= months <= MONTHS_RANGE[1]:
        raise InvalidInput(usage)
    return months, " ".join(args[1:]) or None


def set_retention(runtime: Runtime, caller: Caller, *, args: list[str]) -> dict[str, Any]:
    """`/mentor admin retention MONTHS [program]`: coordinators only, audited."""
    caller = require_coordinator(runtime, caller, action="admin.retention")
    months, name = parse_retention_args(args)
    with runtime.unit_of_work() as session:
        program = find_program(
            session, workspace_id=caller.workspace_id, name=name, include_closed=True
        )
        before, program.retention_months = program.retention_months, months
        record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=SET_ACTION,
            target_type="program",
            target_id=program.id,
            detail={"before": before, "after": months},
        )
        program_name = program.name
    return {
        "response_type": "ephemeral",
        "text": f"Private texts of *{program_name}* will be deleted {months} months after it "
        "closes; the anonymous numbers stay.",
    }
