"""A workspace's sending stops when Slack says the app is gone, and starts again when the
token works again, sending only what is still worth sending after the outage."""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.flows.workspace import STILL_WORTH_SENDING, TOKEN_CHECK_EVERY
from bot.runtime import bootstrap_workspace
from bot.scheduler.tick import run_tick
from bot.services.deliveries import plan_delivery
from bot.slack_emulator import SlackEmulator
from handlers import discover_features
from models import Delivery, Workspace
from models.enums import Cadence, DeliveryStatus, WorkspaceStatus
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.slack_requests import SlackRequests

START = datetime(2026, 2, 23, 8, 0, tzinfo=UTC)  # a Monday
PAIRS = (
    (("U0JBERLIN1", "Europe/Berlin", 9, 17), ("U0SNEWYORK", "America/New_York", 9, 17)),
    (("U0JTOKYO01", "Asia/Tokyo", 9, 17), ("U0SLONDON1", "Europe/London", 9, 17)),
    (("U0JSAOPAUL", "America/Sao_Paulo", 8, 16), ("U0SBERLIN2", "Europe/Berlin", 10, 18)),
)


def _pairs(app_server: AppServer, emulator: SlackEmulator, count: int = 3) -> list[int]:
    runtime = app_server.runtime
    program_id = make_program(
        runtime,
        name="Lifecycle",
        starts_on=START.date(),
        cadence=Cadence.WEEKLY,
        rotation_weeks=26,
        session_minutes=30,
    )
    return [
        active_pair(runtime, emulator, program_id=program_id, junior=j, senior=s, started_at=START)[
            0
        ]
        for j, s in PAIRS[:count]
    ]


def _workspace(app_server: AppServer) -> tuple[WorkspaceStatus, str | None]:
    with app_server.runtime.unit_of_work() as session:
        workspace = session.get(Workspace, app_server.runtime.workspace_id)
        assert workspace is not None
        return workspace.status, workspace.inactive_reason


def _rows(app_server: AppServer) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def _posts(emulator: SlackEmulator) -> int:
    return len([c for c in emulator.calls("chat.postMessage") if c.ok])


def _log_lines(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, object]]:
    lines = []
    for record in caplog.records:
        try:
            line = json.loads(record.getMessage())
        except ValueError:
            continue
        if isinstance(line, dict) and line.get("event") == event:
            lines.append(line)
    return lines


def _stop_by_a_token_error(app_server: AppServer, emulator: SlackEmulator) -> datetime:
    """Revoke the token; the first nudge the scheduler sends stops the workspace."""
    _pairs(app_server, emulator, count=1)
    emulator.revoke_token()
    now = START + timedelta(days=1)  # the first nudge is due on the pair's first working day
    run_tick(app_server.runtime, now)
    assert _workspace(app_server) == (WorkspaceStatus.INACTIVE, "chat.postMessage: token_revoked")
    return now


# -- Slack says the app is gone ----------------------------------------------------------


def test_app_uninstalled_stops_the_workspace_and_tells_the_operator(
    app_server: AppServer,
    emulator: SlackEmulator,
    slack: SlackRequests,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    _pairs(app_server, emulator, count=1)
    run_tick(app_server.runtime, START)  # plans the pair's nudges and agendas
    planned = len(_rows(app_server))
    assert planned == 4

    response = slack.event({"type": "app_uninstalled"}, event_id="Ev0UNINST01")
    app_server.wait_idle()
    assert response.status_code == 200
    assert _workspace(app_server) == (WorkspaceStatus.INACTIVE, "app_uninstalled")
    stopped = _log_lines(caplog, "workspace.stopped")
    assert stopped == [
        {
            "event": "workspace.stopped",
            "team_id": emulator.team_id,
            "workspace_id": app_server.runtime.workspace_id,
            "reason": "app_uninstalled",
            "event_id": "Ev0UNINST01",
            "level": "warning",
        }
    ]

    # Slack retries the event: acknowledged, nothing happens twice
    retried = slack.event({"type": "app_uninstalled"}, event_id="Ev0UNINST01", retry_num=1)
    app_server.wait_idle()
    assert retried.status_code == 200
    assert len(_log_lines(caplog, "workspace.stopped")) == 1

    # nothing is sent any more, and no one polls Slack for an app that was removed
    emulator.clear_calls()
    run_tick(app_server.runtime, START + timedelta(days=1))  # the first nudge is due
    assert emulator.calls("chat.postMessage") == []
    assert emulator.calls("auth.test") == []
    assert [r.status for r in _rows(app_server)] == [DeliveryStatus.PLANNED] * planned


def test_tokens_revoked_stops_the_workspace_only_for_the_bot_token(
    app_server: AppServer, emulator: SlackEmulator, slack: SlackRequests
) -> None:
    # a person's user token revoked: the bot's own token still works, nothing stops
    people_only = slack.event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0JUNIOR01"], "bot": []}}
    )
    garbled = slack.event({"type": "tokens_revoked", "tokens": "everything"})
    another_bot = slack.event(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0OTHERBOT"]}}
    )
    app_server.wait_idle()
    assert [r.status_code for r in (people_only, garbled, another_bot)] == [200, 200, 200]
    assert _workspace(app_server) == (WorkspaceStatus.ACTIVE, None)

    bot = slack.event(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [emulator.bot_user_id]}}
    )
    app_server.wait_idle()
    assert bot.status_code == 200
    assert _workspace(app_server) == (WorkspaceStatus.INACTIVE, "tokens_revoked")


# -- the token works again ----------------------------------------------------------------


