"""What people read every week, end to end: nudges, agendas, `/mentor next`, match reasons.

Each checks the words a person sees in Slack (through the emulator), not internal codes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from models import Goal, Participant
from models.enums import Cadence, Role
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.flows import JUNIOR, SENIOR, matched_pair
from tests.support.slack_requests import SlackRequests

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
J = ("U0JWORDS01", "Europe/Berlin", 9, 17)
S = ("U0SWORDS01", "Europe/London", 9, 17)


def _blocks_of(emulator: SlackEmulator, channel: str, text: str) -> list[str]:
    """The rendered blocks of messages Slack took in `channel` whose text starts so."""
    return [
        str(c.json("blocks"))
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == channel and c.args.get("text", "").startswith(text)
    ]


def test_nudges_agendas_and_next_read_like_a_person_wrote_them(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(START)
    program_id = make_program(runtime, name="Words", starts_on=START.date(), cadence=Cadence.WEEKLY)
    pair_id, channel = active_pair(
        runtime, emulator, program_id=program_id, junior=J, senior=S, started_at=START
    )
    with runtime.unit_of_work() as session:
        junior_id = session.query(Participant.id).filter(Participant.role == Role.JUNIOR).scalar()
        for text, days in (("Ship the team dashboard", 5), ("Speak at the all-hands", 60)):
            session.add(Goal(pair_id=pair_id, owner_id=junior_id, text=text, indicator="done",
                             target_on=START.date() + timedelta(days=days)))  # fmt: skip

    before_any_nudge = str(slack.command("next", user=J[0]).json()["blocks"])
    assert "latest nudge" not in before_any_nudge  # there is none yet
    assert "Your first nudge" in before_any_nudge

    run_tick(runtime, START)  # plans the first nudges; none is due yet
    planned = str(slack.command("next", user=J[0]).json()["blocks"])
    assert "latest nudge" not in planned
    assert "Your first nudge arrives <!date^" in planned
    assert "Ship the team dashboard" in planned  # a goal due within the period
    assert "Speak at the all-hands" not in planned

    now = START
    while now < START + timedelta(days=9):
        now += timedelta(hours=3)
        run_tick(runtime, now)
    first, second = _blocks_of(emulator, channel, "Time for your next")[:2]
    assert "your first *30-minute* session" in first
    assert "too" not in first  # nothing to repeat the first time
    assert f"<@{J[0]}> leads the agenda" in first
    assert f"<@{J[0]}> leads the agenda again" in second

    agenda = _blocks_of(emulator, channel, "Your 30-minute agenda")[0]
    assert "Agenda for your 30-minute session" in agenda
    assert "Agenda(" not in agenda
    assert "No time is picked yet" in agenda
    assert "Your session:" not in agenda  # never a sentence that stops halfway
    assert "Target dates coming up" in agenda
    assert "Ship the team dashboard (by Sat 7 Mar)" in agenda
    assert "Speak at the all-hands" not in agenda

    runtime.clock = SettableClock(now)
    after = str(slack.command("next", user=J[0]).json()["blocks"])
    assert "use *Pick a time* on your latest nudge" in after


def test_match_reasons_are_a_sentence_and_the_preview_has_no_score(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    matched_pair(slack, emulator, app_server)

    (preview,) = [
        str(c.json("blocks"))
        for c in emulator.calls("chat.postMessage")
        if c.ok and "Match preview" in c.args["text"]
    ]
    (intro,) = [
        str(c.json("blocks"))
        for c in emulator.calls("chat.postMessage")
        if "Set my goals" in str(c.args.get("blocks"))
    ]
    sentence = (
        f"<@{JUNIOR}> can show <@{SENIOR}> AI tools, which <@{SENIOR}> wants to learn; "
        f"<@{SENIOR}> can guide <@{JUNIOR}> on strategy, which <@{JUNIOR}> wants to learn"
    )
    assert sentence in intro
    assert sentence in preview
    for text in (intro, preview):
        assert "score" not in text
        assert "can share:" not in text  # the old machine-like "junior can share: ..."
        assert "both speak: " not in text
        assert "{junior}" not in text
