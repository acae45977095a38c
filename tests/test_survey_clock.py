"""The injected clock end to end (issue 8): a survey sent by a tick in simulated time opens
when its button is pressed at that time, and stays shut when the clock is before its date.

Before the clock was injected, `twoway tick --now` months ahead sent the survey DM, but its
button read the wall clock and answered "This survey isn't open yet".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.services.surveys import QUESTIONS
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.surveys import SurveyIds
from models.enums import Cadence, SurveyKind
from tests.support.app_server import AppServer
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests
from tests.support.survey_flows import (
    answer_value,
    answers,
    dms,
    program_of_pairs,
    responses,
    submit,
    surveys,
)

JUNIOR = ("U0CLKJUN01", "Europe/London", 9, 17)
SENIOR = ("U0CLKSEN01", "Europe/Berlin", 9, 17)
NOT_OPEN = "isn't open yet"


def _next_monday(after: date) -> date:
    return after + timedelta(days=7 - after.weekday())


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _opened(emulator: SlackEmulator) -> list[RecordedCall]:
    return [c for c in emulator.calls("views.open") if c.ok]


def _answered_texts(emulator: SlackEmulator) -> list[str]:
    """Everything the app answered through response URLs (ephemeral replies)."""
    return [str(r.get("text", "")) for r in emulator.responses()]


def _press(
    slack: SlackRequests, app_server: AppServer, *, user: str, value: str, channel: str
) -> None:
    click(
        slack,
        user=user,
        action_id=SurveyIds.ANSWER,
        value=value,
        channel=channel,
        block_id=f"survey-{value}",
    )
    app_server.wait_idle()


def test_a_survey_sent_in_simulated_time_is_answered_at_that_time_and_shut_before_it(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    # A program that starts on a Monday to come; its first quarter ends 13 weeks later,
    # months ahead of the wall clock (a Monday, so the DM is due in working hours).
    starts_on = _next_monday(datetime.now(UTC).date())
    opens_at = _at(starts_on + timedelta(weeks=13), 9)
    survey_instant = opens_at + timedelta(hours=3)
    assert survey_instant > datetime.now(UTC) + timedelta(weeks=12)
    program_of_pairs(
        runtime,
        emulator,
        starts_on=starts_on,
        pairs=[(JUNIOR, SENIOR)],
        started_at=_at(starts_on, 10),
        rotation_weeks=26,
        length_weeks=52,
        cadence=Cadence.MONTHLY,
    )
    clock = SettableClock(survey_instant)
    runtime.clock = clock

    # The scheduler, run at the survey's instant, sends the survey DM.
    run_tick(runtime, survey_instant)
    (survey,) = surveys(runtime)
    assert (survey.kind, survey.period, survey.opens_at) == (SurveyKind.QUARTERLY, "q1", opens_at)
    (dm,) = [c for c in dms(emulator, JUNIOR[0]) if "reflection survey" in c.args["text"]]
    value, channel = answer_value(dm), dm.args["channel"]
    assert value == str(survey.id)

    # Pressed at that same instant: the modal opens, nothing is refused.
    _press(slack, app_server, user=JUNIOR[0], value=value, channel=channel)
    assert _answered_texts(emulator) == []
    (opened,) = _opened(emulator)
    view, view_id = opened.json("view"), str(opened.response["view"]["id"])
    assert view["submit"]["text"] == "Submit"
    saved = submit(slack, user=JUNIOR[0], view=view, view_id=view_id, values=answers(4))
    assert saved["response_action"] == "update"
    assert "saved" in str(saved["view"]["blocks"])
    (stored,) = responses(runtime)
    assert stored.likert == dict.fromkeys(QUESTIONS, 4)
    assert stored.submitted_at == survey_instant  # the injected clock's time, not the wall's

    # `/mentor survey` at that instant finds the same survey, prefilled; an edit keeps one row.
    slack.command("survey", user=JUNIOR[0])
    app_server.wait_idle()
    assert _answered_texts(emulator) == []
    _, again = _opened(emulator)
    view, view_id = again.json("view"), str(again.response["view"]["id"])
    assert (view["private_metadata"], view["submit"]["text"]) == (str(survey.id), "Update")
    saved = submit(slack, user=JUNIOR[0], view=view, view_id=view_id, values=answers(5))
    assert "updated" in str(saved["view"]["blocks"])
    (edited,) = responses(runtime)
    assert (edited.id, edited.likert) == (stored.id, dict.fromkeys(QUESTIONS, 5))
    assert not any(NOT_OPEN in text for text in _answered_texts(emulator))

    # The clock back before the survey's date: the same press is refused politely,
    # `/mentor survey` finds nothing open, a submission changes nothing.
    clock.set(opens_at - timedelta(days=1))
    _press(slack, app_server, user=JUNIOR[0], value=value, channel=channel)
    (refusal,) = _answered_texts(emulator)
    assert NOT_OPEN in refusal
    assert len(_opened(emulator)) == 2
    slack.command("survey", user=JUNIOR[0])
    app_server.wait_idle()
    assert "No survey is open" in _answered_texts(emulator)[1]
    assert len(_answered_texts(emulator)) == 2
    assert len(_opened(emulator)) == 2
    early = submit(slack, user=JUNIOR[0], view=view, view_id="V0EARLY001", values=answers(1))
    assert NOT_OPEN in str(early["view"]["blocks"])
    (unchanged,) = responses(runtime)
    assert (unchanged.likert, unchanged.submitted_at) == (edited.likert, edited.submitted_at)
