"""Automatic rotation: at each rotation date the next round's preview goes to the admin channel.

The preview is an outbox row keyed by program and round, so it is posted once,
however many ticks pass the date. Confirming it stays the coordinator's call.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.runtime import Runtime
from bot.scheduler.outbox import Outgoing, RenderContext, Renderer
from bot.services.deliveries import plan_delivery
from bot.services.match_runs import propose_round
from bot.services.programs import next_rotation_on
from bot.views.matching import build_match_preview
from bot.workflows.matching import preview_of
from models import Delivery, MatchRun, Program, Workspace
from models.enums import ProgramStatus


def plan_rotation_previews(runtime: Runtime, now: datetime) -> int:
    """Plan one preview per program whose rotation date has come."""
    planned = 0
    with runtime.unit_of_work() as session:
        programs = session.scalars(
            select(Program).where(
                Program.status == ProgramStatus.ACTIVE, Program.current_round >= 1
            )
        )
        for program in programs:
            due_on = next_rotation_on(program)
            if due_on is None or due_on > now.date():
                continue
            planned += plan_delivery(
                session,
                workspace_id=program.workspace_id,
                kind="rotation_preview",
                period=f"round-{program.current_round + 1}",
                due_at=now,
                program_id=program.id,
            )
    return planned


def render_rotation_preview(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    session = context.session
    program = session.get(Program, delivery.payload.get("program_id"))
    workspace = session.get(Workspace, delivery.workspace_id)
    if program is None or program.status != ProgramStatus.ACTIVE:
        return "program is not active"
    if workspace is None or not workspace.admin_channel_id:
        return "no admin channel is set"
    if delivery.period != f"round-{program.current_round + 1}":
        return "the round already moved on"
    run = propose_round(
        session,
        program_id=program.id,
        workspace_id=program.workspace_id,
        created_by=None,
        now=delivery.due_at,
    )
    message = build_match_preview(preview_of(session, run))
    return Outgoing(
        text=message["text"],
        blocks=message["blocks"],
        channel=workspace.admin_channel_id,
        on_sent=partial(_remember_preview, run_id=run.id),
    )


def _remember_preview(session: Session, channel: str, ts: str, *, run_id: int) -> None:
    run = session.get(MatchRun, run_id)
    assert run is not None
    run.preview_channel, run.preview_ts = channel, ts


ROTATION_RENDERERS: dict[str, Renderer] = {"rotation_preview": render_rotation_preview}
