"""`/mentor admin announce`: the modal, the preview, Send / Edit / Cancel, the delivery
report, `/mentor admin announcements`, and the tick step that sends scheduled copies.

Send plans one deliveries row per recipient in one transaction (only the first click
does: the draft moves on atomically), then the outbox sends them, paced, each once,
whatever the number of workers. The preview message becomes the report, edited in place
as copies go; a coordinator's click is answered by editing the message they clicked.
"""

from __future__ import annotations

import time as monotonic
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.errors import NotFound
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.messages.announcements import preview_of, report_of, summary_of, tally_of
from bot.outbox.engine import send_batch, send_now, worker_for
from bot.runtime import Runtime
from bot.services.announcements import (
    COPIES,
    Draft,
    cancel,
    counts,
    draft_of,
    load,
    open_announcement_ids,
    open_programs,
    recent,
    save_draft,
    settle,
    start,
)
from bot.slack.errors import SlackError
from bot.views.announcement_reports import build_list
from bot.views.announcements import Form, build_announce_modal
from models.announcement import AnnouncementStatus

log = get_logger("twoway.announcements")
BATCH = 200
REPORT_EVERY_S = 3.0  # the report is edited at most this often while copies go
ALREADY = {
    AnnouncementStatus.SCHEDULED: "This announcement is already scheduled; the report shows it.",
    AnnouncementStatus.SENDING: "This announcement is already being sent; the report shows how far.",
    AnnouncementStatus.DONE: "This announcement was already sent; nothing changed.",
    AnnouncementStatus.CANCELLED: "This announcement was cancelled; nothing changed.",
}


def open_announce_modal(
    runtime: Runtime, caller: Caller, *, program_name: str | None, trigger_id: str
) -> None:
    """`/mentor admin announce [program]`: the modal (the program preselected if named)."""
    caller = require_coordinator(runtime, caller, action="admin.announce")
    with runtime.unit_of_work() as session:
        programs = open_programs(session, workspace_id=caller.workspace_id)
    if not programs:
        raise NotFound("There is no open program to announce to yet.")
    chosen = None
    if program_name:
        wanted = program_name.strip().lower()
        chosen = next((pid for pid, name in programs if name.lower() == wanted), None)
        if chosen is None:
            raise NotFound(f"There is no open program called “{program_name[:80]}”.")
    runtime.gateway.open_view(
        trigger_id=trigger_id, view=build_announce_modal(programs, program_id=chosen)
    )


def _as_draft(form: Form) -> Draft:
    return Draft(
        form.program_id,
        form.audience,
        form.targets,
        form.text,
        form.link_label,
        form.link_url,
        form.send_mode,
        form.send_on,
        form.send_time,
        form.send_at,
    )


def submit_announcement(
    runtime: Runtime,
    caller: Caller,
    *,
    form: Form,
    announcement_id: int | None,
    accept: Callable[[], None],
) -> dict[str, str] | None:
    """Save the draft and show its preview; field errors (program) instead when refused.

    The modal was opened in the admin channel, so the check runs as from there.
    """
    caller = require_coordinator(
        runtime, replace(caller, channel_id=caller.admin_channel_id), action="admin.announce"
    )
    with runtime.unit_of_work() as session:
        if form.program_id not in dict(open_programs(session, workspace_id=caller.workspace_id)):
            return {"announce-program": "That program is closed or gone; choose another."}
        saved_id, preview_row = save_draft(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            draft=_as_draft(form),
            now=caller.now,
            announcement_id=announcement_id,
        )
    accept()
    if preview_row is not None:
        send_now(runtime, [preview_row])
    else:  # an edit: the preview the coordinator saw is redrawn in place
        with runtime.unit_of_work() as session:
            announcement = load(session, announcement_id=saved_id, workspace_id=caller.workspace_id)
            message = preview_of(session, announcement, caller.now)
            where = (announcement.preview_channel, announcement.preview_ts)
        _edit(runtime, where, message)
    log.info("announcement.previewed", announcement_id=saved_id, edited=announcement_id is not None)
    return None


def edit_announcement(
    runtime: Runtime, caller: Caller, *, announcement_id: int, trigger_id: str
) -> str | None:
    """Edit: the modal again, filled with the draft; a note when it has gone already."""
    caller = require_coordinator(runtime, caller, action="admin.announce.edit")
    with runtime.unit_of_work() as session:
        announcement = load(
            session, announcement_id=announcement_id, workspace_id=caller.workspace_id
        )
        if announcement.status != AnnouncementStatus.DRAFT:
            return ALREADY[announcement.status]
        draft = draft_of(announcement)
        programs = open_programs(session, workspace_id=caller.workspace_id)
    form = Form(**draft.__dict__)
    view = build_announce_modal(
        programs, program_id=draft.program_id, draft=form, announcement_id=announcement_id
    )
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)
    return None


