"""The database goes away in the middle of a scheduler tick, while Slack holds a post.

Refused (the database stops taking connections) or hung (it stops answering), the tick
gives up within a bounded time with the database error, which the heartbeat logs before
its next beat. Once the database is back, nothing planned is lost: the rows the tick never
reached are sent by the next one, and the row whose post was in flight is settled by its
kind's policy after the lease (sent again and counted, or reported and never sent twice).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from bot.clock import SystemClock
from bot.config import Settings
from bot.db import make_engine, make_session_factory, unit_of_work
from bot.registry import Feature, Features
from bot.runtime import Runtime
from bot.scheduler.tick import run_tick
from bot.services.deliveries import LEASE, plan_now
from bot.slack_emulator import SlackEmulator
from models import Delivery
from models.enums import DeliveryStatus
from tests.support.app_server import AppServer
from tests.support.databases import PostgresDatabases
from tests.support.db_cut import database_cut
from tests.support.outbox_worker import render_note
from tests.test_database_timeouts import Outage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOTES = "C0NOTES003"
RESEND = "t_resend"  # a test kind with the default policy: sent again when uncertain
ONCE = "t_once"  # a test kind declared at-most-once: reported when uncertain, never re-sent
GIVE_UP_WITHIN = 10.0  # seconds: the bounds of bot/db.py, with room for a busy machine


def _with_test_kind(runtime: Runtime, emulator: SlackEmulator) -> Runtime:
    emulator.add_channel(NOTES, name="notes", members=[emulator.bot_user_id])
    runtime.features = Features(
        [
            *runtime.features.all,
            Feature(
                name="tick-fault-test",
                renderers={RESEND: render_note, ONCE: render_note},
                at_most_once=frozenset({ONCE}),
            ),
        ]
    )
    return runtime


def _plan(runtime: Runtime, kinds: list[str]) -> list[int]:
    ids = []
    with runtime.unit_of_work() as session:
        for number, kind in enumerate(kinds):
            delivery_id = plan_now(
                session,
                workspace_id=runtime.workspace_id or 0,
                kind=kind,
                key=f"tick-fault:{number}:{kind}",
                now=NOW,
                payload={"channel": NOTES},
            )
            assert delivery_id is not None
            ids.append(delivery_id)
    return ids


def _tick_in_background(runtime: Runtime) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            run_tick(runtime, NOW)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    return thread, errors


def _posts(emulator: SlackEmulator) -> list[str]:
    return [
        c.args["text"]
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == NOTES
    ]


def _statuses(database_url: str, ids: list[int]) -> list[DeliveryStatus]:
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine, clock=SystemClock())) as session:
            rows = {r.id: r.status for r in session.scalars(select(Delivery))}
        return [rows[i] for i in ids]
    finally:
        engine.dispose()


def _cut_while_second_post_is_held(
    runtime: Runtime, emulator: SlackEmulator, cut: Callable[[], object]
) -> list[BaseException]:
    """Run a tick; while Slack holds its second post, take the database away, then let the
    post through. Returns what the tick raised."""
    emulator.delay("chat.postMessage", 60, after=1)
    thread, errors = _tick_in_background(runtime)
    for _ in range(500):
        if emulator.held("chat.postMessage") == 1:
            break
        threading.Event().wait(0.01)
    assert emulator.held("chat.postMessage") == 1
    cut()
    emulator.release_delayed()
    thread.join(GIVE_UP_WITHIN)
    assert not thread.is_alive(), "the tick kept waiting on a database that went away"
    return errors


@pytest.fixture
def admin_engine(postgres_databases: PostgresDatabases | None) -> Engine | None:
    return postgres_databases.admin if postgres_databases else None


@pytest.mark.parametrize("interrupted", [RESEND, ONCE])
def test_a_database_refused_mid_tick_loses_nothing_and_duplicates_only_by_policy(
    interrupted: str,
    app_server: AppServer,
    emulator: SlackEmulator,
    database_url: str,
    admin_engine: Engine | None,
) -> None:
    runtime = _with_test_kind(app_server.runtime, emulator)
    ids = _plan(runtime, [RESEND, interrupted, RESEND])
    with ExitStack() as outage:
        errors = _cut_while_second_post_is_held(
            runtime,
            emulator,
            lambda: outage.enter_context(database_cut(database_url, admin_engine, runtime.engine)),
        )
    assert [type(e) for e in errors] == [OperationalError]
    emulator.wait_for("chat.postMessage", 2)
    assert len(_posts(emulator)) == 2  # the first row, and the held one Slack carried out
    assert _statuses(database_url, ids)[:2] == [DeliveryStatus.SENT, DeliveryStatus.SENDING]

    run_tick(runtime, NOW + timedelta(minutes=1))  # the database is back
    after_lease = NOW + LEASE + timedelta(minutes=2)
    run_tick(runtime, after_lease)
    run_tick(runtime, after_lease + LEASE)  # and later beats change nothing more

    statuses = _statuses(database_url, ids)
    assert statuses[0] == statuses[2] == DeliveryStatus.SENT  # nothing lost
    if interrupted == RESEND:
        assert statuses[1] == DeliveryStatus.SENT
        assert len(_posts(emulator)) == 4  # one duplicate, the one this kind allows
    else:
        assert statuses[1] == DeliveryStatus.UNCERTAIN  # reported, never sent twice
        assert len(_posts(emulator)) == 3


def test_a_database_hung_mid_tick_is_given_up_in_bounded_time(
    settings: Settings, emulator: SlackEmulator, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("a file cannot hang; the refused case covers SQLite")
    outage = Outage(settings)
    try:
        runtime = _with_test_kind(outage.server.runtime, emulator)
        ids = _plan(runtime, [RESEND, RESEND, RESEND])
        errors = _cut_while_second_post_is_held(runtime, emulator, outage.begin)
        assert [type(e) for e in errors] == [OperationalError]
    finally:
        outage.close()
    # Read past the silenced proxy: the attempt is on record, the rest waits, nothing is lost.
    assert _statuses(database_url, ids)[:2] == [DeliveryStatus.SENT, DeliveryStatus.SENDING]
    assert _statuses(database_url, ids)[2] in (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED)
