"""Matching as the coordinator drives it: preview in the admin channel, then confirm or not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.logging import get_logger
from bot.runtime import Runtime
from bot.scheduler.outbox import send_due
from bot.services.match_runs import Decision, cancel_run, confirm_run, propose_round
from bot.services.pairs import details
from bot.views.matching import (
    PAIRS_SHOWN,
    UNMATCHED_SHOWN,
    MatchPreview,
    PreviewPair,
    build_decision,
    build_match_preview,
    build_preview_csv,
)
from bot.workflows.pair_messages import PAIR_RENDERERS
from models import MatchRun, Pair, Program
from models.enums import MatchRunStatus

log = get_logger("twoway.matching")
PROGRESS_EVERY = 10
MessageRef = tuple[str, str]  # (channel, ts) of the preview a button was on


def preview_of(session: Session, run: MatchRun) -> MatchPreview:
    program = session.get(Program, run.program_id)
    assert program is not None
    pairs = []
    for pair in session.scalars(select(Pair).where(Pair.match_run_id == run.id).order_by(Pair.id)):
        found = details(session, pair)
        junior, senior = found.people[0], found.people[1]
        pairs.append(
            PreviewPair(
                junior=junior.user_id,
                senior=senior.user_id,
                third=found.people[2].user_id if len(found.people) > 2 else None,
                junior_department=junior.department,
                senior_department=senior.department,
                score=pair.match_score or 0.0,
                reasons=found.reasons,
            )
        )
    return MatchPreview(
        run_id=run.id,
        program_name=program.name,
        round=run.round,
        rotation=run.round > 1,
        pairs=pairs,
        unmatched=list(run.unmatched),
        total_score=run.total_score,
        trios_allowed=bool(run.options.get("allow_trios")),
        same_role_allowed=bool(run.options.get("allow_same_role")),
    )


def post_preview(runtime: Runtime, *, run_id: int, channel: str) -> None:
    """Post (or re-post) a run's preview, with the full CSV when the message can't hold it."""
    with runtime.unit_of_work() as session:
        run = session.get(MatchRun, run_id)
        assert run is not None
        preview = preview_of(session, run)
    posted = runtime.gateway.post_message(channel=channel, **build_match_preview(preview))
    if len(preview.pairs) > PAIRS_SHOWN or len(preview.unmatched) > UNMATCHED_SHOWN:
        runtime.gateway.upload_file(
            channel=channel,
            filename=f"match-preview-round-{preview.round}.csv",
            content=build_preview_csv(preview),
            title=f"{preview.program_name}: every proposed pair, round {preview.round}",
        )
    with runtime.unit_of_work() as session:
        run = session.get(MatchRun, run_id)
        assert run is not None
        run.preview_channel, run.preview_ts = posted.channel, posted.ts
    log.info(
        "match.previewed", run_id=run_id, pairs=len(preview.pairs), unmatched=len(preview.unmatched)
    )


def propose_and_post(
    runtime: Runtime,
    *,
    program_id: int,
    user_id: str | None,
    channel: str,
    allow_trios: bool = False,
    allow_same_role: bool = False,
) -> int:
    with runtime.unit_of_work() as session:
        run = propose_round(
            session,
            program_id=program_id,
            workspace_id=runtime.workspace_id or 0,
            created_by=user_id,
            now=datetime.now(UTC),
            allow_trios=allow_trios,
            allow_same_role=allow_same_role,
        )
        run_id = run.id
    post_preview(runtime, run_id=run_id, channel=channel)
    return run_id


def _undecided_message(decision: Decision) -> str:
    if decision.run.status == MatchRunStatus.SUPERSEDED:
        return "This preview was replaced by a newer one; use the buttons on the newest preview."
    return f"This preview was already {decision.run.status.value}; nothing changed."


def _update_preview(
    runtime: Runtime, run: MatchRun, text: str, clicked: MessageRef | None = None
) -> None:
    channel, ts = clicked or (run.preview_channel, run.preview_ts)
    if channel and ts:
        runtime.gateway.update_message(channel=channel, ts=ts, **build_decision(text))


def confirm(
    runtime: Runtime, *, run_id: int, user_id: str, clicked: MessageRef | None = None
) -> str | None:
    """Start the pairs and send their intros with progress; a message when nothing changed."""
    now = datetime.now(UTC)
    with runtime.unit_of_work() as session:
        decision = confirm_run(
            session, run_id=run_id, workspace_id=runtime.workspace_id or 0, user_id=user_id, now=now
        )
    if not decision.changed:
        return _undecided_message(decision)
    run, total = decision.run, len(decision.started_pair_ids)
    head = f":white_check_mark: <@{user_id}> confirmed round {run.round} of *{decision.program.name}*: {total} pairs."
    _update_preview(runtime, run, f"{head}\nIntroducing the pairs… 0/{total}", clicked)

    def progress(done: int, of: int) -> None:
        if done % PROGRESS_EVERY == 0 and done < of:
            _update_preview(runtime, run, f"{head}\nIntroducing the pairs… {done}/{of}", clicked)

    sent = send_due(
        runtime,
        now,
        PAIR_RENDERERS,
        kinds=["pair_intro", "pair_farewell"],
        limit=max(1000, 2 * total + len(decision.ended_pair_ids)),
        progress=progress,
    )
    # Pairs Slack could not reach were paused just now: tell the coordinators at once.
    send_due(runtime, now, PAIR_RENDERERS, kinds=["admin_pair_paused"])
    ended = (
        f" {len(decision.ended_pair_ids)} pairs of the last round were thanked."
        if decision.ended_pair_ids
        else ""
    )
    _update_preview(runtime, run, f"{head}\nDone: {sent} messages sent.{ended}", clicked)
    log.info("match.confirmed", run_id=run_id, pairs=total, sent=sent)
    return None


def cancel(
    runtime: Runtime, *, run_id: int, user_id: str, clicked: MessageRef | None = None
) -> str | None:
    with runtime.unit_of_work() as session:
        decision = cancel_run(
            session,
            run_id=run_id,
            workspace_id=runtime.workspace_id or 0,
            user_id=user_id,
            now=datetime.now(UTC),
        )
    if not decision.changed:
        return _undecided_message(decision)
    _update_preview(
        runtime,
        decision.run,
        f":x: <@{user_id}> cancelled this preview; nothing was sent to anyone.",
        clicked,
    )
    return None


def rerun(
    runtime: Runtime,
    *,
    run_id: int,
    user_id: str,
    allow_trios: bool,
    allow_same_role: bool = False,
    clicked: MessageRef | None = None,
) -> str | None:
    with runtime.unit_of_work() as session:
        run = session.get(MatchRun, run_id)
        if run is None or run.status != MatchRunStatus.PROPOSED:
            return "This preview is no longer open; run `/mentor admin match` for a fresh one."
        program_id, old = run.program_id, run
        channel = clicked[0] if clicked else run.preview_channel
    if channel is None:  # the preview is still being posted
        return "This preview is still being posted; try again in a moment."
    note = f":arrows_counterclockwise: <@{user_id}> re-ran the matching; the new preview is below."
    _update_preview(runtime, old, note, clicked)
    propose_and_post(
        runtime,
        program_id=program_id,
        user_id=user_id,
        channel=channel,
        allow_trios=allow_trios,
        allow_same_role=allow_same_role,
    )
    return None
