"""Check-ins after a session: one per person (never twice across ticks), in each person's own
DM; field errors save nothing; a double submission saves one record; outsiders change nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.scheduler.tick import run_tick
from bot.services.checkins import pair_record
from bot.services.sessions import plan_session
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.checkins import CheckinIds as C
from bot.views.rhythm import RhythmIds as R
from models import ActionItem, CheckIn, Delivery, Feedback, Learning, MentoringSession, Participant
from models.enums import CheckInOutcome, DeliveryStatus, ParticipantStatus, SessionStatus
from tests.support.app_server import AppServer
from tests.support.checkin_flows import (
    CheckinPair,
    answer_checkin,
    checkin_prompts,
    checkin_values,
    dm_of,
    in_days,
    make_checkin_pair,
    met_and_ticked,
    open_checkin,
    posts,
)
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests


@pytest.fixture
def pair(app_server: AppServer, emulator: SlackEmulator) -> CheckinPair:
    return make_checkin_pair(app_server, emulator)


def _count(app_server: AppServer, model: type) -> int:
    with app_server.runtime.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _checkins(app_server: AppServer) -> list[CheckIn]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(CheckIn).order_by(CheckIn.id)))


def _thanks(emulator: SlackEmulator) -> list[RecordedCall]:
    return [c for c in posts(emulator) if "Thanks for your check-in" in c.args["text"]]


def test_we_already_met_brings_one_checkin_per_person_never_twice(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    for minutes in (2, 30, 60 * 24, 60 * 24 * 3):  # later ticks, and a restarted scheduler
        run_tick(app_server.runtime, datetime.now(UTC) + timedelta(minutes=minutes))
    run_tick(app_server.runtime, datetime.now(UTC) + timedelta(minutes=1))
    for user in (pair.junior, pair.senior):
        (prompt,) = checkin_prompts(emulator, user)
        button = next(b for b in prompt.json("blocks") if b["type"] == "actions")["elements"][0]
        assert (button["action_id"], button["value"]) == (C.ANSWER, str(session_id))
    assert not [
        c
        for c in posts(emulator)
        if c.args["channel"] == pair.channel and "check-in" in c.args["text"]
    ]
    with app_server.runtime.unit_of_work() as session:
        rows = list(session.scalars(select(Delivery).where(Delivery.kind == "checkin")))
    assert len(rows) == 2
    assert {r.status for r in rows} == {DeliveryStatus.SENT}
    assert {r.pair_id for r in rows} == {pair.pair_id}
    assert {r.payload["session_id"] for r in rows} == {session_id}


def test_a_planned_session_gets_its_checkin_after_it_ends_and_met_marks_it_held(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    runtime = app_server.runtime
    start = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    with runtime.unit_of_work() as session:
        session_id = plan_session(session, pair_id=pair.pair_id, start=start, minutes=30).id
    run_tick(runtime, start + timedelta(minutes=29))  # still going on
    run_tick(runtime, start + timedelta(minutes=31))  # over: planned, due a quarter later
    assert checkin_prompts(emulator, pair.junior) == []
    with runtime.unit_of_work() as session:
        due = set(session.scalars(select(Delivery.due_at).where(Delivery.kind == "checkin")))
    assert due == {start + timedelta(minutes=45)}
    run_tick(runtime, start + timedelta(minutes=46))
    run_tick(runtime, start + timedelta(minutes=50))
    assert len(checkin_prompts(emulator, pair.junior)) == 1
    assert len(checkin_prompts(emulator, pair.senior)) == 1

    response = answer_checkin(
        slack, emulator, user=pair.senior, session_id=session_id, minutes="25"
    )
    assert response.text == ""
    with runtime.unit_of_work() as session:
        held = session.get(MentoringSession, session_id)
        assert held is not None
        assert (held.status, held.held_at) == (SessionStatus.HELD, start)
        assert pair_record(session, pair.pair_id) == {
            "held_sessions": 1,
            "done_action_items": 0,
            "learnings": 1,
        }
    (checkin,) = _checkins(app_server)
    assert (checkin.outcome, checkin.minutes) == (CheckInOutcome.MET, 25)
    app_server.wait_idle()
    (thanks,) = _thanks(emulator)
    assert thanks.response["channel"] == dm_of(emulator, pair.senior)
    run_tick(runtime, start + timedelta(hours=2))  # no second check-in for a session now held
    assert len(checkin_prompts(emulator, pair.senior)) == 1


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"minutes": None}, C.MINUTES),
        ({"learning": "Interesting"}, C.LEARNING),
        ({"learning": None}, C.LEARNING),
        ({"action": "Try the dashboard in my weekly review"}, C.ACTION_ITEM_DUE),
        ({"action": "Try the dashboard", "due": in_days(-1)}, C.ACTION_ITEM_DUE),
        ({"what": "great"}, C.FEEDBACK_WHAT),
        ({"effect": "   ", "suggestion": "more"}, C.FEEDBACK_SUGGESTION),
    ],
    ids=[
        "met-without-minutes",
        "one-word-learning",
        "met-without-learning",
        "action-without-date",
        "action-due-in-the-past",
        "one-word-feedback",
        "one-word-suggestion",
    ],
)
def test_invalid_answers_show_on_the_field_and_save_nothing(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    pair: CheckinPair,
    answers: dict[str, str | None],
    field: str,
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    view, view_id = open_checkin(slack, emulator, user=pair.junior, session_id=session_id)
    response = submit_view(
        slack, user=pair.junior, view=view, view_id=view_id, values=checkin_values(**answers)
    )
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {field}
    if field.startswith("checkin-feedback"):
        assert "One word is hard to act on" in body["errors"][field]
    for model in (CheckIn, Learning, ActionItem, Feedback):
        assert _count(app_server, model) == 0


def test_not_meeting_needs_no_minutes_nor_learning(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    response = answer_checkin(
        slack,
        emulator,
        user=pair.junior,
        session_id=session_id,
        outcome="rescheduled",
        minutes=None,
        learning=None,
    )
    assert response.text == ""
    (checkin,) = _checkins(app_server)
    assert (checkin.outcome, checkin.minutes, checkin.learning_id) == (
        CheckInOutcome.RESCHEDULED,
        None,
        None,
    )


def test_double_submission_keeps_one_checkin(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    view, view_id = open_checkin(slack, emulator, user=pair.junior, session_id=session_id)
    other, other_id = open_checkin(slack, emulator, user=pair.junior, session_id=session_id)
    values = checkin_values(action="Use the new shortcut daily", due=in_days(3), share=True)
    assert (
        submit_view(slack, user=pair.junior, view=view, view_id=view_id, values=values).text == ""
    )
    assert (
        submit_view(slack, user=pair.junior, view=view, view_id=view_id, values=values).text == ""
    )
    # two modals of the same person submitted at once, from two threads
    senior_views = [
        open_checkin(slack, emulator, user=pair.senior, session_id=session_id) for _ in range(2)
    ]
    threads = [
        threading.Thread(
            target=submit_view,
            kwargs={"slack": slack, "user": pair.senior, "view": v, "view_id": i, "values": values},
        )
        for v, i in senior_views
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (
        submit_view(slack, user=pair.junior, view=other, view_id=other_id, values=values).text == ""
    )
    checkins = _checkins(app_server)
    assert len(checkins) == 2  # one per person
    assert len({c.participant_id for c in checkins}) == 2
    assert _count(app_server, Learning) == 2
    assert _count(app_server, ActionItem) == 2
    app_server.wait_idle()  # every listener done: nothing is still on its way
    assert len(_thanks(emulator)) == 2
    assert {c.response["channel"] for c in _thanks(emulator)} == {
        dm_of(emulator, pair.junior),
        dm_of(emulator, pair.senior),
    }
    # pressing the button again says it is done, and opens nothing
    opened = len(emulator.calls("views.open"))
    answered = len(emulator.responses())
    click(
        slack,
        user=pair.junior,
        action_id=C.ANSWER,
        value=str(session_id),
        channel=dm_of(emulator, pair.junior),
    )
    app_server.wait_idle()
    (reply,) = emulator.responses()[answered:]
    assert "already answered" in reply["text"]
    assert len(emulator.calls("views.open")) == opened
    assert len(_thanks(emulator)) == 2


def test_someone_outside_the_pair_changes_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    view, _ = open_checkin(slack, emulator, user=pair.junior, session_id=session_id)
    answered = len(emulator.responses())
    opened = len(emulator.calls("views.open"))
    click(slack, user="U0JUNIOR01", action_id=C.ANSWER, value=str(session_id))
    app_server.wait_idle()
    (reply,) = emulator.responses()[answered:]
    assert "belongs to another pair" in reply["text"]
    assert len(emulator.calls("views.open")) == opened
    # a modal replayed by an outsider is refused on the spot
    response = submit_view(
        slack, user="U0JUNIOR01", view=view, view_id="V0OUTSIDER", values=checkin_values()
    )
    assert response.json()["response_action"] == "update"
    app_server.wait_idle()
    assert _count(app_server, CheckIn) == 0
    with app_server.runtime.unit_of_work() as session:
        planned = session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.kind.in_(["feedback", "checkin_thanks"]))
        )
    assert planned == 0  # nothing was planned for anybody


def test_a_paused_person_gets_no_checkin(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    runtime = app_server.runtime
    with runtime.unit_of_work() as session:
        for person in session.scalars(select(Participant).where(Participant.role == "senior")):
            person.status = ParticipantStatus.PAUSED
    met_and_ticked(slack, emulator, app_server, pair)
    assert len(checkin_prompts(emulator, pair.junior)) == 1
    assert checkin_prompts(emulator, pair.senior) == []
    with runtime.unit_of_work() as session:
        cancelled = session.scalar(
            select(Delivery.last_error).where(
                Delivery.kind == "checkin", Delivery.status == DeliveryStatus.CANCELLED
            )
        )
    assert cancelled == "participant is paused"


def test_a_session_logged_with_mentor_log_brings_its_checkins(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    slack.command("log", user=pair.senior)
    (opened,) = [c for c in emulator.wait_for("views.open") if c.ok]
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    values = {
        R.LOG_PAIR: {
            R.LOG_PAIR: {"type": "static_select", "selected_option": {"value": str(pair.pair_id)}}
        },
        R.LOG_DATE: {R.LOG_DATE: {"type": "datepicker", "selected_date": yesterday}},
        R.LOG_MINUTES: {R.LOG_MINUTES: {"type": "number_input", "value": "40"}},
    }
    view, view_id = opened.json("view"), opened.response["view"]["id"]
    assert (
        submit_view(slack, user=pair.senior, view=view, view_id=view_id, values=values).text == ""
    )
    for minutes in (1, 2):
        run_tick(app_server.runtime, datetime.now(UTC) + timedelta(minutes=minutes))
    assert len(checkin_prompts(emulator, pair.junior)) == 1
    assert len(checkin_prompts(emulator, pair.senior)) == 1
