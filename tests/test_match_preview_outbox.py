"""The match preview and its CSV go through the outbox: sent at once, or later by the
scheduler when Slack failed, and each exactly once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.matching import MatchIds
from models import Delivery, MatchRun
from models.enums import DeliveryStatus
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import enrol_cohort, make_program
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests


def _previews(emulator: SlackEmulator) -> list[RecordedCall]:
    return [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == ADMIN_CHANNEL and "Match preview" in c.args["text"]
    ]


def _csv_files(emulator: SlackEmulator) -> list[dict]:
    return [f for f in emulator.uploaded_files() if f["name"].startswith("match-preview-round-")]


def _index(emulator: SlackEmulator, call: RecordedCall) -> int:
    return next(i for i, c in enumerate(emulator.calls()) if c is call)


def _confirm_value(preview: RecordedCall) -> str:
    return next(
        e["value"]
        for b in preview.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == MatchIds.CONFIRM
    )


def test_a_long_preview_is_followed_by_its_csv_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Big")
    enrol_cohort(runtime, emulator, program_id=program_id, seniors=21, juniors=21)

    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()

    (preview,) = _previews(emulator)
    assert "…and 1 more pairs" in str(preview.json("blocks"))
    (csv,) = _csv_files(emulator)
    assert csv["content"].decode().count("\n") == 1 + 21  # the header and every pair
    assert ADMIN_CHANNEL in csv["channels"]
    uploads = [c for c in emulator.calls() if c.method.startswith("files.")]
    assert uploads
    assert all(_index(emulator, preview) < _index(emulator, c) for c in uploads)
    with runtime.unit_of_work() as session:
        run = session.scalars(select(MatchRun)).one()
        assert (run.preview_channel, run.preview_ts) == (ADMIN_CHANNEL, preview.response["ts"])

    run_tick(runtime, runtime.clock.now() + timedelta(minutes=10))  # nothing left to send
    assert len(_previews(emulator)) == 1
    assert len(_csv_files(emulator)) == 1


def test_the_preview_reaches_the_admin_channel_after_slack_failed_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Flaky")
    enrol_cohort(runtime, emulator, program_id=program_id, seniors=21, juniors=21)
    emulator.fail("chat.postMessage", "internal_error")  # not retried by the gateway

    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()

    (refused,) = emulator.calls("chat.postMessage")
    assert not refused.ok
    assert _previews(emulator) == []
    assert _csv_files(emulator) == []  # the file never comes before its preview
    answers = [r.get("text", "") for r in emulator.responses()]
    assert sum("Matching *Flaky*" in a for a in answers) == 1
    assert sum("Slack did not take the preview" in a for a in answers) == 1
    with runtime.unit_of_work() as session:
        (row,) = session.scalars(select(Delivery).where(Delivery.kind == "match_preview"))
        assert row.status == DeliveryStatus.PLANNED
        assert row.last_error == "chat.postMessage: internal_error"

    later = runtime.clock.now() + timedelta(minutes=5)
    run_tick(runtime, later)
    (preview,) = _previews(emulator)
    (csv,) = _csv_files(emulator)
    assert csv["content"].decode().count("\n") == 1 + 21
    assert _index(emulator, preview) < min(
        _index(emulator, c) for c in emulator.calls() if c.method.startswith("files.")
    )
    run_tick(runtime, later + timedelta(minutes=30))
    assert len(_previews(emulator)) == 1
    assert len(_csv_files(emulator)) == 1

    # The late preview works like any other: Confirm edits it and introduces the pairs.
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=_confirm_value(preview),
        message_ts=preview.response["ts"],
    )
    app_server.wait_idle()
    intros = [
        c for c in emulator.calls("chat.postMessage") if "Set my goals" in str(c.args.get("blocks"))
    ]
    assert len(intros) == 21
    done = [c for c in emulator.calls("chat.update") if "Done:" in str(c.args.get("blocks"))]
    assert len(done) == 1
    assert done[0].args["ts"] == preview.response["ts"]
