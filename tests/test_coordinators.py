"""In-app coordinators (`/mentor admin coordinators add|remove|list`), the audit listing,
and the coordinators' section of the App Home with its buttons.

Here nobody is in TWOWAY_COORDINATORS: the first coordinator is appointed in the
database, so that removing the last one can be refused for real.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.clock import SettableClock
from bot.config import Settings
from bot.slack_emulator import SlackEmulator
from bot.views.home_coordinator import CoordinatorHomeIds
from models import AuditLog, Coordinator, MatchRun, Workspace
from models.enums import Cadence
from tests.conftest import ADMIN_CHANNEL, BOT_TOKEN, COORDINATOR, SIGNING_SECRET
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.slack_requests import TEAM_ID, SlackRequests

NEWCOMER = "U0SENIOR01"  # "sam" in the emulator
OUTSIDER = "U0JUNIOR01"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def settings(database_url: str, emulator: SlackEmulator) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database_url,
        TWOWAY_SCHEDULER="off",
        TWOWAY_COORDINATORS="",
        TWOWAY_ADMIN_CHANNEL=ADMIN_CHANNEL,
    )


@pytest.fixture
def appointed(app_server: AppServer) -> None:
    with app_server.runtime.unit_of_work() as session:
        session.add(
            Coordinator(workspace_id=app_server.runtime.workspace_id, slack_user_id=COORDINATOR)
        )


def _say(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    text: str,
    *,
    user: str = COORDINATOR,
    channel: str = ADMIN_CHANNEL,
) -> str:
    before = len(emulator.responses())
    slack.command(text, user=user, channel=channel)
    app_server.wait_idle()
    (answer,) = emulator.responses()[before:]
    return json.dumps(answer)


def _appointed(app_server: AppServer) -> set[str]:
    with app_server.runtime.unit_of_work() as session:
        return set(session.scalars(select(Coordinator.slack_user_id)))


def _audits(app_server: AppServer, action: str) -> list[str]:
    with app_server.runtime.unit_of_work() as session:
        return [
            outcome.value
            for outcome in session.scalars(
                select(AuditLog.outcome).where(AuditLog.action == action).order_by(AuditLog.id)
            )
        ]


@pytest.mark.usefixtures("appointed")
def test_add_list_remove_coordinators_with_refusals_and_audit(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    emulator.add_user("U0ROBOT001", name="robot", is_bot=True)
    emulator.add_user("U0GONE0001", name="gone", deleted=True)

    listed = _say(slack, emulator, app_server, "admin coordinators list")
    assert f"<@{COORDINATOR}> (added in twoway)" in listed

    # Refused to a participant in the admin channel and to a coordinator elsewhere.
    for user, channel, expected in (
        (OUTSIDER, ADMIN_CHANNEL, "for program coordinators"),
        (COORDINATOR, "C0GENERAL1", "admin channel"),
    ):
        answer = _say(
            slack,
            emulator,
            app_server,
            f"admin coordinators add <@{OUTSIDER}>",
            user=user,
            channel=channel,
        )
        assert expected in answer
    assert _appointed(app_server) == {COORDINATOR}
    assert _audits(app_server, "admin.coordinators.add") == ["denied", "denied"]

    answer = _say(slack, emulator, app_server, f"admin coordinators add <@{NEWCOMER}|sam>")
    assert "is now a coordinator" in answer
    assert _appointed(app_server) == {COORDINATOR, NEWCOMER}
    assert "a coordinator already" in _say(
        slack, emulator, app_server, "admin coordinators add @sam"
    )
    assert "is a bot" in _say(slack, emulator, app_server, "admin coordinators add <@U0ROBOT001>")
    assert "deactivated" in _say(slack, emulator, app_server, "admin coordinators add U0GONE0001")
    assert "couldn't find anyone" in _say(
        slack, emulator, app_server, "admin coordinators add @nobody"
    )
    assert "Name one person" in _say(
        slack, emulator, app_server, "admin coordinators add two words"
    )
    assert _appointed(app_server) == {COORDINATOR, NEWCOMER}

    # The newcomer can now coordinate.
    assert "No open program" in _say(slack, emulator, app_server, "admin status", user=NEWCOMER)
    listed = _say(slack, emulator, app_server, "admin coordinators list", user=NEWCOMER)
    assert f"<@{NEWCOMER}> (added in twoway, added by <@{COORDINATOR}>)" in listed

    assert "no longer a coordinator" in _say(
        slack, emulator, app_server, f"admin coordinators remove <@{NEWCOMER}>"
    )
    assert "nothing to remove" in _say(
        slack, emulator, app_server, f"admin coordinators remove <@{NEWCOMER}>"
    )
    assert "the last coordinator" in _say(
        slack, emulator, app_server, f"admin coordinators remove <@{COORDINATOR}>"
    )
    assert _appointed(app_server) == {COORDINATOR}
    assert "for program coordinators" in _say(
        slack, emulator, app_server, "admin status", user=NEWCOMER
    )

    assert _audits(app_server, "admin.coordinators.add") == [
        "denied",
        "denied",
        "ok",
        "ok",
        "denied",
        "denied",
    ]
    assert _audits(app_server, "admin.coordinators.remove") == ["ok", "denied", "denied"]

    # The audit listing: newest first, in the viewer's timezone, with outcomes.
    listing = _say(slack, emulator, app_server, "admin audit 5")
    assert "times in Europe/London" in listing
    assert "`admin.coordinators.remove` (user U0COORD001), refused" in listing
    assert listing.count("\\u2022") == 5  # five lines
    assert "from 1 to 100" in _say(slack, emulator, app_server, "admin audit lots")
    assert "for program coordinators" in _say(
        slack, emulator, app_server, "admin audit", user=OUTSIDER
    )
    assert _audits(app_server, "admin.audit")[-1] == "denied"


def _home_click(slack: SlackRequests, *, user: str, action_id: str, value: str) -> Any:
    """A button pressed on the App Home: no channel, a view container."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "twoway-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0TWOWAY01",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "V0HOME0001"},
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}",
        "view": {"id": "V0HOME0001", "type": "home", "callback_id": "twoway-home"},
        "actions": [
            {
                "action_id": action_id,
                "block_id": "home",
                "type": "button",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return slack.interaction(payload)


@pytest.mark.usefixtures("appointed")
def test_coordinator_home_section_fits_and_its_buttons_open_what_they_say(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(START + timedelta(days=24))
    program_id = make_program(runtime, name="Homey", starts_on=START.date(), cadence=Cadence.WEEKLY)
    for i in range(2):
        active_pair(
            runtime,
            emulator,
            program_id=program_id,
            junior=(f"U0KJ{i:06d}", "Europe/Berlin", 8, 18),
            senior=(f"U0KS{i:06d}", "Europe/Berlin", 8, 18),
            started_at=START,
        )
    with runtime.unit_of_work() as session:  # a preview waiting for a decision
        session.add(MatchRun(program_id=program_id, round=2, created_by=None))
    for n in range(50):  # more programs than a Home can show
        make_program(runtime, name=f"Extra {n}", starts_on=START.date())

    for user in (COORDINATOR, OUTSIDER):
        slack.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"})
    app_server.wait_idle()
    home = emulator.published_home(COORDINATOR)
    assert home is not None
    assert len(home["blocks"]) <= 100
    text = json.dumps(home, ensure_ascii=False)
    assert "Your programs, as coordinator" in text
    assert "0 on track · 0 at risk · 2 stalled" in text
    assert "more: `/mentor admin status`" in text
    assert f"1 match preview waiting for your decision in <#{ADMIN_CHANNEL}>" in text
    outsider_home = emulator.published_home(OUTSIDER)
    assert outsider_home is not None
    assert "as coordinator" not in json.dumps(outsider_home)

    opened = len(emulator.calls("views.open"))
    for action, expected in (
        (CoordinatorHomeIds.STATUS, "2 stalled (two or more)"),
        (CoordinatorHomeIds.REPORT, "Building the impact report for *Homey*"),
        (CoordinatorHomeIds.MATCH, "Matching *Homey*"),
        (CoordinatorHomeIds.ANNOUNCE, '"callback_id": "announce-modal"'),
    ):
        _home_click(slack, user=COORDINATOR, action_id=action, value=str(program_id))
        app_server.wait_idle()
        calls = emulator.calls("views.open")
        assert len(calls) == opened + 1, action
        opened += 1
        assert calls[-1].ok, calls[-1].response
        assert expected in json.dumps(calls[-1].json("view"), ensure_ascii=False), action
    # each did what its command does, with its result in the admin channel
    admin_posts = [
        json.dumps(c.args, ensure_ascii=False)
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args.get("channel") == ADMIN_CHANNEL
    ]
    assert any("Impact report: Homey" in post for post in admin_posts), admin_posts
    assert any("Rotation preview for Homey" in post for post in admin_posts), admin_posts
    assert _audits(app_server, "admin.report") == ["ok"]
    assert _audits(app_server, "match.preview") == ["ok"]
    _home_click(slack, user=OUTSIDER, action_id=CoordinatorHomeIds.STATUS, value=str(program_id))
    app_server.wait_idle()
    assert len(emulator.calls("views.open")) == opened  # nothing opens for a participant
    assert _audits(app_server, "home.coordinator.status") == ["ok", "denied"]
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Coordinator)) == 1


@pytest.mark.usefixtures("appointed")
def test_a_home_button_that_cannot_act_says_why_in_its_modal_and_posts_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Homeless", starts_on=START.date())
    with runtime.unit_of_work() as session:  # no admin channel chosen yet
        workspace = session.get(Workspace, runtime.workspace_id)
        assert workspace is not None
        workspace.admin_channel_id = None
    for action in (CoordinatorHomeIds.REPORT, CoordinatorHomeIds.MATCH):
        _home_click(slack, user=COORDINATOR, action_id=action, value=str(program_id))
        app_server.wait_idle()
        (shown,) = [c for c in emulator.calls("views.open") if c.ok][-1:]
        assert "admin channel" in json.dumps(shown.json("view")), action
    assert not [c for c in emulator.calls("chat.postMessage") if c.ok]
    assert _audits(app_server, "admin.report") == ["denied"]
