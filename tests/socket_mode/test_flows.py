"""The main flows end to end in Socket Mode, as the manifest installs the app by default.

The app connects with its app-level token through `apps.connections.open`; commands,
interactivity and events arrive as envelopes on the emulator's websocket and the answers
are read from the app's acks, its Web API calls and the database, on both backends.
"""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import select

from bot.slack_emulator import SlackEmulator
from bot.views.enrolment import LeaveIds
from bot.views.programs import ProgramIds as P
from models import Program
from models.enums import ParticipantStatus
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.enrolment_flows import (
    button_click,
    create_program,
    dms_to,
    enrol,
    participants,
    wait_responses,
)
from tests.support.factories import days_from_today
from tests.support.interactions import channel, option, picked_date, submit_view, text
from tests.support.socket_app import SocketApp, SocketSlack

JUNIOR = "U0JUNIOR01"
HOME_OPENED = {"type": "app_home_opened", "user": JUNIOR, "tab": "home"}


def _program_values(name: str, *, starts: str) -> dict[str, Any]:
    return {
        P.NAME: text(P.NAME, name),
        P.STARTS_ON: picked_date(P.STARTS_ON, starts),
        P.LENGTH: option(P.LENGTH, "26"),
        P.ROTATION: option(P.ROTATION, "13"),
        P.CADENCE: option(P.CADENCE, "weekly"),
        P.SESSION_MINUTES: option(P.SESSION_MINUTES, "45"),
        P.CELEBRATION: channel(P.CELEBRATION, "C0GENERAL1"),
        P.DEADLINE: picked_date(P.DEADLINE, None),
        P.LOOKBACK: option(P.LOOKBACK, "12"),
    }


def _help_text(answer_payload: dict[str, Any] | None) -> str:
    assert answer_payload is not None, "help is answered in the ack"
    return str(answer_payload.get("blocks") or answer_payload.get("text"))


def test_help_is_answered_in_the_ack_payload(
    socket_slack: SocketSlack, emulator: SlackEmulator, socket_app: SocketApp
) -> None:
    answer = socket_slack.command("help", user=JUNIOR)

    assert "join" in _help_text(answer.payload)
    assert "admin program" not in _help_text(answer.payload)  # not a coordinator
    (opened,) = emulator.calls("apps.connections.open")
    assert (opened.ok, opened.token) == (True, emulator.app_token)
    socket_app.wait_idle()
    assert emulator.responses("slash") == []  # nothing after the ack
    assert emulator.socket_mode.strays() == []


def test_coordinator_creates_a_program_through_the_modal(
    socket_slack: SocketSlack, emulator: SlackEmulator, socket_app: SocketApp
) -> None:
    opened = socket_slack.command("admin program create", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert opened.text == ""
    (call,) = emulator.wait_for("views.open")
    view, view_id = call.json("view"), call.response["view"]["id"]
    assert view["callback_id"] == P.CREATE_CALLBACK

    past = _program_values("", starts=days_from_today(-1).isoformat())
    refused = submit_view(socket_slack, user=COORDINATOR, view=view, view_id=view_id, values=past)
    assert refused.payload is not None
    assert refused.payload["response_action"] == "errors"
    assert set(refused.payload["errors"]) == {P.NAME, P.STARTS_ON}

    starts = days_from_today(7).isoformat()
    values = _program_values("Socket cohort", starts=starts)
    created = submit_view(socket_slack, user=COORDINATOR, view=view, view_id=view_id, values=values)
    assert created.payload is None  # an empty ack closes the modal
    socket_app.wait_idle()
    with socket_app.runtime.unit_of_work() as session:
        (program,) = session.scalars(select(Program))
        assert (program.name, program.starts_on.isoformat()) == ("Socket cohort", starts)
    (notice,) = emulator.calls("chat.postMessage")
    assert notice.args["channel"] == ADMIN_CHANNEL
    assert "Socket cohort" in str(notice.json("blocks"))


def test_joining_confirms_by_dm_and_the_leave_button_works(
    socket_slack: SocketSlack, emulator: SlackEmulator, socket_app: SocketApp
) -> None:
    runtime = socket_app.runtime
    create_program(runtime, "Spring cohort")
    enrol(socket_slack, emulator, user=JUNIOR)  # modal opened, submitted, DM awaited
    socket_app.wait_idle()
    (confirmation,) = dms_to(emulator, JUNIOR)
    assert "Spring cohort" in confirmation
    (joined,) = participants(runtime, JUNIOR)
    assert joined.status == ParticipantStatus.ACTIVE

    socket_slack.command("leave", user=JUNIOR)
    (prompt,) = wait_responses(emulator, 1)
    actions = next(b for b in prompt["blocks"] if b["type"] == "actions")
    confirm = actions["elements"][0]
    assert confirm["action_id"] == LeaveIds.CONFIRM
    url = emulator.response_url("leave")
    click = button_click(
        user=JUNIOR, action_id=LeaveIds.CONFIRM, value=confirm["value"], response_url=url
    )
    assert socket_slack.interaction(click).payload is None
    socket_app.wait_idle()
    (done,) = emulator.responses("leave")
    assert "You've left *Spring cohort*" in done["text"]
    (left,) = participants(runtime, JUNIOR)
    assert left.status == ParticipantStatus.LEFT


def test_app_home_opened_publishes_the_home_tab(
    socket_slack: SocketSlack, emulator: SlackEmulator, socket_app: SocketApp
) -> None:
    create_program(socket_app.runtime, "Open cohort")
    answer = socket_slack.event(HOME_OPENED)
    assert answer.payload is None
    socket_app.wait_idle()
    (published,) = emulator.calls("views.publish")
    assert published.args["user_id"] == JUNIOR
    assert "*Open cohort*" in str(published.json("view")["blocks"])


def test_a_retried_event_envelope_is_handled_once(
    socket_slack: SocketSlack, emulator: SlackEmulator, socket_app: SocketApp
) -> None:
    first = socket_slack.event(HOME_OPENED, event_id="EvSOCKET0001")
    socket_app.wait_idle()
    with structlog.testing.capture_logs() as logs:
        retried = socket_slack.event(HOME_OPENED, event_id="EvSOCKET0001", retry_num=1)
        socket_app.wait_idle()

    (request,) = [e for e in logs if e["event"] == "slack.request"]
    assert request["retry_num"] == "1"  # Bolt mirrors the envelope's retry_attempt
    assert [e["event_id"] for e in logs if e["event"] == "slack.event.duplicate"] == [
        "EvSOCKET0001"
    ]

    assert (first.payload, retried.payload) == (None, None)  # both acked, so Slack stops
    assert len(emulator.calls("views.publish")) == 1

    socket_slack.event(HOME_OPENED, event_id="EvSOCKET0002")  # a new event is not a retry
    socket_app.wait_idle()
    assert len(emulator.calls("views.publish")) == 2


def test_after_a_disconnect_the_app_reconnects_and_still_answers(
    socket_slack: SocketSlack, emulator: SlackEmulator, socket_app: SocketApp
) -> None:
    socket = emulator.socket_mode
    socket.disconnect()  # Slack's warning before it recycles a connection
    socket.wait_for_connections(2)
    socket.wait_open_connections(1)  # the app closed the old socket itself

    answer = socket_slack.command("help", user=JUNIOR)
    assert "join" in _help_text(answer.payload)
    assert answer.ack.connection == 2
    opened = emulator.calls("apps.connections.open")
    assert [(c.ok, c.token) for c in opened] == [(True, emulator.app_token)] * 2
