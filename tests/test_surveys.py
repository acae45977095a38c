"""Reflection surveys end to end: a quarter of simulated time through the scheduler, answers
through the modal, at most two reminders, closed surveys, outsiders, the end of a rotation."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.services.survey_calendar import due_surveys, quarter_ends
from bot.services.surveys import QUESTIONS
from bot.slack_emulator import SlackEmulator
from bot.views.home import HomeIds
from bot.views.matching import MatchIds
from bot.views.surveys import SurveyIds, question_block_id, reflection_block_id
from models import Delivery, Participant, Program
from models.enums import Cadence, DeliveryStatus, ParticipantStatus, ProgramStatus, SurveyKind
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.flows import wait_until
from tests.support.home_flows import buttons, open_home
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests
from tests.support.survey_flows import (
    add_learning,
    answer_value,
    answers,
    dm_channel,
    dms,
    kinds_of,
    latest_ephemeral,
    open_modal,
    participant_id,
    program_of_pairs,
    responses,
    submit,
    surveys,
    tick_at,
)

TODAY = datetime.now(UTC).date()
OUTSIDER = "U0JUNIOR01"  # a workspace member in no program

J1, S1 = ("U0SVJUN001", "Europe/Berlin", 9, 17), ("U0SVSEN001", "America/New_York", 9, 17)
J2, S2 = ("U0SVJUN002", "Europe/London", 9, 17), ("U0SVSEN002", "Europe/Berlin", 8, 16)
J3, S3 = ("U0SVJUN003", "America/Sao_Paulo", 9, 17), ("U0SVSEN003", "Europe/London", 9, 17)
J4, S4 = ("U0SVJUN004", "Europe/Berlin", 9, 17), ("U0SVSEN004", "Europe/Berlin", 9, 17)
PAUSED = S4[0]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    moments = []
    while start <= end:
        moments.append(start)
        start += step
    return moments


def _deliveries(app_server: AppServer, user_id: str, kind: str) -> list[Delivery]:
    pid = participant_id(app_server.runtime, user_id)
    with app_server.runtime.unit_of_work() as session:
        return list(
            session.scalars(
                select(Delivery).where(Delivery.participant_id == pid, Delivery.kind == kind)
            )
        )


def test_a_quarter_brings_one_survey_each_answers_are_kept_and_reminders_stop_at_two(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    runtime = app_server.runtime
    starts_on = TODAY - timedelta(weeks=13, days=2)  # quarter 1 ended two days ago
    quarter_end = _at(starts_on + timedelta(weeks=13))
    program_id, _ = program_of_pairs(
        runtime,
        emulator,
        starts_on=starts_on,
        pairs=[(J1, S1), (J2, S2), (J3, S3), (J4, S4)],
        started_at=_at(starts_on, 10),
        rotation_weeks=26,
        length_weeks=52,
        cadence=Cadence.MONTHLY,
    )
    with runtime.unit_of_work() as session:
        paused = session.get(Participant, participant_id(runtime, PAUSED))
        assert paused is not None
        paused.status = ParticipantStatus.PAUSED
    for n in range(1, 5):
        add_learning(runtime, J1[0], f"J1 learning {n}", _at(starts_on + timedelta(days=10 * n)))
    add_learning(runtime, J1[0], "J1 before the program", _at(starts_on - timedelta(days=3)))
    add_learning(runtime, S1[0], "S1 private learning", _at(starts_on + timedelta(days=45)))
    people = [J1, S1, J2, S2, J3, S3, J4]
    for person in people:  # each has looked at their Home: changes republish it
        assert HomeIds.SURVEY not in buttons(open_home(slack, emulator, app_server, person[0]))

    # The quarter runs: nothing before its end...
    tick_at(
        runtime, *_every(_at(starts_on, 10), quarter_end - timedelta(hours=1), timedelta(weeks=2))
    )
    assert surveys(runtime) == []
    # ...then one quarterly survey, and one DM for each active participant.
    first_days = _every(
        quarter_end + timedelta(hours=1), quarter_end + timedelta(days=4), timedelta(hours=6)
    )
    tick_at(runtime, *first_days)
    (survey,) = surveys(runtime)
    assert (survey.program_id, survey.kind, survey.period) == (
        program_id,
        SurveyKind.QUARTERLY,
        "q1",
    )
    assert (survey.opens_at, survey.closes_at) == (quarter_end, quarter_end + timedelta(days=14))
    for person in people:
        assert kinds_of(dms(emulator, person[0])) == ["survey"], person
    # each Home shows the open survey once it has reached them (republished by the tick)
    for person in people:
        home = emulator.published_home(person[0])
        assert home is not None, person
        assert HomeIds.SURVEY in buttons(home), person
    assert dm_channel(emulator, PAUSED) is None
    assert _deliveries(app_server, PAUSED, "survey") == []
    posted = len(emulator.calls("chat.postMessage"))
    tick_at(runtime, *first_days)  # the same instants again: nothing twice
    assert len(emulator.calls("chat.postMessage")) == posted

    # The DM reminds me of my own learning log of the quarter, not my partner's.
    (j1_dm,) = dms(emulator, J1[0])
    text = str(j1_dm.json("blocks"))
    assert "4 entries" in text
    assert all(f"J1 learning {n}" in text for n in (2, 3, 4))
    assert "J1 learning 1" not in text  # the latest three only
    assert "before the program" not in text
    assert "S1 private" not in text
    (s1_dm,) = dms(emulator, S1[0])
    assert "1 entry" in str(s1_dm.json("blocks"))
    assert "S1 private learning" in str(s1_dm.json("blocks"))
    assert "J1 learning" not in str(s1_dm.json("blocks"))

    # Someone outside the program presses the button: refused, no modal.
    value, channel = answer_value(j1_dm), j1_dm.args["channel"]
    assert value == str(survey.id)
    answered_before = len(emulator.responses())
    click(slack, user=OUTSIDER, action_id=SurveyIds.ANSWER, value=value, channel=channel)
    app_server.wait_idle()
    assert len(emulator.responses()) == answered_before + 1
    assert "not part of" in latest_ephemeral(emulator, answered_before)
    assert not [c for c in emulator.calls("views.open") if c.ok]

    # The modal: seven required ratings under two headers, two optional reflections.
    view, view_id = open_modal(slack, emulator, user=J1[0], value=value, channel=channel)
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    radios = [b for b in inputs if b["element"]["type"] == "radio_buttons"]
    assert len(radios) == 7
    assert all(not b.get("optional") for b in radios)
    assert [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"][:2] == [
        "Learning outcomes",
        "Operational outcomes",
    ]
    texts = [b for b in inputs if b["element"]["type"] == "plain_text_input"]
    assert [(b["optional"], b["element"]["max_length"]) for b in texts] == [(True, 1000)] * 2
    assert view["submit"]["text"] == "Submit"

    # Invalid input: field errors, nothing stored.
    incomplete = answers({k: 4 for k in QUESTIONS if k != "dialogue"}, {"surprised": "x" * 1001})
    errors = submit(slack, user=J1[0], view=view, view_id=view_id, values=incomplete)["errors"]
    assert set(errors) == {question_block_id("dialogue"), reflection_block_id("surprised")}
    assert responses(runtime) == []

    # A valid answer, then the same modal submitted again: one row, the first answers.
    secret = "J1-REFLECTION-SECRET"
    saved = submit(
        slack, user=J1[0], view=view, view_id=view_id, values=answers(4, {"surprised": secret})
    )
    assert saved["response_action"] == "update"
    assert "saved" in str(saved["view"]["blocks"])
    submit(slack, user=J1[0], view=view, view_id=view_id, values=answers(5))
    (first,) = responses(runtime)
    assert first.likert == dict.fromkeys(QUESTIONS, 4)
    assert first.reflections == {"surprised": secret}
    assert first.participant_id == participant_id(runtime, J1[0])

    # An outsider submitting that survey's modal changes nothing.
    refused = submit(slack, user=OUTSIDER, view=view, view_id="V0OUTSIDER", values=answers(1))
    assert "not part of" in str(refused["view"]["blocks"])
    assert [r.likert for r in responses(runtime)] == [first.likert]

    # Editing before the close: the modal is prefilled, says Update, and updates the row.
    view, view_id = open_modal(slack, emulator, user=J1[0], value=value, channel=channel)
    assert view["submit"]["text"] == "Update"
    prefilled = [
        b["element"]["initial_option"]["value"]
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "radio_buttons"
    ]
    assert prefilled == ["4"] * 7
    assert secret in str(view["blocks"])  # my own reflection, shown back to me only
    submit(
        slack,
        user=J1[0],
        view=view,
        view_id=view_id,
        values=answers(2, {"do_differently": "ask more"}),
    )
    (edited,) = responses(runtime)
    assert (edited.id, edited.likert) == (first.id, dict.fromkeys(QUESTIONS, 2))
    assert edited.reflections == {"do_differently": "ask more"}
    assert edited.submitted_at is not None
    assert first.submitted_at is not None
    assert edited.submitted_at >= first.submitted_at

    # `/mentor survey` opens my open survey; for someone in no program, none is open.
    opened = len([c for c in emulator.calls("views.open") if c.ok])
    slack.command("survey", user=S1[0])
    wait_until(lambda: len([c for c in emulator.calls("views.open") if c.ok]) > opened)
    s1_open = [c for c in emulator.calls("views.open") if c.ok][opened]
    submit(
        slack,
        user=S1[0],
        view=s1_open.json("view"),
        view_id=s1_open.response["view"]["id"],
        values=answers(3),
    )
    answered_before = len(emulator.responses())
    slack.command("survey", user=OUTSIDER)
    app_server.wait_idle()
    assert len(emulator.responses()) == answered_before + 1
    assert "No survey is open" in latest_ephemeral(emulator, answered_before)
    assert len(responses(runtime)) == 2

    # First reminders, to those who have not answered.
    tick_at(
        runtime,
        *_every(
            quarter_end + timedelta(days=4, hours=13),
            quarter_end + timedelta(days=8),
            timedelta(hours=6),
        ),
    )
    for person in (J2, S2, J3, S3, J4):
        assert kinds_of(dms(emulator, person[0])) == ["survey", "reminder"], person
    for person in (J1, S1):
        assert kinds_of(dms(emulator, person[0])) == ["survey"], person

    # J2 answers from the reminder; the second (and last) reminder skips them.
    (_, reminder) = dms(emulator, J2[0])
    view, view_id = open_modal(
        slack, emulator, user=J2[0], value=answer_value(reminder), channel=reminder.args["channel"]
    )
    submit(slack, user=J2[0], view=view, view_id=view_id, values=answers(5))
    tick_at(
        runtime,
        *_every(
            quarter_end + timedelta(days=8, hours=12),
            quarter_end + timedelta(days=16),
            timedelta(hours=6),
        ),
    )
    for person in (S2, J3, S3, J4):
        calls = dms(emulator, person[0])
        assert kinds_of(calls) == ["survey", "reminder", "reminder"], person
        assert "last reminder" in str(calls[-1].json("blocks"))
    assert kinds_of(dms(emulator, J2[0])) == ["survey", "reminder"]
    assert kinds_of(dms(emulator, J1[0])) == ["survey"]
    assert dm_channel(emulator, PAUSED) is None
    assert len(responses(runtime)) == 3
    # Reminders planned before J1 answered were cancelled when they came due.
    assert {
        (d.status, d.last_error) for d in _deliveries(app_server, J1[0], "survey_reminder")
    } == {(DeliveryStatus.CANCELLED, "already answered")}

    # Reflections never reach the log: only ids do.
    assert secret not in caplog.text
    assert "ask more" not in caplog.text


def test_after_the_close_the_button_refuses_and_nothing_changes(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    starts_on = TODAY - timedelta(weeks=13, days=20)  # closed six days ago
    quarter_end = _at(starts_on + timedelta(weeks=13))
    program_of_pairs(
        runtime,
        emulator,
        starts_on=starts_on,
        pairs=[(J1, S2)],
        started_at=_at(starts_on, 10),
        rotation_weeks=26,
        length_weeks=52,
    )
    tick_at(runtime, quarter_end + timedelta(hours=1), quarter_end + timedelta(days=3))
    (survey,) = surveys(runtime)
    (dm,) = dms(emulator, J1[0])
    answered_before = len(emulator.responses())
    click(
        slack,
        user=J1[0],
        action_id=SurveyIds.ANSWER,
        value=answer_value(dm),
        channel=dm.args["channel"],
    )
    app_server.wait_idle()
    assert len(emulator.responses()) == answered_before + 1
    assert "This survey closed on" in latest_ephemeral(emulator, answered_before)
    assert not [c for c in emulator.calls("views.open") if c.ok]
    late = {
        "type": "modal",
        "callback_id": SurveyIds.CALLBACK,
        "private_metadata": str(survey.id),
        "title": {"type": "plain_text", "text": "Reflection survey"},
        "blocks": [],
    }
    refused = submit(slack, user=J1[0], view=late, view_id="V0LATE0001", values=answers(4))
    assert "closed on" in str(refused["view"]["blocks"])
    answered_before = len(emulator.responses())
    slack.command("survey", user=J1[0])
    app_server.wait_idle()
    assert len(emulator.responses()) == answered_before + 1
    assert "No survey is open" in latest_ephemeral(emulator, answered_before)
    assert responses(runtime) == []


def test_the_end_of_a_rotation_brings_one_survey_instead_of_the_quarterly(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    starts_on = TODAY - timedelta(weeks=13, days=2)  # the rotation was due two days ago
    rotation_day = _at(starts_on + timedelta(weeks=13))
    program_id, _ = program_of_pairs(
        runtime,
        emulator,
        starts_on=starts_on,
        pairs=[(J1, S1), (J2, S2)],
        started_at=_at(starts_on, 10),
        rotation_weeks=13,
        length_weeks=26,
        cadence=Cadence.MONTHLY,
    )
    add_learning(runtime, J1[0], "J1 round learning", _at(starts_on + timedelta(days=20)))
    # The quarter ends with the round: the quarterly survey waits for the rotation.
    tick_at(runtime, rotation_day - timedelta(days=1), rotation_day + timedelta(hours=1))
    assert surveys(runtime) == []
    preview = next(
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == ADMIN_CHANNEL and MatchIds.CONFIRM in str(c.args["blocks"])
    )
    run_id = next(
        e["value"]
        for b in preview.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == MatchIds.CONFIRM
    )
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=run_id,
        message_ts=preview.response["ts"],
    )

    def rotated() -> bool:
        with runtime.unit_of_work() as session:
            program = session.get(Program, program_id)
            return program is not None and program.current_round == 2

    wait_until(rotated)
    now = datetime.now(UTC)
    tick_at(runtime, *_every(now + timedelta(hours=1), now + timedelta(days=3), timedelta(hours=6)))
    tick_at(runtime, rotation_day + timedelta(days=9))  # past the quarterly survey's wait
    (survey,) = surveys(runtime)
    assert (survey.kind, survey.period) == (SurveyKind.ROTATION_END, "round-1")
    assert now - timedelta(minutes=5) < survey.opens_at <= now
    for person in (J1, S1, J2, S2):
        calls = dms(emulator, person[0])  # a reminder may have followed: the same survey
        assert kinds_of(calls)[:1] == ["survey"], person
        assert kinds_of(calls).count("survey") == 1, person
        assert all("round 1 reflection" in c.args["text"].lower() for c in calls), person
    text = str(dms(emulator, J1[0])[0].json("blocks"))
    assert "this round" in text
    assert "J1 round learning" in text


# -- when surveys open (pure) ---------------------------------------------------------------


def _program(**overrides: object) -> Program:
    values: dict[str, object] = {
        "id": 1,
        "workspace_id": 1,
        "name": "P",
        "status": ProgramStatus.ACTIVE,
        "starts_on": date(2026, 1, 5),
        "length_weeks": 52,
        "rotation_weeks": 26,
        "cadence": Cadence.BIWEEKLY,
        "current_round": 1,
    } | overrides
    return Program(**values)


Q1 = _at(date(2026, 1, 5) + timedelta(weeks=13))


def test_quarters_are_13_week_blocks_and_the_last_one_ends_with_the_program() -> None:
    assert [k for k, _ in quarter_ends(_program())] == [1, 2, 3, 4]
    assert quarter_ends(_program(length_weeks=12)) == [(1, date(2026, 3, 30))]
    assert [k for k, _ in quarter_ends(_program(length_weeks=30))] == [1, 2, 3]
    assert [k for k, _ in quarter_ends(_program(length_weeks=27))] == [1, 2]  # too short a stretch
    due = due_surveys(_program(), now=Q1 + timedelta(hours=1), rounds_ended={}, existing=[])
    assert due == [(SurveyKind.QUARTERLY, "q1", Q1)]
    assert due_surveys(_program(), now=Q1 + timedelta(days=15), rounds_ended={}, existing=[]) == []


def test_a_quarter_end_next_to_a_rotation_gives_way_to_it() -> None:
    program = _program(rotation_weeks=13)
    # Waiting for the scheduled rotation...
    assert due_surveys(program, now=Q1 + timedelta(days=3), rounds_ended={}, existing=[]) == []
    # ...which came early: only the rotation-end survey.
    early = Q1 - timedelta(days=2)
    moved = _program(rotation_weeks=13, current_round=2)
    assert due_surveys(moved, now=Q1 + timedelta(days=1), rounds_ended={1: early}, existing=[]) == [
        (SurveyKind.ROTATION_END, "round-1", early)
    ]
    # ...or never came: the quarterly survey opens when the wait is over.
    assert due_surveys(program, now=Q1 + timedelta(days=8), rounds_ended={}, existing=[]) == [
        (SurveyKind.QUARTERLY, "q1", Q1 + timedelta(days=7))
    ]
    # An unscheduled rotation days after a quarterly survey went out gets none of its own.
    sent = [(SurveyKind.QUARTERLY, "q1", Q1)]
    late = _program(current_round=2)
    assert (
        due_surveys(
            late,
            now=Q1 + timedelta(days=4),
            rounds_ended={1: Q1 + timedelta(days=3)},
            existing=sent,
        )
        == []
    )
    # A round the program moved past without a recorded rotation ends on its scheduled date.
    quiet = _program(rotation_weeks=4, current_round=2)
    round_end = _at(date(2026, 1, 5) + timedelta(weeks=4))
    assert due_surveys(quiet, now=round_end + timedelta(days=1), rounds_ended={}, existing=[]) == [
        (SurveyKind.ROTATION_END, "round-1", round_end)
    ]
