"""Matching as the coordinator drives it: preview in the admin channel, then confirm or not.

The preview (and, for a long one, its CSV) is an outbox row planned with the round it
shows, then sent at once: if Slack fails, the scheduler posts it later, once. Editing
the preview a coordinator clicked is the answer to that click, so it stays direct.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import NotFound
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.outbox.engine import send_due, send_now
from bot.runtime import Runtime
from bot.services.match_previews import (
    planned_csv_id,
    program_to_match,
    propose_preview,
    run_state,
)
from bot.services.match_runs import Decision, cancel_run, confirm_run
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
    )


def _propose_and_post(
    runtime: Runtime,
    caller: Caller,
    *,
    program_id: int,
    channel: str,
    allow_trios: bool = False,
    allow_same_role: bool = False,
) -> str | None:
    """Store the proposal with its preview planned, then send the preview and its CSV."""
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
    sent = send_now(runtime, [preview_id] if preview_id else []).sent
    with runtime.unit_of_work() as session:
        csv_id = planned_csv_id(session, run_id=run_id)  # planned when the preview was sent
    if csv_id is not None:
        send_now(runtime, [csv_id])
    log.info("match.previewed", run_id=run_id, delivery_id=preview_id, posted=bool(sent))
    return None if sent else NOT_POSTED_YET


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
    channel, ts = clicked or posted
    if channel and ts:
        runtime.gateway.update_message(channel=channel, ts=ts, **build_decision(text))


def confirm(
    runtime: Runtime, caller: Caller, *, run_id: int, clicked: MessageRef | None = None
) -> str | None:
    """Start the pairs and send their intros with progress; a message when nothing changed."""
    caller = require_coordinator(runtime, caller, action=f"admin.{MatchIds.CONFIRM}")
    now = caller.now
    with runtime.unit_of_work() as session:
        decision = confirm_run(
            session,
            run_id=run_id,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            now=now,
        )
    if not decision.changed:
        return _undecided_message(decision)
    posted = (decision.preview_channel, decision.preview_ts)
    total = len(decision.started_pair_ids)
    head = (
        f":white_check_mark: <@{caller.user_id}> confirmed round {decision.round} of "
        f"*{decision.program_name}*: {total} pairs."
    )
    _update_preview(runtime, f"{head}\nIntroducing the pairs… 0/{total}", clicked, posted)

    def progress(done: int, of: int) -> None:
        if done % PROGRESS_EVERY == 0 and done < of:
            text = f"{head}\nIntroducing the pairs… {done}/{of}"
            _update_preview(runtime, text, clicked, posted)

    sent = send_due(
        runtime,
        now,
        kinds=["pair_intro", "pair_farewell"],
        limit=max(1000, 2 * total + len(decision.ended_pair_ids)),
        progress=progress,
    )
    # Pairs Slack could not reach were paused just now: tell the coordinators at once.
    send_due(runtime, now, kinds=["admin_pair_paused"])
    ended = (
        f" {len(decision.ended_pair_ids)} pairs of the last round were thanked."
        if decision.ended_pair_ids
        else ""
    )
    _update_preview(runtime, f"{head}\nDone: {sent} messages sent.{ended}", clicked, posted)
    log.info("match.confirmed", run_id=run_id, pairs=total, sent=sent)
    return None


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
