"""The outbox sends each row at most once, whatever the workers, crashes and Slack errors."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from bot.outbox.engine import send_due
from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext
from bot.runtime import Runtime
from bot.services.deliveries import LEASE, MAX_ATTEMPTS, claim_due, plan_delivery
from bot.slack.pacing import Pacer, Pacing
from bot.slack_emulator import SlackEmulator
from models import Delivery, Pair, Workspace
from models.enums import DeliveryStatus, PairStatus, WorkspaceStatus
from tests.conftest import ADMIN_CHANNEL
from tests.support.app_server import AppServer
from tests.support.flows import matched_pair
from tests.support.slack_requests import SlackRequests

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def render_note(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return Post(text=f"note {delivery.period}", blocks=[], channel=delivery.payload["channel"])


RENDERERS = {"note": render_note}


def _plan_notes(
    runtime: Runtime, emulator: SlackEmulator, count: int, *, channels: int = 1
) -> list[str]:
    names = [
        emulator.add_channel(name=f"notes-{i}", members=[emulator.bot_user_id])
        for i in range(channels)
    ]
    with runtime.unit_of_work() as session:
        for index in range(count):
            plan_delivery(
                session,
                workspace_id=runtime.workspace_id or 0,
                kind="note",
                period=f"n{index:04d}",
                due_at=NOW,
                program_id=0,
                payload={"channel": names[index % channels]},
            )
    return names


def _statuses(runtime: Runtime) -> Counter[str]:
    with runtime.unit_of_work() as session:
        return Counter(d.status.value for d in session.scalars(select(Delivery)))


def _sent_texts(emulator: SlackEmulator) -> Counter[str]:
    return Counter(
        c.args["text"]
        for c in emulator.calls("chat.postMessage")
        if c.http_status == 200 and c.args.get("text", "").startswith("note")
    )


@pytest.fixture
def runtime(app_server: AppServer) -> Runtime:
    app_server.runtime.pacing = Pacing(
        channel_interval=0.0, workspace_per_second=1000, workspace_burst=1000
    )
    return app_server.runtime


def test_planning_twice_keeps_one_row(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        first = plan_delivery(
            session,
            workspace_id=runtime.workspace_id or 0,
            kind="note",
            period="p1",
            due_at=NOW,
            program_id=1,
        )
        again = plan_delivery(
            session,
            workspace_id=runtime.workspace_id or 0,
            kind="note",
            period="p1",
            due_at=NOW,
            program_id=1,
        )
    assert (first, again) == (True, False)
    assert sum(_statuses(runtime).values()) == 1


def test_ticks_run_twice_send_once(runtime: Runtime, emulator: SlackEmulator) -> None:
    _plan_notes(runtime, emulator, 5)
    assert send_due(runtime, NOW - timedelta(minutes=1), RENDERERS) == 0  # not due yet
    assert send_due(runtime, NOW, RENDERERS) == 5
    assert send_due(runtime, NOW, RENDERERS) == 0
    assert send_due(runtime, NOW + timedelta(days=3), RENDERERS) == 0  # a clock jump
    assert set(_sent_texts(emulator).values()) == {1}
    assert _statuses(runtime) == Counter({"sent": 5})


def test_two_workers_side_by_side_send_each_row_once(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    _plan_notes(runtime, emulator, 60, channels=60)
    totals: list[int] = []

    def worker(name: str) -> None:
        while sent := send_due(runtime, NOW, RENDERERS, limit=7, worker=name):
            totals.append(sent)

    threads = [threading.Thread(target=worker, args=(f"worker-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = _sent_texts(emulator)
    assert len(sent) == 60
    assert set(sent.values()) == {1}  # no duplicates, none lost
    assert sum(totals) == 60


def test_a_worker_killed_after_claiming_is_taken_over_after_its_lease(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    _plan_notes(runtime, emulator, 3)
    with runtime.unit_of_work() as session:
        claimed = claim_due(session, now=NOW, worker="dead-worker", limit=10)
    assert len(claimed) == 3  # ...and then the process dies
    assert send_due(runtime, NOW + timedelta(minutes=1), RENDERERS) == 0  # still leased
    assert send_due(runtime, NOW + LEASE + timedelta(seconds=1), RENDERERS) == 3
    assert set(_sent_texts(emulator).values()) == {1}


def test_rate_limit_storm_is_waited_out(runtime: Runtime, emulator: SlackEmulator) -> None:
    _plan_notes(runtime, emulator, 3)
    emulator.rate_limit("chat.postMessage", retry_after=1, times=2)
    assert send_due(runtime, NOW, RENDERERS) == 3
    assert _statuses(runtime) == Counter({"sent": 3})
    assert [c.http_status for c in emulator.calls("chat.postMessage")][:3] == [429, 429, 200]


def test_server_errors_are_retried_later_then_fail_with_the_reason(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    _plan_notes(runtime, emulator, 1)
    emulator.server_error("chat.postMessage", status=503, times=1000)
    now = NOW
    for _ in range(MAX_ATTEMPTS):
        send_due(runtime, now, RENDERERS)
        now += timedelta(hours=2)
    with runtime.unit_of_work() as session:
        (row,) = session.scalars(select(Delivery))
    assert row.status == DeliveryStatus.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error == "chat.postMessage: service_unavailable"


def test_permanent_error_pauses_the_pair_and_tells_coordinators_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, runtime: Runtime
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    with runtime.unit_of_work() as session:
        pair_id = session.scalar(select(Pair.id))
        for period in ("a", "b", "c"):
            plan_delivery(
                session,
                workspace_id=runtime.workspace_id or 0,
                kind="note",
                period=period,
                due_at=NOW,
                pair_id=pair_id,
                payload={"channel": dm},
            )
    emulator.archive_channel(dm)
    emulator.clear_calls()
    from bot.messages.pairs import PAIR_RENDERERS

    renderers = {**RENDERERS, **PAIR_RENDERERS}
    send_due(runtime, NOW, renderers)
    send_due(runtime, NOW + timedelta(minutes=5), renderers)
    with runtime.unit_of_work() as session:
        pair = session.get(Pair, pair_id)
        rows = Counter(
            d.status.value for d in session.scalars(select(Delivery).where(Delivery.kind == "note"))
        )
    assert pair.status == PairStatus.PAUSED
    assert "is_archived" in (pair.status_reason or "")
    assert rows == Counter({"failed": 1, "cancelled": 2})
    alerts = [c for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]
    assert len(alerts) == 1
    assert "paused the pair" in alerts[0].args["text"]


def test_revoked_token_stops_the_workspace(runtime: Runtime, emulator: SlackEmulator) -> None:
    _plan_notes(runtime, emulator, 4)
    emulator.revoke_token()
    assert send_due(runtime, NOW, RENDERERS) == 0
    with runtime.unit_of_work() as session:
        workspace = session.get(Workspace, runtime.workspace_id)
    assert workspace.status == WorkspaceStatus.INACTIVE
    assert _statuses(runtime) == Counter({"failed": 1, "planned": 3})
    before = len(emulator.calls())
    assert send_due(runtime, NOW + timedelta(hours=1), RENDERERS) == 0
    assert len(emulator.calls()) == before  # nothing is even tried for a stopped workspace


def _paced_sends(
    pacer_of: Callable[..., Pacer], channels: list[str], workers: int = 1
) -> list[tuple[float, str]]:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    pacer = pacer_of(clock=lambda: clock[0], sleep=sleep, workers=workers)
    sent = []
    for channel in channels:
        pacer.wait(channel)
        sent.append((clock[0], channel))
    return sent


def test_pacer_stays_under_the_channel_and_workspace_limits() -> None:
    pacing = Pacing(channel_interval=1.0, workspace_per_second=10.0, workspace_burst=10.0)
    channels = [f"C{i % 7}" for i in range(200)]
    sent = _paced_sends(lambda **kw: Pacer(pacing, **kw), channels)
    for channel in set(channels):  # at most one message per second per channel
        times = [t for t, c in sent if c == channel]
        assert min(b - a for a, b in pairwise(times)) >= 1.0
    for start, _ in sent:  # never more than the rate allows in any one-second window
        in_window = sum(1 for t, _ in sent if start <= t < start + 1.0)
        assert in_window <= pacing.workspace_per_second + pacing.workspace_burst
    span = sent[-1][0] - sent[0][0]
    assert span >= (len(sent) - pacing.workspace_burst) / pacing.workspace_per_second


def test_two_workers_each_take_half_the_workspace_rate() -> None:
    pacing = Pacing(channel_interval=0.0, workspace_per_second=10.0, workspace_burst=2.0)
    alone = _paced_sends(lambda **kw: Pacer(pacing, **kw), [f"C{i}" for i in range(100)])
    shared = _paced_sends(
        lambda **kw: Pacer(pacing, **kw), [f"C{i}" for i in range(100)], workers=2
    )
    assert shared[-1][0] == pytest.approx(2 * alone[-1][0], rel=0.05)


def test_a_deactivated_user_pauses_the_pair_at_its_introduction(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    from tests.support.factories import enrol_cohort, make_program
    from tests.support.flows import match_and_confirm, wait_until

    runtime = app_server.runtime
    program_id = make_program(runtime, name="Gone")
    people = enrol_cohort(runtime, emulator, program_id=program_id, seniors=1, juniors=1)
    emulator.deactivate_user(people["junior"][0])
    match_and_confirm(slack, emulator)
    wait_until(
        lambda: any(
            "paused the pair" in c.args.get("text", "") for c in emulator.calls("chat.postMessage")
        )
    )
    with runtime.unit_of_work() as session:
        pair = session.scalar(select(Pair))
        intro = session.scalar(select(Delivery).where(Delivery.kind == "pair_intro"))
    assert pair.status == PairStatus.PAUSED
    assert intro.status == DeliveryStatus.FAILED
    assert intro.last_error == "conversations.open: user_disabled"
    from bot.scheduler.tick import run_tick

    run_tick(runtime, datetime.now(UTC) + timedelta(days=20))  # later passes: still told only once
    alerts = [
        c for c in emulator.calls("chat.postMessage") if "paused the pair" in c.args.get("text", "")
    ]
    assert len(alerts) == 1
