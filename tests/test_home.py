"""The Home tab shows where a person stands: programs, partners, programs open to join."""

from __future__ import annotations

from datetime import UTC, date, datetime

from slack_sdk.models.views import View

from bot.clock import SettableClock
from bot.slack_emulator import SlackEmulator
from models.enums import ProgramStatus, Role
from tests.support.app_server import AppServer
from tests.support.factories import enrol, make_program
from tests.support.flows import JUNIOR, SENIOR, matched_pair
from tests.support.slack_requests import SlackRequests


def test_home_shows_partner_and_open_programs(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    matched_pair(slack, emulator, app_server)
    make_program(app_server.runtime, name="Next cohort")
    slack.event({"type": "app_home_opened", "user": JUNIOR, "tab": "home"})
    app_server.wait_idle()
    (call,) = emulator.calls("views.publish")
    assert call.args["user_id"] == JUNIOR
    view = call.json("view")
    View(**view).validate_json()
    rendered = str(view["blocks"])
    assert "*Pair program* — junior, active" in rendered
    assert f"<@{SENIOR}> in *Pair program*, round 1" in rendered
    assert "*Next cohort*" in rendered


def test_open_to_join_follows_each_persons_own_date(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    """At 23:30 UTC on the 10th it is the 11th in Berlin, and still the 10th in New York."""
    runtime = app_server.runtime
    runtime.clock = SettableClock(datetime(2030, 1, 10, 23, 30, tzinfo=UTC))
    closed = make_program(runtime, name="Past cohort", status=ProgramStatus.CLOSED)
    for user_id, timezone in ((JUNIOR, "Europe/Berlin"), (SENIOR, "America/New_York")):
        enrol(
            runtime,
            emulator,
            program_id=closed,
            user_id=user_id,
            role=Role.JUNIOR,
            department="IT",
            can_share=[],
            wants_to_learn=[],
            timezone=timezone,
        )
    make_program(runtime, name="Closing cohort", enrolment_deadline=date(2030, 1, 10))

    slack.event({"type": "app_home_opened", "user": JUNIOR, "tab": "home"})
    slack.event({"type": "app_home_opened", "user": SENIOR, "tab": "home"})
    app_server.wait_idle()

    assert len(emulator.calls("views.publish")) == 2
    berlin, new_york = emulator.published_home(JUNIOR), emulator.published_home(SENIOR)
    assert berlin is not None
    assert new_york is not None
    assert "Closing cohort" not in str(berlin["blocks"])  # its deadline passed there
    assert "*Closing cohort*" in str(new_york["blocks"])


def test_the_messages_tab_publishes_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    response = slack.event({"type": "app_home_opened", "user": JUNIOR, "tab": "messages"})
    assert response.status_code == 200
    app_server.wait_idle()
    assert emulator.calls("views.publish") == []
