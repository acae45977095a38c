"""A worker killed while chat.postMessage is in flight: after the lease, its kind's policy
decides. No Slack API makes a post idempotent, so such a row is *uncertain*: a kind where a
rare duplicate is harmless is sent again (and counted), a kind that must never go twice is
reported and left alone.

The worker is a real process (tests/support/outbox_worker.py) SIGKILLed while the Slack
emulator holds its call; the emulator then carries the call out, as Slack would for a
request it had received.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.outbox.engine import at_most_once_kinds, send_batch
from bot.registry import Feature, Features
from bot.runtime import Runtime
from bot.services.deliveries import LEASE, UNCERTAIN_REASON, plan_now
from bot.slack.gateway import SlackGateway, build_web_client
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from models import Delivery
from models.enums import DeliveryStatus
from tests.conftest import BOT_TOKEN
from tests.support.app_server import FAST_RETRIES, AppServer
from tests.support.cli import TWOWAY, run_cli
from tests.support.outbox_worker import kill_when, render_note, start_worker

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOTES = "C0NOTES002"
RESEND = "t_resend"  # a test kind with the default policy: sent again when uncertain
ONCE = "feedback"  # declared at-most-once by the check-ins feature
RENDERERS = {RESEND: render_note, ONCE: render_note}
AFTER_LEASE = NOW + LEASE + timedelta(seconds=1)


@pytest.fixture
def runtime(app_server: AppServer, emulator: SlackEmulator) -> Runtime:
    emulator.add_channel(NOTES, name="notes", members=[emulator.bot_user_id])
    runtime = app_server.runtime
    test_feature = Feature(name="outbox-resend-test", renderers={RESEND: render_note})
    runtime.features = Features([*runtime.features.all, test_feature])
    return runtime


def _plan(runtime: Runtime, kind: str) -> int:
    with runtime.unit_of_work() as session:
        delivery_id = plan_now(
            session,
            workspace_id=runtime.workspace_id or 0,
            kind=kind,
            key=f"test:{kind}",
            now=NOW,
            payload={"channel": NOTES},
        )
    assert delivery_id is not None
    return delivery_id


def _row(runtime: Runtime, delivery_id: int) -> Delivery:
    with runtime.unit_of_work() as session:
        row = session.get(Delivery, delivery_id)
        assert row is not None
        session.expunge(row)
        return row


def _posts(emulator: SlackEmulator) -> list[RecordedCall]:
    return [c for c in emulator.calls("chat.postMessage") if c.ok and c.args["channel"] == NOTES]


def _kill_mid_post(
    runtime: Runtime, emulator: SlackEmulator, database_url: str, kind: str, delivery_id: int
) -> None:
    """A worker process sends the row and is SIGKILLed while Slack holds its post."""
    emulator.delay("chat.postMessage", 60)
    worker = start_worker(
        database_url=database_url,
        api_url=emulator.api_url,
        token=BOT_TOKEN,
        now=NOW,
        kinds=[kind],
        ids=[delivery_id],
    )
    kill_when(worker, lambda: emulator.held("chat.postMessage") == 1)
    emulator.release_delayed()
    emulator.wait_for("chat.postMessage", 1)  # Slack took the message: the worker never knew
    assert len(_posts(emulator)) == 1


def test_a_resend_kind_cut_mid_call_is_sent_again_once_after_the_lease(
    runtime: Runtime, emulator: SlackEmulator, database_url: str
) -> None:
    delivery_id = _plan(runtime, RESEND)
    _kill_mid_post(runtime, emulator, database_url, RESEND, delivery_id)
    assert _row(runtime, delivery_id).status == DeliveryStatus.SENDING  # the attempt is on record

    early = send_batch(runtime, NOW + timedelta(minutes=1), RENDERERS)
    assert (early.claimed, len(_posts(emulator))) == (0, 1)  # the lease still holds it

    report = send_batch(runtime, AFTER_LEASE, RENDERERS)
    assert (report.sent, report.resent, report.uncertain) == (1, 1, 0)
    assert len(_posts(emulator)) == 2  # the one duplicate this kind's policy allows, counted
    row = _row(runtime, delivery_id)
    assert row.status == DeliveryStatus.SENT
    assert (row.last_error or "").startswith("uncertain: ")  # the operator can see it

    again = send_batch(runtime, AFTER_LEASE + LEASE, RENDERERS)
    assert (again.claimed, len(_posts(emulator))) == (0, 2)


def test_an_at_most_once_kind_cut_mid_call_is_reported_and_never_sent_again(
    runtime: Runtime,
    emulator: SlackEmulator,
    database_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert ONCE in at_most_once_kinds(runtime.features)  # as the check-ins feature declares
    caplog.set_level(logging.INFO)
    delivery_id = _plan(runtime, ONCE)
    _kill_mid_post(runtime, emulator, database_url, ONCE, delivery_id)

    report = send_batch(runtime, AFTER_LEASE, RENDERERS)
    assert (report.sent, report.resent, report.uncertain) == (0, 0, 1)
    row = _row(runtime, delivery_id)
    assert (row.status, row.last_error) == (DeliveryStatus.UNCERTAIN, UNCERTAIN_REASON)
    assert UNCERTAIN_REASON == "uncertain: may or may not have reached Slack"
    assert any(
        "delivery.uncertain" in r.getMessage() and str(delivery_id) in r.getMessage()
        for r in caplog.records
    )

    for later in (AFTER_LEASE + LEASE, AFTER_LEASE + timedelta(days=3)):
        assert send_batch(runtime, later, RENDERERS).claimed == 0
    assert len(_posts(emulator)) == 1  # never twice

    listed = run_cli(
        [*TWOWAY, "deliveries", "--status", "uncertain"], tmp_path, DATABASE_URL=database_url
    )
    assert listed.returncode == 0, listed.stderr
    assert f"test:{ONCE}" in listed.stdout
    assert UNCERTAIN_REASON in listed.stdout


def test_a_row_whose_lease_ran_out_before_any_attempt_is_simply_sent(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    """Claimed, then the worker died before calling Slack: nothing is uncertain, even for
    a kind that must never go twice."""
    from bot.services.deliveries import claim_due

    delivery_id = _plan(runtime, ONCE)
    with runtime.unit_of_work() as session:
        assert claim_due(session, now=NOW, worker="dead-before-calling", limit=5) == [delivery_id]
    report = send_batch(runtime, AFTER_LEASE, RENDERERS)
    assert (report.sent, report.resent, report.uncertain) == (1, 0, 0)
    assert len(_posts(emulator)) == 1
    with runtime.unit_of_work() as session:
        assert session.scalar(select(Delivery.last_error).where(Delivery.id == delivery_id)) is None


def test_a_call_whose_answer_never_came_follows_the_same_policy(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    """The worker lives but Slack's answer times out: the post may have been made."""
    once, resend = _plan(runtime, ONCE), _plan(runtime, RESEND)
    runtime.gateway = SlackGateway(
        build_web_client(token=BOT_TOKEN, base_url=emulator.api_url, retry=FAST_RETRIES, timeout=1)
    )
    emulator.delay("chat.postMessage", 30, times=2)
    report = send_batch(runtime, NOW, RENDERERS)
    emulator.release_delayed()
    emulator.wait_for("chat.postMessage", 2)  # Slack made both posts after all
    assert (report.sent, report.uncertain, report.retried) == (0, 1, 1)
    row = _row(runtime, once)
    assert row.status == DeliveryStatus.UNCERTAIN
    assert (row.last_error or "").startswith(UNCERTAIN_REASON)

    later = send_batch(runtime, NOW + timedelta(hours=1), RENDERERS)
    assert (later.claimed, later.sent) == (1, 1)  # the re-send kind only: a counted duplicate
    assert _row(runtime, resend).status == DeliveryStatus.SENT
    assert len(_posts(emulator)) == 3