def test_start_up_reactivates_a_workspace_stopped_by_a_token_error(
    app_server: AppServer, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    _stop_by_a_token_error(app_server, emulator)
    emulator.restore_token()
    bootstrap_workspace(app_server.runtime)  # a restart with a token Slack accepts
    assert _workspace(app_server) == (WorkspaceStatus.ACTIVE, None)
    [line] = _log_lines(caplog, "workspace.reactivated")
    assert line["was"] == "chat.postMessage: token_revoked"
    assert line["checked_by"] == "start-up"


def test_the_scheduler_checks_the_token_at_most_every_few_minutes_and_reactivates(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    runtime = app_server.runtime
    stopped_at = _stop_by_a_token_error(app_server, emulator)
    emulator.clear_calls()

    checks = [stopped_at + timedelta(minutes=m) for m in (1, 2, 10, 16, 20)]
    for now in checks:
        run_tick(runtime, now)
    # one check at once, the next only TOKEN_CHECK_EVERY later; each refused
    assert timedelta(minutes=15) == TOKEN_CHECK_EVERY
    assert len(emulator.calls("auth.test")) == 2
    assert emulator.calls("chat.postMessage") == []
    assert _workspace(app_server)[0] == WorkspaceStatus.INACTIVE

    emulator.restore_token()
    run_tick(runtime, stopped_at + timedelta(minutes=25))  # too soon after the last check
    assert len(emulator.calls("auth.test")) == 2
    run_tick(runtime, stopped_at + timedelta(minutes=31))
    assert len(emulator.calls("auth.test")) == 3
    assert _workspace(app_server) == (WorkspaceStatus.ACTIVE, None)
    # the refused nudge stays failed; the agenda goes out when due, with no more checks
    run_tick(runtime, stopped_at + timedelta(hours=8))
    sent = [r.kind for r in _rows(app_server) if r.status == DeliveryStatus.SENT]
    assert sent == ["agenda"]
    assert len(emulator.calls("auth.test")) == 3


# -- after the outage: only what is still worth sending --------------------------------------


def test_every_message_kind_has_a_lateness_decision() -> None:
    assert set(STILL_WORTH_SENDING) == set(discover_features().renderers())


def test_a_workspace_stopped_for_32_days_sends_only_what_is_still_meaningful(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    runtime = app_server.runtime
    pair_ids = _pairs(app_server, emulator)
    now = START
    while now < START + timedelta(days=6):  # a normal first week: nudges and agendas go out
        run_tick(runtime, now)
        now += timedelta(hours=6)
    first_week = _posts(emulator)
    assert first_week == 6

    emulator.revoke_token()
    with runtime.unit_of_work() as session:  # a coordinator alert waiting when it happened
        plan_delivery(
            session,
            workspace_id=runtime.workspace_id or 0,
            kind="admin_pair_paused",
            period="outage",
            due_at=now + timedelta(days=1),
            pair_id=pair_ids[0],
            payload={"reason": "chat.postMessage: is_archived"},
        )
    stopped_at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday: a nudge is refused
    back = stopped_at + timedelta(days=32)  # a Friday, five weeks of nudges later
    checks_before = len(emulator.calls("auth.test"))
    while now < back:  # the heartbeat, daily here
        run_tick(runtime, now)
        now += timedelta(days=1)
    assert _workspace(app_server) == (WorkspaceStatus.INACTIVE, "chat.postMessage: token_revoked")
    assert _posts(emulator) == first_week
    # one refused check per daily tick after the stop (03-03 .. 04-02)
    assert len(emulator.calls("auth.test")) - checks_before == 31

    emulator.restore_token()
    report = run_tick(runtime, back)
    assert _workspace(app_server) == (WorkspaceStatus.ACTIVE, None)
    rows = _rows(app_server)
    # waiting since before the outage: the coordinators' alert is still worth sending, the
    # nudges and agendas of five weeks ago are not (next week's were never planned)
    cancelled = [r for r in rows if r.status == DeliveryStatus.CANCELLED]
    assert Counter((r.kind, r.period) for r in cancelled) == {
        ("session_nudge", "p0001"): 2,
        ("agenda", "p0001"): 3,
        ("session_nudge", "p0002"): 3,
        ("agenda", "p0002"): 3,
    }
    assert {r.last_error for r in cancelled} == {
        "too late: a session_nudge is worth sending only within 4 days of its time",
        "too late: an agenda is worth sending only within 3 days of its time",
    }
    # sent now: that alert; this week's nudge and agenda (the week is not over), planned
    # afresh; and a note and an alert per pair that has not met for five weeks (true)
    sent_now = Counter((r.kind, r.period) for r in rows if r.sent_at == back)
    assert sent_now == {
        ("admin_pair_paused", "outage"): 1,
        ("session_nudge", "p0005"): 3,
        ("agenda", "p0005"): 3,
        ("stall_note", "since-p0000"): 3,
        ("admin_stall_alert", "since-p0000"): 3,  # told in one digest message:
        ("admin_stall_digest", f"{back:%Y%m%dT%H%M%S}-1"): 1,
    }
    assert report.counts["too_late"] == 0  # everything old was dropped while waiting
    assert report.counts["deliveries"] == _posts(emulator) - first_week == 11
    # next week goes out at its own time
    planned = Counter((r.kind, r.period) for r in rows if r.status == DeliveryStatus.PLANNED)
    assert planned == {("session_nudge", "p0006"): 3, ("agenda", "p0006"): 3}
    later = back
    while later < back + timedelta(days=5):
        later += timedelta(hours=6)
        run_tick(runtime, later)
    assert _posts(emulator) == first_week + 11 + 6
