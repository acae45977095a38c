"""Matching as the coordinator drives it: preview in the admin channel, then confirm or not.

The preview (and, for a long one, its CSV) is an outbox row planned with the round it
shows, then sent at once: if Slack fails, the scheduler posts it later, once. Editing
the preview a coordinator clicked is the answer to that click, so it stays direct.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.outbox.engine import send_batch, send_due, send_now, worker_for
from bot.runtime import Runtime
from bot.services import audit
from bot.services.home_refresh import mark_pair_homes
from bot.services.match_intros import FAREWELL, INTRO, round_messages
from bot.services.match_previews import (
    planned_csv_id,
    program_to_match,
    propose_preview,
    run_state,
)
from bot.services.match_runs import Decision, cancel_run, confirm_run
from bot.slack.errors import SlackError
from bot.views.match_progress import CONTINUE_HINT, build_introducing
from bot.views.matching import MatchIds, build_decision
from models.enums import MatchRunStatus

log = get_logger("twoway.matching")
PROGRESS_EVERY = 10
MessageRef = tuple[str, str]  # (channel, ts) of the preview a button was on
NOT_POSTED_YET = (
    ":warning: Slack did not take the preview just now; "
    "it will be posted here as soon as Slack answers."
)


def start_round(
    runtime: Runtime,
    caller: Caller,
    *,
    verb: str,
    program_name: str | None,
    started: Callable[[str], object],
) -> str | None:
    """`/mentor admin match|rotate`: propose the next round and post its preview.

    `started` tells the coordinator, once the checks passed, that matching began (a
    big program takes a while); the result is a note for them, or None.
    """
    caller = require_coordinator(runtime, caller, action=f"admin.{verb}")
    with runtime.unit_of_work() as session:
        program = program_to_match(session, workspace_id=caller.workspace_id, name=program_name)
    if verb == "rotate" and program.current_round < 1:
        raise NotFound(
            f"*{program.name}* has no pairs yet, so there is nothing to rotate. "
            "Use `/mentor admin match` first."
        )
    started(f":hourglass_flowing_sand: Matching *{program.name}*… the preview will appear here.")
    return _propose_and_post(
        runtime,
        caller,
        program_id=program.id,
        channel=caller.admin_channel_id or caller.channel_id or "",
        action=f"{verb}.preview",
    )


def _propose_and_post(
    runtime: Runtime,
    caller: Caller,
    *,
    program_id: int,
    channel: str,
    allow_trios: bool = False,
    allow_same_role: bool = False,
    action: str = "match.rerun",
) -> str | None:
    """Store the proposal with its preview planned (audited as `action`), then send the
    preview and its CSV."""
    with runtime.unit_of_work() as session:
        run_id, preview_id = propose_preview(
            session,
            program_id=program_id,
            workspace_id=caller.workspace_id,
            created_by=caller.user_id,
            channel=channel,
            now=caller.now,
            allow_trios=allow_trios,
            allow_same_role=allow_same_role,
        )
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=action,
            target_type="match_run",
            target_id=run_id,
            detail={"allow_trios": allow_trios, "allow_same_role": allow_same_role},
        )
    sent = send_now(runtime, [preview_id] if preview_id else []).sent
    with runtime.unit_of_work() as session:
        csv_id = planned_csv_id(session, run_id=run_id)  # planned when the preview was sent
    if csv_id is not None:
        send_now(runtime, [csv_id])
    log.info("match.previewed", run_id=run_id, delivery_id=preview_id, posted=bool(sent))
    return None if sent else NOT_POSTED_YET


def _audit_decision(
    session: Session, caller: Caller, action: str, run_id: int, changed: bool
) -> None:
    """A decision on a preview, audited (a second click is recorded as changing nothing)."""
    audit.record(
        session,
        workspace_id=caller.workspace_id,
        actor=caller.user_id,
        action=action,
        target_type="match_run",
        target_id=run_id,
        detail={"changed": changed},
    )


def _undecided_message(decision: Decision) -> str:
    if decision.status == MatchRunStatus.SUPERSEDED:
        return "This preview was replaced by a newer one; use the buttons on the newest preview."
    return f"This preview was already {decision.status.value}; nothing changed."


def _update_preview(
    runtime: Runtime,
    text: str,
    clicked: MessageRef | None,
    posted: tuple[str | None, str | None] = (None, None),
) -> None:
    """Edit the preview the coordinator clicked (their answer), or the one we posted."""
    _edit_preview(runtime, build_decision(text), clicked, posted)


def _edit_preview(
    runtime: Runtime,
    message: dict[str, Any],
    clicked: MessageRef | None,
    posted: tuple[str | None, str | None],
) -> None:
    channel, ts = clicked or posted
    if channel and ts:
        runtime.gateway.update_message(channel=channel, ts=ts, **message)


def confirm(
    runtime: Runtime, caller: Caller, *, run_id: int, clicked: MessageRef | None = None
) -> str | None:
    """Start the pairs and send their intros with progress; a message when nothing changed.

    Pressed again on a confirmed round whose messages stopped halfway (the process died,
    the database went away), it continues: sends what is left and updates the preview.
    """
    caller = require_coordinator(runtime, caller, action=f"admin.{MatchIds.CONFIRM}")
    key = (id(runtime), run_id)
    with _confirming_lock:  # a double click waits for nothing: the first one is at work
        if key in _confirming:
            return BEING_INTRODUCED
        _confirming.add(key)
    try:
        return _confirm_or_continue(runtime, caller, run_id, clicked)
    finally:
        with _confirming_lock:
            _confirming.discard(key)


_confirming: set[tuple[int, int]] = set()  # (runtime, run) confirms running in this process
_confirming_lock = threading.Lock()
STOPPED = "The pairs are active. Press *Continue* to send the introductions left."
BEING_INTRODUCED = (
    "This preview was already confirmed; its pairs are being introduced right now "
    "(the preview shows how far)."
)


def _confirm_or_continue(
    runtime: Runtime, caller: Caller, run_id: int, clicked: MessageRef | None
) -> str | None:
    now = caller.now
    worker = worker_for(f"confirm-{run_id}")  # this process's, and no live confirm holds it
    with runtime.unit_of_work() as session:
        decision = confirm_run(
            session,
            run_id=run_id,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            now=now,
        )
        _audit_decision(session, caller, "match.confirm", run_id, decision.changed)
        for pair_id in (*decision.ended_pair_ids, *decision.started_pair_ids):
            mark_pair_homes(session, pair_id=pair_id, now=now)
        messages = (
            round_messages(session, run_id=run_id, worker=worker, now=now)
            if decision.status == MatchRunStatus.CONFIRMED
            else None
        )
    if messages is None or (not decision.changed and messages.left == 0):
        return _undecided_message(decision)
    pairs, before = messages.intros, messages.sent
    total = messages.intros + messages.farewells
    if messages.busy_until is not None:
        return _busy_message(messages.busy_until - now, before, total)
    if not decision.changed:
        log.info("match.confirm_resumed", run_id=run_id, sent_before=before, left=messages.left)
    posted = (decision.preview_channel, decision.preview_ts)
    head = (
        f":white_check_mark: <@{decision.decided_by or caller.user_id}> confirmed round "
        f"{decision.round} of *{decision.program_name}*: {pairs} pairs."
    )
    done = [before]

    def show(text: str, hint: str | None = CONTINUE_HINT) -> None:
        """Edit the preview; the introductions go on even when Slack refuses the edit."""
        message = build_introducing(text, run_id, hint=hint) if hint else build_decision(text)
        try:
            _edit_preview(runtime, message, clicked, posted)
        except SlackError as error:
            log.warning("match.preview_not_updated", run_id=run_id, code=error.code)

    def progress(count: int, of: int) -> None:
        done[0] = before + count
        if count % PROGRESS_EVERY == 0 and count < of:
            show(f"{head}\nIntroducing the pairs… {done[0]}/{total}")

    show(f"{head}\nIntroducing the pairs… {before}/{total}")
    try:
        report = send_batch(
            runtime,
            now,
            kinds=[INTRO, FAREWELL],
            limit=max(1000, 2 * total),
            progress=progress,
            worker=worker,
            take_over=worker,
        )
        # Pairs Slack could not reach were paused just now: tell the coordinators at once.
        send_due(runtime, now, kinds=["admin_pair_paused"])
    except Exception:
        # The pairs are live but not all introduced: say so where the coordinator looks;
        # the error goes on to the error handler (logged, and answered to the click).
        show(f"{head}\n:warning: Introducing the pairs stopped at {done[0]}/{total}.", STOPPED)
        raise
    sent = before + report.sent
    ended = f" {total - pairs} pairs of the last round were thanked." if total > pairs else ""
    show(f"{head}\nDone: {sent} messages sent.{ended}", None)
    log.info("match.confirmed", run_id=run_id, pairs=pairs, sent=sent, resumed=not decision.changed)
    return None


def _busy_message(wait: timedelta, sent: int, total: int) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        f"Another twoway worker is sending this round's introductions ({sent}/{total} so "
        f"far). If the count on the preview stops moving, press *Continue* again in about "
        f"{minutes} minute{'s' if minutes != 1 else ''}: by then, what it held is released."
    )


def cancel(
    runtime: Runtime, caller: Caller, *, run_id: int, clicked: MessageRef | None = None
) -> str | None:
    """Drop the proposal; nothing was sent to anyone, and nothing will be."""
    caller = require_coordinator(runtime, caller, action=f"admin.{MatchIds.CANCEL}")
    with runtime.unit_of_work() as session:
        decision = cancel_run(
            session,
            run_id=run_id,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            now=caller.now,
        )
        _audit_decision(session, caller, "match.cancel", run_id, decision.changed)
    if not decision.changed:
        return _undecided_message(decision)
    _update_preview(
        runtime,
        f":x: <@{caller.user_id}> cancelled this preview; nothing was sent to anyone.",
        clicked,
        (decision.preview_channel, decision.preview_ts),
    )
    return None


def rerun(
    runtime: Runtime,
    caller: Caller,
    *,
    run_id: int,
    allow_trios: bool = False,
    allow_same_role: bool = False,
    clicked: MessageRef | None = None,
) -> str | None:
    """Match again (optionally with trios or same-role pairs); the new preview replaces this."""
    button = (
        MatchIds.RERUN_SAME_ROLE
        if allow_same_role
        else MatchIds.RERUN_TRIOS
        if allow_trios
        else MatchIds.RERUN
    )
    caller = require_coordinator(runtime, caller, action=f"admin.{button}")
    with runtime.unit_of_work() as session:
        state = run_state(session, run_id=run_id, workspace_id=caller.workspace_id)
    if state is None or state.status != MatchRunStatus.PROPOSED:
        return "This preview is no longer open; run `/mentor admin match` for a fresh one."
    channel = clicked[0] if clicked else state.preview_channel
    if channel is None:  # the preview is still being posted
        return "This preview is still being posted; try again in a moment."
    note = (
        f":arrows_counterclockwise: <@{caller.user_id}> re-ran the matching; "
        "the new preview is below."
    )
    _update_preview(runtime, note, clicked, (state.preview_channel, state.preview_ts))
    return _propose_and_post(
        runtime,
        caller,
        program_id=state.program_id,
        channel=channel,
        allow_trios=allow_trios,
        allow_same_role=allow_same_role,
    )
