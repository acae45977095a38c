"""The session nudge's buttons: pick a time (.ics), met, skip, help; each idempotent and
refused for people outside the pair or for an earlier period. `/mentor next` and `log`."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.clock import SettableClock, local_date
from bot.rhythm import period_of
from bot.scheduler.lock import SchedulerBusy, single_scheduler
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.rhythm import RhythmIds as R
from models import Delivery, MentoringSession, Participant
from models.enums import Cadence, DeliveryStatus, ParticipantStatus, SessionStatus
from tests.conftest import ADMIN_CHANNEL
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.interactions import click, picked_date, submit_view, text
from tests.support.slack_requests import SlackRequests

JUNIOR = ("U0JBUTTON1", "Europe/Berlin", 8, 18)
SENIOR = ("U0SBUTTON1", "America/New_York", 8, 18)
NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # a Wednesday, inside both working windows


@pytest.fixture
def pair(app_server: AppServer, emulator: SlackEmulator) -> tuple[int, str, str]:
    """(pair id, pair DM channel, the current period's button value); the app's clock at NOW."""
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    started = NOW - timedelta(days=1)
    program_id = make_program(
        runtime, name="Buttons", starts_on=started.date(), cadence=Cadence.WEEKLY
    )
    pair_id, channel = active_pair(
        runtime, emulator, program_id=program_id, junior=JUNIOR, senior=SENIOR, started_at=started
    )
    period = period_of(Cadence.WEEKLY, anchor=started.date(), on=NOW.date())
    return pair_id, channel, f"{pair_id}:{period.key}"


def _answers(app_server: AppServer, emulator: SlackEmulator, after: int) -> list[str]:
    """What the clickers were told since `after`, once every listener has finished."""
    app_server.wait_idle()
    return [r.get("text", "") for r in emulator.responses()[after:]]


def _posts(emulator: SlackEmulator, channel: str, text: str) -> list[str]:
    """Messages Slack accepted in `channel` whose text contains `text`."""
    return [
        c.args["text"]
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == channel and text in c.args.get("text", "")
    ]


def _deliveries(app_server: AppServer, kind: str) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(Delivery).where(Delivery.kind == kind)))


def _slot_buttons(response: dict[str, Any]) -> list[dict[str, Any]]:
    """The time buttons of an ephemeral answer."""
    return next(b for b in response["blocks"] if b["type"] == "actions")["elements"]


def _sessions(app_server: AppServer) -> list[MentoringSession]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(MentoringSession)))


def test_pick_a_time_then_a_slot_plans_the_session_with_an_ics_invite(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    _, channel, value = pair
    click(slack, user=JUNIOR[0], action_id=R.PICK_TIME, value=value, channel=channel)
    app_server.wait_idle()
    (offer,) = [
        c for c in emulator.calls("chat.postMessage") if c.ok and "Pick a time" in c.args["text"]
    ]
    assert offer.args["channel"] == channel
    offer_text = offer.json("blocks")[0]["text"]["text"]
    assert offer_text.count("<!date^") == 3  # each reader sees the times in their own zone
    assert "UTC>" in offer_text  # only as the fallback inside each date token
    assert "UTC" not in re.sub(r"<!date[^>]*>", "", offer_text)
    (choose,) = next(b for b in offer.json("blocks") if b["type"] == "actions")["elements"]
    (mine,) = emulator.responses()  # the clicker's own buttons, in the clicker's timezone
    assert mine["response_type"] == "ephemeral"
    buttons = _slot_buttons(mine)
    assert len(buttons) == 3
    first = buttons[0]["value"]
    start = datetime.fromtimestamp(int(first.rsplit(":", 1)[1]), UTC)
    for person in (JUNIOR, SENIOR):  # inside both working windows, on a weekday
        local = start.astimezone(ZoneInfo(person[1]))
        assert local.weekday() < 5
        assert person[2] <= local.hour
        assert (local + timedelta(minutes=30)).hour <= person[3]
    berlin = start.astimezone(ZoneInfo(JUNIOR[1]))
    assert buttons[0]["text"]["text"] == f"{berlin:%a} {berlin.day} {berlin:%b}, {berlin:%H:%M}"
    assert "UTC" not in str(mine)

    click(slack, user=SENIOR[0], action_id=choose["action_id"], value=choose["value"],
          channel=channel)  # fmt: skip
    app_server.wait_idle()
    theirs = _slot_buttons(emulator.responses()[1])
    assert [b["value"] for b in theirs] == [b["value"] for b in buttons]  # the same times...
    new_york = start.astimezone(ZoneInfo(SENIOR[1]))  # ...labelled in the senior's zone
    assert (
        theirs[0]["text"]["text"] == f"{new_york:%a} {new_york.day} {new_york:%b}, {new_york:%H:%M}"
    )
    click(slack, user="U0JUNIOR01", action_id=choose["action_id"], value=choose["value"],
          channel=channel)  # fmt: skip
    assert "belongs to another pair" in _answers(app_server, emulator, 2)[0]
    base = len(emulator.responses())

    click(slack, user=SENIOR[0], action_id=buttons[0]["action_id"], value=first, channel=channel)
    app_server.wait_idle()
    assert len(emulator.responses()) == base
    assert len(_posts(emulator, channel, "Session planned")) == 1
    (upload,) = emulator.uploaded_files()
    calendar = Calendar.from_ical(upload["content"])
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    (planned,) = _sessions(app_server)
    assert (planned.status, planned.scheduled_at) == (SessionStatus.PLANNED, start)

    click(
        slack,
        user=JUNIOR[0],
        action_id=buttons[1]["action_id"],
        value=buttons[1]["value"],
        channel=channel,
    )
    click(slack, user=JUNIOR[0], action_id=R.PICK_TIME, value=value, channel=channel)
    replies = [str(r) for r in emulator.responses()[base:]]
    app_server.wait_idle()
    replies = [str(r) for r in emulator.responses()[base:]]
    assert len(replies) == 2, replies
    assert sum("already planned" in r for r in replies) == 1, replies
    assert sum("already posted these times" in r for r in replies) == 1, replies
    assert len(_sessions(app_server)) == 1
    assert len(emulator.uploaded_files()) == 1
    assert len(_posts(emulator, channel, "Session planned")) == 1
    assert len(_posts(emulator, channel, "Pick a time")) == 1


def test_we_already_met_is_logged_once_and_outsiders_and_old_buttons_change_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    pair_id, channel, value = pair
    click(slack, user="U0JUNIOR01", action_id=R.MET, value=value, channel=channel)
    (outsider,) = _answers(app_server, emulator, 0)
    assert "belongs to another pair" in outsider
    click(slack, user=JUNIOR[0], action_id=R.MET, value=f"{pair_id}:p0099", channel=channel)
    (old,) = _answers(app_server, emulator, 1)
    assert "earlier period" in old
    assert _sessions(app_server) == []
    click(slack, user=JUNIOR[0], action_id=R.MET, value=value, channel=channel)
    (logged,) = _answers(app_server, emulator, 2)
    assert "Logged your session" in logged
    click(slack, user=SENIOR[0], action_id=R.MET, value=value, channel=channel)
    (again,) = _answers(app_server, emulator, 3)
    assert "already logged" in again
    (held,) = _sessions(app_server)
    assert (held.status, held.minutes) == (SessionStatus.HELD, 30)


def test_skip_asks_for_a_reason_and_records_who_skipped(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    _, channel, value = pair
    click(slack, user=SENIOR[0], action_id=R.SKIP, value=value, channel=channel)
    app_server.wait_idle()
    (opened,) = emulator.calls("views.open")
    view, view_id = opened.json("view"), opened.response["view"]["id"]
    bad = submit_view(
        slack,
        user=SENIOR[0],
        view=view,
        view_id=view_id,
        values={R.SKIP_REASON: text(R.SKIP_REASON, "no")},
    )
    assert R.SKIP_REASON in bad.json()["errors"]
    reason = {R.SKIP_REASON: text(R.SKIP_REASON, "board meeting week")}
    assert submit_view(slack, user=SENIOR[0], view=view, view_id=view_id, values=reason).text == ""
    assert submit_view(slack, user=SENIOR[0], view=view, view_id=view_id, values=reason).text == ""
    (skipped,) = _sessions(app_server)
    with app_server.runtime.unit_of_work() as session:
        senior_id = session.scalar(select(Participant.id).where(Participant.role == "senior"))
    assert (skipped.status, skipped.cancelled_by_id, skipped.reason) == (
        SessionStatus.SKIPPED,
        senior_id,
        "board meeting week",
    )
    app_server.wait_idle()
    (note,) = _posts(emulator, channel, "can't make it")
    assert note.startswith(f"<@{SENIOR[0]}>")
    assert "board meeting" not in str(emulator.calls("chat.postMessage"))  # kept in the records


def test_need_help_tells_the_coordinators_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    _, channel, value = pair
    click(slack, user=JUNIOR[0], action_id=R.HELP, value=value, channel=channel)
    (told,) = _answers(app_server, emulator, 0)
    assert "told your program coordinators" in told
    click(slack, user=SENIOR[0], action_id=R.HELP, value=value, channel=channel)
    (known,) = _answers(app_server, emulator, 1)
    assert "already know" in known
    alerts = [c for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]
    assert len(alerts) == 1
    assert f"<@{JUNIOR[0]}> asked for help" in alerts[0].args["text"]


def test_a_picked_time_and_its_invite_reach_the_pair_after_slack_failed_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    """The click is answered; what Slack refused stays planned and the next tick sends it."""
    _, channel, value = pair
    click(slack, user=JUNIOR[0], action_id=R.PICK_TIME, value=value, channel=channel)
    app_server.wait_idle()
    slot = _slot_buttons(emulator.responses()[0])[0]

    emulator.fail("chat.postMessage", "internal_error")  # not retried by the client
    emulator.fail("files.getUploadURLExternal", "internal_error")
    click(slack, user=SENIOR[0], action_id=slot["action_id"], value=slot["value"], channel=channel)
    app_server.wait_idle()
    assert len(emulator.responses()) == 1  # only the clicker's own buttons
    assert _posts(emulator, channel, "Session planned") == []
    assert emulator.uploaded_files() == []
    (planned,) = _sessions(app_server)  # the session itself is recorded at once
    assert planned.status == SessionStatus.PLANNED
    waiting = _deliveries(app_server, "session_planned") + _deliveries(app_server, "session_invite")
    assert [(d.status, d.attempts) for d in waiting] == [(DeliveryStatus.PLANNED, 1)] * 2

    run_tick(app_server.runtime, NOW + timedelta(minutes=10))
    run_tick(app_server.runtime, NOW + timedelta(minutes=40))  # nothing twice
    assert len(_posts(emulator, channel, "Session planned")) == 1
    (upload,) = emulator.uploaded_files()
    (event,) = Calendar.from_ical(upload["content"]).walk("VEVENT")
    assert event.decoded("DTSTART") == planned.scheduled_at
    sent = _deliveries(app_server, "session_planned") + _deliveries(app_server, "session_invite")
    assert [(d.status, d.attempts) for d in sent] == [(DeliveryStatus.SENT, 2)] * 2


def test_need_help_reaches_the_coordinators_after_slack_failed_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    _, channel, value = pair
    emulator.fail("chat.postMessage", "internal_error")
    click(slack, user=JUNIOR[0], action_id=R.HELP, value=value, channel=channel)
    (told,) = _answers(app_server, emulator, 0)
    assert "told your program coordinators" in told
    assert _posts(emulator, ADMIN_CHANNEL, "asked for help") == []
    (row,) = _deliveries(app_server, "admin_help")
    assert (row.status, row.last_error) == (
        DeliveryStatus.PLANNED,
        "chat.postMessage: internal_error",
    )

    click(slack, user=SENIOR[0], action_id=R.HELP, value=value, channel=channel)
    (known,) = _answers(app_server, emulator, 1)
    assert "already know" in known
    run_tick(app_server.runtime, NOW + timedelta(minutes=10))
    run_tick(app_server.runtime, NOW + timedelta(hours=1))
    (alert,) = _posts(emulator, ADMIN_CHANNEL, "asked for help")
    assert f"<@{JUNIOR[0]}> asked for help" in alert


def test_a_paused_participant_gets_no_nudge(
    app_server: AppServer, emulator: SlackEmulator, pair: tuple[int, str, str]
) -> None:
    runtime = app_server.runtime
    with runtime.unit_of_work() as session:
        for participant in session.scalars(select(Participant).where(Participant.role == "senior")):
            participant.status = ParticipantStatus.PAUSED
    later = NOW + timedelta(days=8)
    run_tick(runtime, later)
    with runtime.unit_of_work() as session:
        nudges = list(
            session.scalars(
                select(Delivery).where(Delivery.kind == "session_nudge", Delivery.due_at <= later)
            )
        )
    assert nudges
    assert {n.status for n in nudges} == {DeliveryStatus.CANCELLED}
    assert {n.last_error for n in nudges} == {"a participant is paused"}
    assert not [
        c
        for c in emulator.calls("chat.postMessage")
        if "Time for your next" in c.args.get("text", "")
    ]


def test_next_shows_the_agenda_and_log_records_a_session(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    body = slack.command("next", user=JUNIOR[0]).json()
    rendered = str(body["blocks"])
    assert "Agenda so far" in rendered
    assert "No time picked yet" in rendered
    late_evening_in_new_york = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
    app_server.runtime.clock = SettableClock(late_evening_in_new_york)
    today = local_date(late_evening_in_new_york, SENIOR[1])  # the senior's own date...
    assert today == date(2026, 3, 4)  # ...not UTC's
    slack.command("log", user=SENIOR[0])
    app_server.wait_idle()
    (opened,) = emulator.calls("views.open")
    view, view_id = opened.json("view"), opened.response["view"]["id"]
    (date_block,) = [b for b in view["blocks"] if b["block_id"] == R.LOG_DATE]
    assert date_block["element"]["initial_date"] == today.isoformat()
    values = {
        R.LOG_PAIR: {
            R.LOG_PAIR: {"type": "static_select", "selected_option": {"value": str(pair[0])}}
        },
        R.LOG_DATE: picked_date(R.LOG_DATE, (today + timedelta(days=1)).isoformat()),
        R.LOG_MINUTES: {R.LOG_MINUTES: {"type": "number_input", "value": "40"}},
    }
    assert set(
        submit_view(slack, user=SENIOR[0], view=view, view_id=view_id, values=values).json()[
            "errors"
        ]
    ) == {R.LOG_DATE}
    values[R.LOG_DATE] = picked_date(R.LOG_DATE, today.isoformat())
    submit_view(slack, user=SENIOR[0], view=view, view_id=view_id, values=values)
    submit_view(slack, user=SENIOR[0], view=view, view_id=view_id, values=values)
    (held,) = _sessions(app_server)
    assert (held.status, held.minutes, held.source) == (SessionStatus.HELD, 40, "log")
    assert held.held_at == datetime(2026, 3, 4, 17, 0, tzinfo=UTC)  # noon in New York


def test_sqlite_runs_one_scheduler_at_a_time(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/one.db"
    with single_scheduler(url), pytest.raises(SchedulerBusy), single_scheduler(url):
        pass
    with single_scheduler(url):  # released when the first one ended
        pass
    with (
        single_scheduler("postgresql+psycopg://postgres@127.0.0.1/test"),
        single_scheduler("postgresql+psycopg://postgres@127.0.0.1/test"),
    ):
        pass  # PostgreSQL workers coordinate through row locks instead


def _pick_first_time(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, channel: str, value: str
) -> datetime:
    """The junior asks for times and takes the first one offered; its start."""
    click(slack, user=JUNIOR[0], action_id=R.PICK_TIME, value=value, channel=channel)
    app_server.wait_idle()
    slot = _slot_buttons(emulator.responses()[-1])[0]
    click(slack, user=JUNIOR[0], action_id=slot["action_id"], value=slot["value"], channel=channel)
    app_server.wait_idle()
    return datetime.fromtimestamp(int(slot["value"].rsplit(":", 1)[1]), UTC)


def _said(emulator: SlackEmulator, channel: str, text: str) -> list[str]:
    """Whole messages (text and blocks) Slack accepted in `channel` that mention `text`."""
    return [
        said
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == channel
        for said in [json.dumps([c.args.get("text"), c.json("blocks")], ensure_ascii=False)]
        if text in said
    ]


def test_the_agenda_arrives_an_hour_before_the_picked_time_as_the_confirmation_says(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    _, channel, value = pair
    start = _pick_first_time(slack, emulator, app_server, channel, value)
    (planned,) = _said(emulator, channel, "Session planned")
    assert "agenda an hour before" in planned
    moment = NOW
    while moment < start - timedelta(hours=1):
        run_tick(app_server.runtime, moment)
        moment += timedelta(minutes=15)
    assert _said(emulator, channel, "Agenda for your") == []
    run_tick(app_server.runtime, start - timedelta(hours=1))
    (agenda,) = _said(emulator, channel, "Agenda for your")
    assert "No time is picked yet" not in agenda


def test_a_time_picked_after_the_periods_agenda_went_out_does_not_promise_another(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: tuple[int, str, str]
) -> None:
    _, channel, value = pair
    moment = NOW
    while not _said(emulator, channel, "Agenda for your"):
        run_tick(app_server.runtime, moment)
        moment += timedelta(minutes=15)
    app_server.runtime.clock = SettableClock(moment)
    start = _pick_first_time(slack, emulator, app_server, channel, value)
    (planned,) = _said(emulator, channel, "Session planned")
    assert "your agenda for it is already above" in planned
    assert "an hour before" not in planned
    run_tick(app_server.runtime, start)
    assert len(_said(emulator, channel, "Agenda for your")) == 1  # once per period, as said
