"""A pair that stops meeting gets one gentle note after 2 periods, and the coordinators one
alert after 3 (with who skipped how often, counted per person); never again for that stall."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.services.sessions import record_held, record_skip
from bot.slack_emulator import SlackEmulator
from models import Participant
from models.enums import Cadence, Role
from tests.conftest import ADMIN_CHANNEL
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
JUNIOR = ("U0JSTALL01", "Europe/Berlin", 9, 17)
SENIOR = ("U0SSTALL01", "Europe/Paris", 9, 17)


def _notes(emulator: SlackEmulator, channel: str) -> list[str]:
    return [
        c.args["text"]
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == channel and c.args["text"].startswith("It's been a while")
    ]


def _alerts(emulator: SlackEmulator) -> list[str]:
    return [
        c.args["text"]
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == ADMIN_CHANNEL and "without a session" in c.args["text"]
    ]


def _days(runtime, first: int, last: int) -> None:
    for day in range(first, last + 1):
        run_tick(runtime, START + timedelta(days=day, hours=2))


def test_stall_note_then_one_alert_then_reset_after_a_session(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    runtime = app_server.runtime
    program_id = make_program(
        runtime, name="Stalls", starts_on=date(2026, 3, 2), cadence=Cadence.WEEKLY
    )
    pair_id, channel = active_pair(
        runtime, emulator, program_id=program_id, junior=JUNIOR, senior=SENIOR, started_at=START
    )
    with runtime.unit_of_work() as session:
        senior_id = session.scalar(select(Participant.id).where(Participant.role == Role.SENIOR))
        for day in (3, 10):  # the senior skipped twice
            record_skip(
                session,
                pair_id=pair_id,
                by_participant_id=senior_id,
                reason="busy",
                at=START + timedelta(days=day),
            )

    _days(runtime, 0, 13)  # one whole week missed: nothing yet
    assert _notes(emulator, channel) == []
    _days(runtime, 14, 20)  # two whole weeks missed: a gentle note, no alert
    assert len(_notes(emulator, channel)) == 1
    (note,) = [
        str(c.json("blocks"))
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["text"].startswith("It's been a while")
    ]
    assert "you haven't had a session in 2 weeks" in note
    assert "period" not in note  # people count weeks; "round" means a matching round
    assert "round" not in note
    assert _alerts(emulator) == []
    _days(runtime, 21, 34)  # three, four weeks: still one note, and one alert
    assert len(_notes(emulator, channel)) == 1
    (alert,) = _alerts(emulator)
    assert "has gone 3 weeks without a session (3 missed in a row)" in alert  # not "periods"
    assert "period" not in alert
    assert f"<@{SENIOR[0]}> 2" in alert  # skips counted per person
    assert f"Last to answer: <@{SENIOR[0]}>" in alert
    assert "busy" not in alert  # reasons stay in the records

    with runtime.unit_of_work() as session:  # they meet again: the stall is over
        record_held(
            session, pair_id=pair_id, held_at=START + timedelta(days=35), minutes=30, source="nudge"
        )
    _days(runtime, 35, 55)
    assert len(_notes(emulator, channel)) == 1
    _days(runtime, 56, 58)  # ...and a new stall gets a new note
    assert len(_notes(emulator, channel)) == 2
    assert len(_alerts(emulator)) == 1
