"""The Home tab shows where a person stands: programs, partners, programs open to join."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.slack_emulator import SlackEmulator
from tests.support.app_server import AppServer
from tests.support.factories import make_program
from tests.support.flows import JUNIOR, SENIOR, matched_pair
from tests.support.slack_requests import SlackRequests


def test_home_shows_partner_and_open_programs(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    matched_pair(slack, emulator, app_server)
    make_program(app_server.runtime, name="Next cohort")
    slack.event({"type": "app_home_opened", "user": JUNIOR, "tab": "home"})
    (call,) = emulator.wait_for("views.publish")
    view = call.json("view")
    View(**view).validate_json()
    rendered = str(view["blocks"])
    assert "*Pair program* — junior, active" in rendered
    assert f"<@{SENIOR}> in *Pair program*, round 1" in rendered
    assert "*Next cohort*" in rendered
