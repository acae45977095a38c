"""Enrolment's DMs go through the outbox: a Slack failure delays them, never loses or doubles
them, and what is sent is checked against the database at send time. "Today" is the
caller's own date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import SettableClock
from bot.flows.access import resolve_caller
from bot.flows.enrolment import submit_enrolment
from bot.messages.enrolment import CONFIRMED, PARTNER_LEFT, REFUSED
from bot.scheduler.tick import run_tick
from bot.services.enrolment import Mode
from bot.slack_emulator import SlackEmulator
from bot.views.enrolment import JoinForm, LeaveIds, parse_join_submission
from models import Delivery, Program
from models.enums import DeliveryStatus, ParticipantStatus, ProgramStatus
from tests.support.app_server import AppServer
from tests.support.enrolment_flows import (
    add_pair,
    button_click,
    create_program,
    enrol,
    join_values,
    open_join_modal,
    participants,
    view_submission,
    wait_responses,
)
from tests.support.slack_requests import SlackRequests

JUNIOR, SENIOR = "U0JUNIOR01", "U0SENIOR01"  # Europe/Berlin, America/New_York
START = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def _deliveries(app_server: AppServer, kind: str) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(
            session.scalars(select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id))
        )


def _posts_to(emulator: SlackEmulator, user_id: str) -> list[bool]:
    """Whether each chat.postMessage to `user_id` succeeded, in order."""
    return [c.ok for c in emulator.calls("chat.postMessage") if c.args["channel"] == user_id]


def test_the_confirmation_dm_is_delivered_once_after_slack_failed(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(START)
    create_program(runtime, "Spring cohort")
    view = open_join_modal(slack, emulator, user=JUNIOR)
    emulator.fail("chat.postMessage", "internal_error")

    response = slack.interaction(view_submission(view, user=JUNIOR, values=join_values()))
    assert (response.status_code, response.text) == (200, "")
    app_server.wait_idle()

    assert _posts_to(emulator, JUNIOR) == [False]
    (row,) = participants(runtime, JUNIOR)  # the enrolment stands
    assert row.status == ParticipantStatus.ACTIVE
    (planned,) = _deliveries(app_server, CONFIRMED)
    assert (planned.status, planned.attempts) == (DeliveryStatus.PLANNED, 1)
    assert planned.participant_id == row.id
    assert planned.payload == {"joined": True}  # ids and flags only, nothing typed

    run_tick(runtime, START + timedelta(minutes=1))  # backing off: not due yet
    assert _posts_to(emulator, JUNIOR) == [False]
    run_tick(runtime, START + timedelta(minutes=3))
    assert _posts_to(emulator, JUNIOR) == [False, True]
    sent = emulator.calls("chat.postMessage")[-1].args["text"]
    assert "You're in *Spring cohort*" in sent
    assert "Europe/Berlin" in sent  # read at send time, after the profile sync

    run_tick(runtime, START + timedelta(hours=2))
    assert _posts_to(emulator, JUNIOR) == [False, True]
    (done,) = _deliveries(app_server, CONFIRMED)
    assert (done.status, done.attempts) == (DeliveryStatus.SENT, 2)


def _pair_up(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer) -> None:
    runtime = app_server.runtime
    program_id = create_program(runtime, "Spring cohort")
    enrol(slack, emulator, user=JUNIOR, role="junior")
    enrol(slack, emulator, user=SENIOR, role="senior")
    (junior,), (senior,) = participants(runtime, JUNIOR), participants(runtime, SENIOR)
    add_pair(runtime, program_id=program_id, senior_id=senior.id, junior_id=junior.id)


def _leave(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, user: str) -> None:
    """`/mentor leave`, then Leave on the prompt; returns once everything after it is done."""
    prompts = len(emulator.responses("slash"))
    slack.command("leave", user=user)
    prompt = wait_responses(emulator, prompts + 1)[-1]
    value = prompt["blocks"][1]["elements"][0]["value"]
    url = emulator.response_url(f"leave-{user}")
    click = button_click(user=user, action_id=LeaveIds.CONFIRM, value=value, response_url=url)
    assert slack.interaction(click).status_code == 200
    app_server.wait_idle()
    (done,) = emulator.responses(f"leave-{user}")
    assert "You've left" in done["text"]


def test_the_partner_note_is_retried_until_sent_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(START)
    _pair_up(slack, emulator, app_server)
    before = _posts_to(emulator, SENIOR)

    emulator.fail("chat.postMessage", "internal_error")
    _leave(slack, emulator, app_server, JUNIOR)

    assert _posts_to(emulator, SENIOR) == [*before, False]
    (note,) = _deliveries(app_server, PARTNER_LEFT)
    assert note.status == DeliveryStatus.PLANNED
    (senior,) = participants(runtime, SENIOR)
    assert note.payload == {"participant_ids": [senior.id]}
    run_tick(runtime, START + timedelta(minutes=3))
    run_tick(runtime, START + timedelta(hours=2))
    assert _posts_to(emulator, SENIOR) == [*before, False, True]
    assert "stepped back" in emulator.calls("chat.postMessage")[-1].args["text"]


def test_a_partner_who_left_meanwhile_gets_no_note(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(START)
    _pair_up(slack, emulator, app_server)
    before = _posts_to(emulator, SENIOR)
    emulator.fail("chat.postMessage", "internal_error")
    _leave(slack, emulator, app_server, JUNIOR)
    _leave(slack, emulator, app_server, SENIOR)  # before the note could be sent

    run_tick(runtime, START + timedelta(minutes=3))

    assert _posts_to(emulator, SENIOR) == [*before, False]
    assert _posts_to(emulator, JUNIOR)[-1] is True  # the junior's confirmation, nothing since
    (note,) = _deliveries(app_server, PARTNER_LEFT)  # the senior's leaving ended no pair
    assert (note.status, note.last_error) == (DeliveryStatus.CANCELLED, "partner left too")


def test_today_is_the_callers_own_date(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    """At 23:30 UTC it is already the next day in Berlin, where the junior is."""
    runtime = app_server.runtime
    late = datetime(2030, 1, 10, 23, 30, tzinfo=UTC)
    runtime.clock = SettableClock(late)
    create_program(runtime, "Spring cohort")
    enrol(slack, emulator, user=JUNIOR)  # the profile sync stores Europe/Berlin
    create_program(runtime, "Winter cohort", deadline=late.date())

    answers = []
    for n, text in enumerate(
        ["join Winter cohort", "pause until 2030-01-11", "pause until soon", "pause 2030-01-12"],
        start=1,
    ):
        slack.command(text, user=JUNIOR)
        answers.append(wait_responses(emulator, n)[-1]["text"])
    app_server.wait_idle()

    assert "Enrolment for *Winter cohort* is closed" in answers[0]  # its last day was the 10th
    assert "isn't after today" in answers[1]
    assert "/mentor pause until 2030-01-25" in answers[2]  # two weeks after Berlin's today
    assert "until 2030-01-12" in answers[3]
    (row,) = participants(runtime, JUNIOR)
    assert (row.status, row.paused_until.isoformat()) == ("paused", "2030-01-12")
    assert len(emulator.responses("slash")) == 4


def test_a_program_that_closed_after_the_ack_is_refused_by_dm_once(
    emulator: SlackEmulator, app_server: AppServer
) -> None:
    """The flow itself, with an `accept` (the ack) during which the program closes."""
    runtime = app_server.runtime
    program_id = create_program(runtime, "Spring cohort")
    caller = resolve_caller(runtime, user_id=JUNIOR, channel_id=None)
    form = parse_join_submission(join_values(), user_id=JUNIOR)
    assert isinstance(form, JoinForm)

    def close_while_acking() -> None:
        with runtime.unit_of_work() as session:
            program = session.get(Program, program_id)
            assert program is not None
            program.status = ProgramStatus.CLOSED

    for _ in range(2):  # the same modal submitted twice
        refusal = submit_enrolment(
            runtime,
            caller,
            program_id=program_id,
            mode=Mode.JOIN,
            answers=form.answers,
            view_id="V0LATE0001",
            accept=close_while_acking,
        )
        assert refusal is None  # accepted: the modal had closed before the save
        with runtime.unit_of_work() as session:  # open again for the second submission
            program = session.get(Program, program_id)
            assert program is not None
            program.status = ProgramStatus.ENROLLING

    assert participants(runtime) == []
    (dm,) = emulator.calls("chat.postMessage")
    assert (dm.args["channel"], dm.ok) == (JUNIOR, True)
    assert "Enrolment for *Spring cohort* has closed" in dm.args["text"]
    (row,) = _deliveries(app_server, REFUSED)
    assert row.payload == {"user_id": JUNIOR, "program_id": program_id, "refusal": "closed"}
