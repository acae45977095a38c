"""Previews of the next matching round, as outbox rows: the ones a coordinator asks for and
the ones the scheduler plans when a program's rotation date comes.

A rotation preview is keyed by program and round, so it is posted once however many
ticks pass the date; confirming it stays the coordinator's call. Every preview's post
records where it landed, and a preview too long for one message gets its CSV planned in
that same transaction, so the file always follows the message it completes.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy.orm import Session

from bot.outbox.message import Outgoing, Post, Upload
from bot.outbox.render import RenderContext, Renderer
from bot.runtime import Runtime
from bot.services.deliveries import plan_delivery
from bot.services.match_previews import (
    CSV_KIND,
    PREVIEW_KIND,
    plan_preview_csv,
    preview_of,
    propose_rotation,
    record_preview,
    rotations_due,
    run_state,
)
from bot.services.workspaces import admin_channel_of
from bot.views.matching import build_match_preview, needs_csv, preview_csv_file
from models import Delivery
from models.enums import MatchRunStatus

ROTATION_KIND = "rotation_preview"


def plan_rotation_previews(runtime: Runtime, now: datetime) -> int:
    """Plan one preview per program whose rotation date has come (dates are UTC dates)."""
    planned = 0
    with runtime.unit_of_work() as session:
        for due in rotations_due(session, on=now.date()):
            planned += plan_delivery(
                session,
                workspace_id=due.workspace_id,
                kind=ROTATION_KIND,
                period=f"round-{due.next_round}",
                due_at=now,
                program_id=due.program_id,
            )
    return planned


def _preview_post(context: RenderContext, run_id: int, workspace_id: int, channel: str) -> Post:
    preview = preview_of(context.session, run_id=run_id)
    message = build_match_preview(preview)
    return Post(
        text=message["text"],
        blocks=message["blocks"],
        channel=channel,
        on_sent=partial(
            _preview_sent,
            run_id=run_id,
            workspace_id=workspace_id,
            now=context.now,
            with_csv=needs_csv(preview),
        ),
    )


def _preview_sent(
    session: Session,
    channel: str,
    ts: str,
    *,
    run_id: int,
    workspace_id: int,
    now: datetime,
    with_csv: bool,
) -> None:
    record_preview(session, run_id=run_id, channel=channel, ts=ts)
    if with_csv:
        plan_preview_csv(
            session, run_id=run_id, workspace_id=workspace_id, channel=channel, now=now
        )


def render_match_preview(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """The preview a coordinator asked for, while it is still the open one."""
    run_id = int(delivery.payload.get("run_id") or 0)
    state = run_state(context.session, run_id=run_id, workspace_id=delivery.workspace_id)
    if state is None or state.status != MatchRunStatus.PROPOSED:
        return f"preview is {state.status.value if state else 'gone'}"
    channel = str(delivery.payload.get("channel") or "")
    if not channel:
        return "no channel to post the preview in"
    return _preview_post(context, run_id, delivery.workspace_id, channel)


def render_rotation_preview(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """The rotation date came: propose the next round now and show it to the coordinators."""
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if not channel:
        return "no admin channel is set"
    proposed = propose_rotation(
        context.session,
        program_id=delivery.payload.get("program_id"),
        workspace_id=delivery.workspace_id,
        next_round=delivery.period,
        now=delivery.due_at,
    )
    if isinstance(proposed, str):
        return proposed
    return _preview_post(context, proposed, delivery.workspace_id, channel)


def render_preview_csv(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """Every proposed pair of a long preview, beside the preview's message."""
    run_id = int(delivery.payload.get("run_id") or 0)
    state = run_state(context.session, run_id=run_id, workspace_id=delivery.workspace_id)
    if state is None or state.status in (MatchRunStatus.SUPERSEDED, MatchRunStatus.CANCELLED):
        return f"preview is {state.status.value if state else 'gone'}"
    file = preview_csv_file(preview_of(context.session, run_id=run_id))
    return Upload(
        filename=file["filename"],
        content=file["content"],
        title=file["title"],
        channel=str(delivery.payload.get("channel") or state.preview_channel or ""),
    )


ROTATION_RENDERERS: dict[str, Renderer] = {
    ROTATION_KIND: render_rotation_preview,
    PREVIEW_KIND: render_match_preview,
    CSV_KIND: render_preview_csv,
}
