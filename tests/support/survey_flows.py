"""Survey helpers: a program of pairs, the DMs a person got, the modal, its answers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.scheduler.tick import run_tick
from bot.services.surveys import QUESTIONS, REFLECTIONS
from bot.slack.pacing import Pacing
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.surveys import SurveyIds, question_block_id, reflection_block_id
from models import Learning, Member, Participant, Survey, SurveyResponse
from tests.support.factories import active_pair, make_program
from tests.support.flows import wait_until
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests

Person = tuple[str, str, int, int]  # user id, timezone, work start hour, work end hour


def program_of_pairs(
    runtime: Runtime,
    emulator: SlackEmulator,
    *,
    starts_on: date,
    pairs: Iterable[tuple[Person, Person]],
    started_at: datetime,
    **overrides: object,
) -> tuple[int, list[tuple[int, str]]]:
    """An active program with introduced round-1 pairs: (program id, [(pair id, channel)]).

    Slack's pacing (a second between two posts to one channel) is lifted: simulated weeks
    pass in a few ticks here, and pacing has tests of its own.
    """
    runtime.pacing = Pacing(channel_interval=0.0, workspace_per_second=1e6, workspace_burst=1e6)
    program_id = make_program(runtime, name=f"Survey {starts_on}", starts_on=starts_on, **overrides)
    made = [
        active_pair(
            runtime, emulator, program_id=program_id, junior=j, senior=s, started_at=started_at
        )
        for j, s in pairs
    ]
    return program_id, made


def tick_at(runtime: Runtime, *moments: datetime) -> None:
    for moment in moments:
        run_tick(runtime, moment)


def participant_id(runtime: Runtime, user_id: str) -> int:
    with runtime.unit_of_work() as session:
        found = session.scalar(
            select(Participant.id)
            .join(Member, Member.id == Participant.member_id)
            .where(Member.slack_user_id == user_id)
        )
        assert found is not None
        return found


def add_learning(runtime: Runtime, user_id: str, text: str, at: datetime) -> None:
    pid = participant_id(runtime, user_id)
    with runtime.unit_of_work() as session:
        session.add(Learning(participant_id=pid, text=text, created_at=at, updated_at=at))


def surveys(runtime: Runtime) -> list[Survey]:
    with runtime.unit_of_work() as session:
        return list(session.scalars(select(Survey).order_by(Survey.id)))


def responses(runtime: Runtime) -> list[SurveyResponse]:
    with runtime.unit_of_work() as session:
        return list(session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))


def dm_channel(emulator: SlackEmulator, user_id: str) -> str | None:
    """The bot's DM with one person, as conversations.open answered it."""
    for call in emulator.calls("conversations.open"):
        users = call.args.get("users")
        users = users.split(",") if isinstance(users, str) else list(users or [])
        if call.ok and users == [user_id]:
            return str(call.response["channel"]["id"])
    return None


def dms(emulator: SlackEmulator, user_id: str) -> list[RecordedCall]:
    """Successful posts into the person's own DM, in order."""
    channel = dm_channel(emulator, user_id)
    return [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and channel is not None and c.args["channel"] == channel
    ]


def kinds_of(calls: list[RecordedCall]) -> list[str]:
    """ "survey" or "reminder" for each survey message."""
    return ["reminder" if c.args["text"].startswith("Reminder") else "survey" for c in calls]


def answer_value(call: RecordedCall) -> str:
    return next(
        e["value"]
        for b in call.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == SurveyIds.ANSWER
    )


def open_modal(
    slack: SlackRequests, emulator: SlackEmulator, *, user: str, value: str, channel: str
) -> tuple[dict[str, Any], str]:
    """Press *Answer the survey*; the modal views.open answered with, and its id."""
    before = len([c for c in emulator.calls("views.open") if c.ok])
    click(
        slack,
        user=user,
        action_id=SurveyIds.ANSWER,
        value=value,
        channel=channel,
        block_id=f"survey-{value}",
    )
    wait_until(lambda: len([c for c in emulator.calls("views.open") if c.ok]) > before)
    opened = [c for c in emulator.calls("views.open") if c.ok][before]
    return opened.json("view"), str(opened.response["view"]["id"])


def answers(
    scores: dict[str, int] | int = 4, reflections: dict[str, str] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """`view.state.values` as Slack sends the survey modal's."""
    by_key = scores if isinstance(scores, dict) else dict.fromkeys(QUESTIONS, scores)
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for key in QUESTIONS:
        score = by_key.get(key)
        selected = (
            {"value": str(score), "text": {"type": "plain_text", "text": str(score)}}
            if score is not None
            else None
        )
        values[question_block_id(key)] = {
            SurveyIds.QUESTION: {"type": "radio_buttons", "selected_option": selected}
        }
    for key in REFLECTIONS:
        values[reflection_block_id(key)] = {
            SurveyIds.REFLECTION: {
                "type": "plain_text_input",
                "value": (reflections or {}).get(key),
            }
        }
    return values


def submit(
    slack: SlackRequests,
    *,
    user: str,
    view: dict[str, Any],
    view_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    """Submit the modal; the app's JSON answer ({} when it just closed)."""
    response = submit_view(slack, user=user, view=view, view_id=view_id, values=values)
    assert response.status_code == 200
    return json.loads(response.text) if response.text else {}


def latest_ephemeral(emulator: SlackEmulator, after: int) -> str:
    wait_until(lambda: len(emulator.responses()) > after)
    return str(emulator.responses()[-1].get("text", ""))
