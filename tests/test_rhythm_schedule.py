"""Three months of simulated time: every pair gets its nudge and agenda once per period,
at a moment inside both people's working hours (across the 2026 DST changes)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from models import Delivery
from models.enums import Cadence, DeliveryStatus
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.simulation import simulate

START = datetime(2026, 2, 23, 8, 0, tzinfo=UTC)  # a Monday, before the US and EU DST changes
END = datetime(2026, 5, 25, 8, 0, tzinfo=UTC)
PLANNING_BEAT = timedelta(hours=6)  # planners run this often, and at every due instant
HEARTBEAT = timedelta(minutes=1)  # what production's scheduler does

PAIRS = {
    "berlin-newyork": (
        ("U0JBERLIN1", "Europe/Berlin", 9, 17),
        ("U0SNEWYORK", "America/New_York", 9, 17),
    ),
    "tokyo-london": (("U0JTOKYO01", "Asia/Tokyo", 9, 17), ("U0SLONDON1", "Europe/London", 9, 17)),
    "saopaulo-berlin": (
        ("U0JSAOPAUL", "America/Sao_Paulo", 8, 16),
        ("U0SBERLIN2", "Europe/Berlin", 10, 18),
    ),
}


def _inside(moment: datetime, person: tuple[str, str, int, int], minutes: int = 0) -> bool:
    _, timezone, start, end = person
    local = moment.astimezone(ZoneInfo(timezone))
    finish = local + timedelta(minutes=minutes)
    return (
        local.weekday() < 5
        and time(start) <= local.time()
        and finish.time() <= time(end)
        and finish.date() == local.date()
    )


@pytest.fixture
def simulated(app_server: AppServer, emulator: SlackEmulator) -> dict[str, tuple[int, str]]:
    runtime = app_server.runtime
    program_id = make_program(
        runtime,
        name="Rhythm",
        starts_on=date(2026, 2, 23),
        cadence=Cadence.WEEKLY,
        rotation_weeks=26,
        session_minutes=30,
    )
    pairs = {
        name: active_pair(
            runtime, emulator, program_id=program_id, junior=j, senior=s, started_at=START
        )
        for name, (j, s) in PAIRS.items()
    }
    simulate(runtime, START, END, every=PLANNING_BEAT)
    return pairs


def _rows(app_server: AppServer, pair_id: int, kind: str) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(
            session.scalars(
                select(Delivery)
                .where(Delivery.pair_id == pair_id, Delivery.kind == kind)
                .order_by(Delivery.period)
            )
        )


def test_each_pair_gets_one_nudge_and_one_agenda_per_week_at_sensible_local_times(
    simulated: dict[str, tuple[int, str]], app_server: AppServer, emulator: SlackEmulator
) -> None:
    posts_by_channel: dict[str, Counter[str]] = defaultdict(Counter)
    for call in emulator.calls("chat.postMessage"):
        if call.http_status == 200:
            posts_by_channel[call.args["channel"]][call.args["text"].split(" (")[0]] += 1
    for name, (pair_id, channel) in simulated.items():
        junior, senior = PAIRS[name]
        nudges = [
            r
            for r in _rows(app_server, pair_id, "session_nudge")
            if r.status == DeliveryStatus.SENT
        ]
        agendas = [
            r for r in _rows(app_server, pair_id, "agenda") if r.status == DeliveryStatus.SENT
        ]
        due = [r for r in _rows(app_server, pair_id, "session_nudge") if r.due_at <= END]
        assert [r.id for r in nudges] == [r.id for r in due], name  # all that came due was sent
        weeks = len(nudges)
        assert weeks in (13, 14), name  # one per weekly period over three months...
        assert [r.period for r in nudges] == [f"p{i:04d}" for i in range(weeks)]  # ...none skipped
        assert len(agendas) in (weeks - 1, weeks), name
        # every period's nudge and agenda went out exactly once into the pair's DM
        assert posts_by_channel[channel]["Time for your next reverse-mentoring session"] == len(
            nudges
        )
        assert posts_by_channel[channel]["Your 30-minute agenda"] == len(agendas)
        for row in nudges:
            assert row.sent_at is not None
            assert timedelta(0) <= row.sent_at - row.due_at < HEARTBEAT
            if row.payload["fits_everyone"]:
                assert _inside(row.due_at, junior), (name, row.period, row.due_at)
                assert _inside(row.due_at, senior), (name, row.period, row.due_at)
        signatures = [r.payload["signature"] for r in agendas]
        assert all(a != b for a, b in pairwise(signatures)), name
    # Tokyo 9-17 and London 9-17 never overlap: the fairest slot, and the message says so
    tokyo = _rows(app_server, simulated["tokyo-london"][0], "session_nudge")
    assert not any(r.payload["fits_everyone"] for r in tokyo)
    tokyo_texts = [
        c
        for c in emulator.calls("chat.postMessage")
        if c.args["channel"] == simulated["tokyo-london"][1]
        and "Time for your next" in c.args["text"]
    ]
    assert "hours don't overlap" in str(tokyo_texts[0].json("blocks"))
    # the pairs that do overlap always got their nudge inside both windows, DST weeks included
    berlin = _rows(app_server, simulated["berlin-newyork"][0], "session_nudge")
    assert all(r.payload["fits_everyone"] for r in berlin)

    # The same instants again, as a restarted or a second scheduler would run them.
    before = len(emulator.calls("chat.postMessage"))
    now = START
    while now <= END:  # the same instants again, as a restarted or second scheduler would
        run_tick(app_server.runtime, now)
        now += timedelta(hours=7)
    run_tick(app_server.runtime, START)  # and a clock jumping backwards
    assert len(emulator.calls("chat.postMessage")) == before
