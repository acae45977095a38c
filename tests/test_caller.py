"""The caller is resolved once per request from the database, on the runtime's clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import SettableClock, local_date, today_for
from bot.errors import NotAllowed
from bot.flows.access import require_coordinator, resolve_caller
from bot.services.members import ensure_member
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer

# 11:30 UTC on 31 Dec is already 1 Jan in Auckland (UTC+13 in summer).
INSTANT = datetime(2026, 12, 31, 11, 30, tzinfo=UTC)


def test_today_is_the_persons_local_date() -> None:
    assert local_date(INSTANT, "Pacific/Auckland") == date(2027, 1, 1)
    assert local_date(INSTANT, "America/New_York") == date(2026, 12, 31)
    assert local_date(INSTANT, "Not/AZone") == date(2026, 12, 31)  # unknown → UTC
    assert today_for(SettableClock(INSTANT), None) == date(2026, 12, 31)


def test_settable_clock_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SettableClock(datetime(2026, 1, 1))


def test_caller_carries_timezone_today_and_coordinator_flag(app_server: AppServer) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(INSTANT)
    with runtime.unit_of_work() as session:
        member = ensure_member(
            session, workspace_id=runtime.require_workspace(), user_id="U0KIWI0001"
        )
        member.timezone = "Pacific/Auckland"
    caller = resolve_caller(runtime, user_id="U0KIWI0001", channel_id="C0GENERAL1")
    assert caller.now == INSTANT
    assert caller.today == date(2027, 1, 1)
    assert (caller.is_coordinator, caller.in_admin_channel, caller.known) == (False, False, True)
    assert caller.profile_fresh is False  # never synced from Slack

    coordinator = resolve_caller(runtime, user_id=COORDINATOR, channel_id=ADMIN_CHANNEL)
    assert (coordinator.is_coordinator, coordinator.in_admin_channel) == (True, True)
    assert coordinator.known is False
    assert coordinator.timezone == "UTC"


def test_coordinator_check_refreshes_a_stale_profile_and_refuses_others(
    app_server: AppServer,
) -> None:
    runtime = app_server.runtime
    coordinator = resolve_caller(runtime, user_id=COORDINATOR, channel_id=ADMIN_CHANNEL)
    allowed = require_coordinator(runtime, coordinator, action="admin.test")
    assert allowed.profile_fresh is True  # users.info ran once, after the request's ack
    assert allowed.timezone == "Europe/London"  # from the emulator's profile
    outsider = resolve_caller(runtime, user_id="U0JUNIOR01", channel_id=ADMIN_CHANNEL)
    with pytest.raises(NotAllowed, match="coordinators"):
        require_coordinator(runtime, outsider, action="admin.test")
    elsewhere = resolve_caller(runtime, user_id=COORDINATOR, channel_id="C0GENERAL1")
    with pytest.raises(NotAllowed, match="admin channel"):
        require_coordinator(runtime, elsewhere, action="admin.test")


def test_resolving_a_caller_never_waits_for_a_writer(
    app_server: AppServer, database_url: str
) -> None:
    """Every request reads its caller before the ack: that read must not queue behind a
    long write (a tick planning a thousand pairs). On SQLite a unit of work that writes
    takes the write lock up front; the caller's read takes none."""
    import sqlite3

    runtime = app_server.runtime
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers never wait for writers (MVCC)")
    writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        caller = resolve_caller(runtime, user_id=COORDINATOR, channel_id=ADMIN_CHANNEL)
        assert caller.is_coordinator
        assert caller.admin_channel_id == ADMIN_CHANNEL
    finally:
        writer.execute("ROLLBACK")
        writer.close()
