"""Coordinators create and manage programs from the admin channel; others are refused."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import SettableClock
from bot.messages.programs import PROGRAM_CREATED
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.programs import ProgramIds as P
from models import AuditLog, Delivery, Program
from models.enums import AuditOutcome, DeliveryStatus, ProgramStatus
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import days_from_today, make_program
from tests.support.interactions import channel, click, option, picked_date, submit_view, text
from tests.support.slack_requests import SlackRequests


def _program_values(
    name: str, *, starts: str, length: str = "26", rotation: str = "13", deadline: str | None = None
) -> dict:
    return {
        P.NAME: text(P.NAME, name),
        P.STARTS_ON: picked_date(P.STARTS_ON, starts),
        P.LENGTH: option(P.LENGTH, length),
        P.ROTATION: option(P.ROTATION, rotation),
        P.CADENCE: option(P.CADENCE, "weekly"),
        P.SESSION_MINUTES: option(P.SESSION_MINUTES, "45"),
        P.CELEBRATION: channel(P.CELEBRATION, "C0GENERAL1"),
        P.DEADLINE: picked_date(P.DEADLINE, deadline),
        P.LOOKBACK: option(P.LOOKBACK, "12"),
    }


def _open_create_modal(slack: SlackRequests, emulator: SlackEmulator) -> tuple[dict, str]:
    assert (
        slack.command("admin program create", user=COORDINATOR, channel=ADMIN_CHANNEL).status_code
        == 200
    )
    (call,) = emulator.wait_for("views.open")
    return call.json("view"), call.response["view"]["id"]


def _programs(app_server: AppServer) -> list[Program]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(Program)))


def _notices(app_server: AppServer) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(Delivery).where(Delivery.kind == PROGRAM_CREATED)))


def _posts_to_admin_channel(emulator: SlackEmulator) -> list[bool]:
    """Whether each chat.postMessage to the admin channel succeeded, in order."""
    return [c.ok for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]


def test_coordinator_creates_a_program_through_the_modal(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    view, view_id = _open_create_modal(slack, emulator)
    assert view["callback_id"] == P.CREATE_CALLBACK
    starts = days_from_today(7).isoformat()
    response = submit_view(
        slack,
        user=COORDINATOR,
        view=view,
        view_id=view_id,
        values=_program_values(
            "Spring 2027", starts=starts, deadline=days_from_today(5).isoformat()
        ),
    )
    assert response.status_code == 200
    assert response.text == ""  # closes the modal
    (program,) = _programs(app_server)
    assert (
        program.name,
        program.cadence.value,
        program.session_minutes,
        program.rotation_weeks,
    ) == ("Spring 2027", "weekly", 45, 13)
    assert program.celebration_channel_id == "C0GENERAL1"
    assert program.repeat_lookback_months == 12
    assert program.starts_on.isoformat() == starts
    app_server.wait_idle()
    (posted,) = emulator.calls("chat.postMessage")
    assert posted.args["channel"] == ADMIN_CHANNEL
    assert "Spring 2027" in str(posted.json("blocks"))
    (notice,) = _notices(app_server)
    assert notice.status == DeliveryStatus.SENT
    assert notice.payload == {"program_id": program.id, "created_by": COORDINATOR}


def test_the_program_created_notice_is_delivered_once_after_slack_failed(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    start = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
    runtime.clock = SettableClock(start)
    view, view_id = _open_create_modal(slack, emulator)
    emulator.fail("chat.postMessage", "internal_error")
    values = _program_values("Outage cohort", starts=(start.date() + timedelta(days=7)).isoformat())

    response = submit_view(slack, user=COORDINATOR, view=view, view_id=view_id, values=values)
    assert (response.status_code, response.text) == (200, "")
    app_server.wait_idle()

    assert [p.name for p in _programs(app_server)] == ["Outage cohort"]  # the program stands
    assert _posts_to_admin_channel(emulator) == [False]
    (planned,) = _notices(app_server)
    assert (planned.status, planned.attempts) == (DeliveryStatus.PLANNED, 1)

    run_tick(runtime, start + timedelta(minutes=1))  # backing off: not due yet
    assert _posts_to_admin_channel(emulator) == [False]
    run_tick(runtime, start + timedelta(minutes=3))
    assert _posts_to_admin_channel(emulator) == [False, True]
    assert "Outage cohort" in str(emulator.calls("chat.postMessage")[-1].json("blocks"))
    run_tick(runtime, start + timedelta(hours=2))
    assert _posts_to_admin_channel(emulator) == [False, True]
    assert len(emulator.messages(ADMIN_CHANNEL)) == 1
    (sent,) = _notices(app_server)
    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 2)


def test_invalid_program_input_shows_field_errors_and_saves_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    view, view_id = _open_create_modal(slack, emulator)
    values = _program_values(
        "  ",
        starts=days_from_today(-3).isoformat(),
        length="13",
        rotation="26",
        deadline=days_from_today(-1).isoformat(),
    )
    response = submit_view(slack, user=COORDINATOR, view=view, view_id=view_id, values=values)
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {P.NAME, P.STARTS_ON, P.ROTATION, P.DEADLINE}
    assert _programs(app_server) == []


def test_duplicate_name_is_a_field_error(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    make_program(app_server.runtime, name="Autumn")
    view, view_id = _open_create_modal(slack, emulator)
    body = submit_view(
        slack,
        user=COORDINATOR,
        view=view,
        view_id=view_id,
        values=_program_values("autumn", starts=days_from_today(1).isoformat()),
    ).json()
    assert body["errors"] == {P.NAME: "A program with this name exists already."}


def test_a_program_closed_before_its_notice_went_out_is_not_announced(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    start = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
    runtime.clock = SettableClock(start)
    view, view_id = _open_create_modal(slack, emulator)
    emulator.fail("chat.postMessage", "internal_error")
    values = _program_values("Short-lived", starts=(start.date() + timedelta(days=7)).isoformat())
    submit_view(slack, user=COORDINATOR, view=view, view_id=view_id, values=values)
    app_server.wait_idle()
    with runtime.unit_of_work() as session:
        session.scalars(select(Program)).one().status = ProgramStatus.CLOSED

    run_tick(runtime, start + timedelta(minutes=3))

    assert _posts_to_admin_channel(emulator) == [False]
    (notice,) = _notices(app_server)
    assert (notice.status, notice.last_error) == (DeliveryStatus.CANCELLED, "program is closed")


def test_double_submission_creates_one_program(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    view, view_id = _open_create_modal(slack, emulator)
    values = _program_values("Twice", starts=days_from_today(2).isoformat())
    results: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                submit_view(
                    slack, user=COORDINATOR, view=view, view_id=view_id, values=values
                ).status_code
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    submit_view(
        slack, user=COORDINATOR, view=view, view_id=view_id, values=values
    )  # and a late retry
    assert results == [200, 200]
    assert [p.name for p in _programs(app_server)] == ["Twice"]
    app_server.wait_idle()
    assert len(emulator.calls("chat.postMessage")) == 1
    assert len(_notices(app_server)) == 1


@pytest.mark.parametrize(
    ("user", "channel_id", "expected"),
    [
        ("U0JUNIOR01", ADMIN_CHANNEL, "for program coordinators"),
        (COORDINATOR, "C0GENERAL1", "only in the admin channel"),
    ],
)
def test_refusals_are_polite_and_audited(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    user: str,
    channel_id: str,
    expected: str,
) -> None:
    assert slack.command("admin program list", user=user, channel=channel_id).status_code == 200
    app_server.wait_idle()
    (reply,) = emulator.responses()
    assert reply["response_type"] == "ephemeral"
    assert expected in reply["text"]
    assert emulator.calls("views.open") == []
    with app_server.runtime.unit_of_work() as session:
        denied = session.scalars(
            select(AuditLog).where(AuditLog.outcome == AuditOutcome.DENIED)
        ).all()
    assert [(d.actor_user_id, d.action) for d in denied] == [(user, "admin.program.list")]


def test_slack_admins_are_coordinators(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    emulator.add_user("U0OWNER001", name="owner", is_owner=True)
    slack.command("admin program list", user="U0OWNER001", channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    (reply,) = emulator.responses()
    assert "No programs yet" in str(reply)


def _responses(app_server: AppServer, emulator: SlackEmulator, count: int = 1) -> list[dict]:
    """Every answer so far, once the app is idle: exactly `count` of them."""
    app_server.wait_idle()
    replies = emulator.responses()
    assert len(replies) == count, replies
    return replies


def test_list_show_and_close_with_confirmation(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    make_program(app_server.runtime, name="Alpha")
    make_program(app_server.runtime, name="Beta", status=ProgramStatus.ACTIVE)
    slack.command("admin program list", user=COORDINATOR, channel=ADMIN_CHANNEL)
    listing = str(_responses(app_server, emulator, 1)[-1]["blocks"])
    assert "Alpha" in listing
    assert "Beta" in listing
    slack.command("admin program show beta", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert "*Beta* — active" in str(_responses(app_server, emulator, 2)[-1]["blocks"])
    slack.command("admin program close Beta", user=COORDINATOR, channel=ADMIN_CHANNEL)
    confirm = _responses(app_server, emulator, 3)[-1]
    button = next(
        e
        for b in confirm["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == P.CLOSE_CONFIRM
    )
    assert "confirm" in button  # Slack asks "are you sure?" before sending the click
    click(slack, user="U0JUNIOR01", action_id=P.CLOSE_CONFIRM, value=button["value"])
    click(slack, user=COORDINATOR, action_id=P.CLOSE_CONFIRM, value=button["value"])
    click(slack, user=COORDINATOR, action_id=P.CLOSE_CONFIRM, value=button["value"])
    replies = [r.get("text", "") for r in _responses(app_server, emulator, 6)[3:]]
    assert any("for program coordinators" in r for r in replies)
    assert any("closed *Beta*" in r for r in replies)
    assert any("already closed" in r for r in replies)
    with app_server.runtime.unit_of_work() as session:
        statuses = dict(session.execute(select(Program.name, Program.status)).all())
        closes = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "program.close")
        )
    assert statuses == {"Alpha": ProgramStatus.ENROLLING, "Beta": ProgramStatus.CLOSED}
    assert closes == 1


def test_admin_channel_can_be_moved_by_a_coordinator(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    slack.command("admin channel", user=COORDINATOR, channel="C0GENERAL1")
    (moved,) = _responses(app_server, emulator)
    assert moved["response_type"] == "in_channel"
    assert "<#C0GENERAL1> the coordinators' admin channel" in moved["text"]
    with app_server.runtime.unit_of_work() as session:
        (entry,) = session.scalars(select(AuditLog).where(AuditLog.action == "admin.channel"))
        assert (entry.actor_user_id, entry.detail) == (
            COORDINATOR,
            {"from": ADMIN_CHANNEL, "to": "C0GENERAL1"},
        )
    slack.command("admin program list", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert "only in the admin channel" in _responses(app_server, emulator, 2)[-1]["text"]


def test_an_unexpected_error_gets_an_error_id_not_a_stack_trace(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    emulator.fail("views.open", error="invalid_arguments")
    started = time.monotonic()
    response = slack.command("admin program create", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert response.status_code == 200
    (reply,) = _responses(app_server, emulator)
    assert "error id `" in reply["text"]
    assert "Traceback" not in reply["text"]
    assert "invalid_arguments" not in reply["text"]
    assert time.monotonic() - started < 2.5  # answered at once, not after Bolt's 3 s wait