def _edit(runtime: Runtime, where: tuple[str | None, str | None], message: dict[str, Any]) -> None:
    channel, ts = where
    if not (channel and ts):
        return
    try:
        runtime.gateway.update_message(channel=channel, ts=ts, **message)
    except SlackError as error:  # the copies go on; the next refresh tries again
        log.warning("announcement.report_not_updated", code=error.code)


def refresh_report(runtime: Runtime, announcement_id: int, now: datetime) -> AnnouncementStatus:
    """Settle the announcement and edit its report in place; its status after."""
    with runtime.unit_of_work() as session:
        status = settle(session, announcement_id=announcement_id, now=now)
        announcement = load(
            session,
            announcement_id=announcement_id,
            workspace_id=runtime.require_workspace(),
        )
        message = report_of(session, announcement)
        where = (announcement.preview_channel, announcement.preview_ts)
    _edit(runtime, where, message)
    return status


def deliver(
    runtime: Runtime,
    now: datetime,
    *,
    kinds: tuple[str, ...],
    worker: str,
    on_progress: Callable[[], None] | None = None,
) -> int:
    """Send every due copy of these kinds, batch by batch; how many were sent."""
    sent = 0
    last = [monotonic.monotonic()]

    def progress(done: int, of: int) -> None:
        if on_progress is not None and monotonic.monotonic() - last[0] >= REPORT_EVERY_S:
            last[0] = monotonic.monotonic()
            on_progress()

    while True:
        report = send_batch(
            runtime,
            now,
            kinds=kinds,
            limit=BATCH,
            worker=worker,
            take_over=worker,
            progress=progress,
        )
        sent += report.sent
        if report.claimed == 0:
            return sent


def send_announcement(runtime: Runtime, caller: Caller, *, announcement_id: int) -> str | None:
    """Send: plan the copies once, send what is due now, keep the report current."""
    caller = require_coordinator(runtime, caller, action="admin.announce.send")
    with runtime.unit_of_work() as session:
        started = start(
            session,
            announcement_id=announcement_id,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            now=caller.now,
        )
    if not started.changed:
        return ALREADY.get(started.status)
    log.info(
        "announcement.started",
        announcement_id=announcement_id,
        recipients=started.recipients,
        status=started.status.value,
    )
    refresh_report(runtime, announcement_id, caller.now)
    if started.due_now:
        deliver(
            runtime,
            caller.now,
            kinds=COPIES,
            worker=worker_for(f"announce-{announcement_id}"),
            on_progress=lambda: refresh_report(runtime, announcement_id, caller.now),
        )
        refresh_report(runtime, announcement_id, caller.now)
    return None


def cancel_announcement(runtime: Runtime, caller: Caller, *, announcement_id: int) -> str | None:
    """Cancel a draft, or what has not gone yet of a scheduled one; the report says what went."""
    caller = require_coordinator(runtime, caller, action="admin.announce.cancel")
    with runtime.unit_of_work() as session:
        cancelled = cancel(
            session,
            announcement_id=announcement_id,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            now=caller.now,
        )
    refresh_report(runtime, announcement_id, caller.now)
    if cancelled.before in (AnnouncementStatus.DONE, AnnouncementStatus.CANCELLED):
        return ALREADY[cancelled.before]
    log.info("announcement.cancelled", announcement_id=announcement_id, stopped=cancelled.stopped)
    if cancelled.sent:
        return (
            f"Cancelled: {cancelled.stopped} copies will not go; {cancelled.sent} had already "
            "been sent (the report lists them)."
        )
    return None


def list_announcements(runtime: Runtime, caller: Caller) -> str:
    """`/mentor admin announcements`: recent ones with their state and counts."""
    caller = require_coordinator(runtime, caller, action="admin.announcements")
    with runtime.unit_of_work() as session:
        rows = [
            (summary_of(session, announcement), tally_of(session, announcement))
            for announcement in recent(session, workspace_id=caller.workspace_id)
        ]
    return build_list(rows)


_reported: dict[tuple[int, int], tuple[object, ...]] = {}  # (runtime, id) -> last report


def send_scheduled(runtime: Runtime, now: datetime) -> int:
    """Tick step: send the copies that came due, then edit each open report whose counts
    changed since this process last drew it (not every minute for one due next week)."""
    with runtime.unit_of_work() as session:
        open_ids = open_announcement_ids(session)
    if not open_ids:
        return 0
    sent = deliver(runtime, now, kinds=COPIES, worker=worker_for("announcements"))
    for announcement_id in open_ids:
        with runtime.unit_of_work() as session:
            tally = counts(session, announcement_id=announcement_id)
        signature = (
            tally.sent,
            tally.pending,
            tally.uncertain,
            tally.cancelled,
            tuple(sorted(tally.skipped.items())),
            tuple(sorted(tally.failed.items())),
        )
        key = (id(runtime), announcement_id)
        if _reported.get(key) != signature or tally.pending == 0:
            refresh_report(runtime, announcement_id, now)
            _reported[key] = signature
    return sent
