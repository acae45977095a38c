"""`twoway demo`: a whole program quarter, scripted, through the playground's machinery.

The real app on its own SQLite file, the emulator as Slack, signed requests for everything
people do and the real scheduler for the passing weeks: a coordinator creates a program,
people join through the modal, the coordinator confirms a match, and then, week by week,
pairs meet, answer their check-ins (with feedback for the partner), follow up on action
items and answer the reflection survey, while one pair never answers and stalls. At the
rotation the coordinator confirms the next round. What people received is kept with the
simulated instant it arrived, for the transcripts printed at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.flows.reports import write_report
from bot.playground.autofill import fill
from bot.playground.launch import Running, start_in_thread
from bot.playground.mrkdwn import Reader
from bot.playground.people import (
    ADMIN_CHANNEL,
    COORDINATOR,
    JUNIORS,
    PEOPLE,
    PROGRAM_NAME,
    SENIORS,
    Person,
)
from bot.playground.seed import create_program, join
from bot.playground.transcript import transcript
from bot.playground.world import Playground
from bot.slack_emulator.browse import conversations_of, im_id
from bot.slack_emulator.recording import RecordedCall
from bot.views.checkins import CheckinIds
from bot.views.learning_log import ActionItemIds
from bot.views.matching import MatchIds
from bot.views.rhythm import RhythmIds
from bot.views.surveys import SurveyIds

START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday morning
WEEKS = 14  # a quarter, and the rotation that ends it
PROGRAM_WEEKS = 26
ROTATION_WEEKS = 13
MAX_MODAL_STEPS = 4  # a form answered in at most this many steps (pushed or updated views)

Progress = Callable[[str], None]


@dataclass
class Seen:
    """A message as a person found it: where, when (simulated) and its kind."""

    channel: str
    message: dict[str, Any]
    at: datetime
    kind: str


@dataclass
class DemoResult:
    seen: list[Seen] = field(default_factory=list)
    pair_channel: str = ""
    pair_people: tuple[str, str] = ("", "")
    person: Person | None = None
    stalled_channel: str = ""
    pair_transcript: str = ""
    person_transcript: str = ""
    ticks: int = 0

    def kinds(self, channel: str | None = None) -> list[str]:
        """Kinds of message in the order they arrived (in one conversation, or all)."""
        return [s.kind for s in self.seen if channel is None or s.channel == channel]


def message_kind(message: Mapping[str, Any]) -> str:
    """What a message is, read from the controls it offers or its words (for the checks
    on the transcript, not for people)."""
    actions = {
        str(element.get("action_id", ""))
        for block in message.get("blocks") or []
        for element in [*block.get("elements", []), block.get("accessory") or {}]
        if isinstance(element, dict)
    }
    text = str(message.get("text", "")).lower()
    for action_id, kind in (
        (MatchIds.CONFIRM.value, "match preview"),
        (RhythmIds.MET.value, "nudge"),
        (CheckinIds.ANSWER.value, "check-in"),
        (SurveyIds.ANSWER.value, "survey"),
        (ActionItemIds.DONE.value, "action item follow-up"),
    ):
        if action_id in actions:
            return kind
    for words, kind in (
        ("agenda", "agenda"),
        ("feedback", "feedback"),
        ("been a while", "stall note"),
        ("without a session", "stall alert"),
        ("meet your", "intro"),
        ("say hello", "intro"),
        ("intro", "intro"),
        ("rotation", "rotation"),
    ):
        if words in text:
            return kind
    return "other"


def _buttons(message: Mapping[str, Any], action_id: str) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks") or []:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                found.append({**element, "block_id": block.get("block_id", "")})
    return found


class Script:
    """What everyone does, reacting to what arrived since they last looked."""

    def __init__(self, running: Running, cast: list[Person], result: DemoResult) -> None:
        self.running = running
        self.world: Playground = running.world
        self.cast = cast
        self.result = result
        self._last_ts: str | None = None  # the newest message already looked at
        self._ims = {im_id(self.world.emulator.workspace, p.user_id): p for p in cast}

    def press(self, user_id: str, channel: str, message: Mapping[str, Any], button: dict) -> None:
        self.world.action(
            user_id, action=button, channel_id=channel, message_ts=str(message.get("ts"))
        )
        self.answer_modals(user_id)

    def answer_modals(self, user_id: str) -> None:
        """Answer every modal this press opened, step by step, as a cooperative person."""
        for _ in range(MAX_MODAL_STEPS):
            stack = self.world.modal_stack(user_id)
            if not stack:
                return
            top = stack[-1]
            if not any(block.get("type") == "input" for block in top.get("blocks", [])):
                break  # a confirmation: read, then closed
            outcome = self.world.submit(
                user_id, str(top["id"]), fill(top, today=self.world.clock.now().date())
            )
            if not outcome.ok:
                raise RuntimeError(f"the app refused a demo form: {outcome.errors or outcome}")
            if self.world.modal_stack(user_id) == stack:
                self.world.close_modal(user_id)  # closed by the app's answer
                return
        self.world.close_modal(user_id)

    def look(self) -> None:
        """Everything new since the last look is recorded, then reacted to."""
        fresh: list[tuple[str, dict[str, Any]]] = []
        for message in self.world.emulator.messages(after=self._last_ts):
            self._last_ts = str(message["ts"])
            channel = str(message.get("channel"))
            kind = message_kind(message)
            self.result.seen.append(Seen(channel, message, self.world.clock.now(), kind))
            fresh.append((channel, message))
        for channel, message in fresh:
            self.react(channel, message)

    def react(self, channel: str, message: Mapping[str, Any]) -> None:
        if channel == ADMIN_CHANNEL:
            for button in _buttons(message, MatchIds.CONFIRM.value):
                self.press(COORDINATOR.user_id, channel, message, button)
            return
        if channel == self.result.stalled_channel:
            return  # this pair never answers: the scheduler notices
        person = self._ims.get(channel)
        if person is None:  # a pair's group DM: the junior says they met
            members = self._members(channel)
            junior = next(
                (p for p in self.cast if p.user_id in members and p.role == "junior"), None
            )
            for button in _buttons(message, RhythmIds.MET.value)[:1]:
                if junior is not None:
                    self.press(junior.user_id, channel, message, button)
            return
        if person.user_id in self.result.pair_people and self._stalled(person.user_id):
            return
        for action_id in (CheckinIds.ANSWER, SurveyIds.ANSWER, ActionItemIds.DONE):
            for button in _buttons(message, action_id.value)[:1]:
                self.press(person.user_id, channel, message, button)

    def _members(self, channel: str) -> list[str]:
        for conversation in conversations_of(self.world.emulator.workspace, COORDINATOR.user_id):
            if conversation["id"] == channel:
                return list(conversation["members"])
        for person in self.cast:
            for conversation in conversations_of(self.world.emulator.workspace, person.user_id):
                if conversation["id"] == channel:
                    return list(conversation["members"])
        return []

    def _stalled(self, user_id: str) -> bool:
        return user_id in self._members(self.result.stalled_channel)

    def pair_channels(self) -> list[str]:
        channels = {
            c["id"]
            for p in self.cast
            for c in conversations_of(self.world.emulator.workspace, p.user_id)
            if c["kind"] == "mpim"
        }
        return sorted(channels)


def choose_cast(people: int) -> list[Person]:
    """Half seniors, half juniors (at least one pair), from the playground's people."""
    per_side = max(1, min(people // 2, len(SENIORS), len(JUNIORS)))
    return [*SENIORS[:per_side], *JUNIORS[:per_side]]


def _reader(world: Playground, person: Person) -> Reader:
    names = {p.user_id: p.name for p in PEOPLE}
    names[world.emulator.bot_user_id] = "twoway"
    return Reader(users=names, timezone=person.timezone, now=world.clock.now())


def run_demo(
    database: Path,
    *,
    people: int = 24,
    weeks: int = WEEKS,
    progress: Progress = lambda _: None,
    keep_calls: Callable[[list[RecordedCall]], object] | None = None,
    report_out: Path | None = None,
) -> DemoResult:
    """Run the scripted program; `database` is the demo's own SQLite file (made fresh).
    `keep_calls` receives every Web API call the app made (for checks) before the end;
    `report_out` receives the coordinator's impact report (HTML, Markdown, PNGs, CSVs)."""
    result = DemoResult()
    cast = choose_cast(people)
    running = start_in_thread(database, now=START)
    try:
        world = running.world
        create_program(world, length_weeks=PROGRAM_WEEKS, rotation_weeks=ROTATION_WEEKS)
        for person in cast:
            join(world, person)
        progress(f"{len(cast)} people joined the program through /mentor join")
        script = Script(running, cast, result)
        world.command(COORDINATOR.user_id, ADMIN_CHANNEL, "/mentor admin match")
        script.look()  # the preview arrives; the coordinator confirms it
        world.tick()
        pairs = script.pair_channels()
        if not pairs:
            raise RuntimeError("the match made no pairs")
        result.stalled_channel = pairs[-1] if len(pairs) > 1 else ""
        result.pair_channel = pairs[0]
        members = script._members(result.pair_channel)
        pair = [p for p in cast if p.user_id in members]
        result.pair_people = (pair[0].user_id, pair[-1].user_id)
        result.person = next((p for p in pair if p.role == "junior"), pair[0])
        progress(f"matched {len(pairs)} pairs; one of them will not answer and stall")
        script.look()
        end = START + timedelta(weeks=weeks)
        week = 0
        while world.clock.now() < end:
            world.next_due()
            result.ticks += 1
            script.look()
            reached = (world.clock.now() - START).days // 7
            if reached > week:
                week = reached
                progress(f"week {week}/{weeks}: {len(result.seen)} messages so far")
        reader = _reader(world, result.person)
        by_channel = [(s.message, s.at) for s in result.seen if s.channel == result.pair_channel]
        result.pair_transcript = transcript(by_channel, reader)
        own = im_id(world.emulator.workspace, result.person.user_id)
        result.person_transcript = transcript(
            [(s.message, s.at) for s in result.seen if s.channel == own], reader
        )
        if report_out is not None:
            progress("writing the coordinator's impact report")
            write_report(
                world.runtime,
                program=PROGRAM_NAME,
                quarter=None,
                out=report_out,
                now=world.clock.now(),
            )
        if keep_calls is not None:
            keep_calls(world.emulator.calls())
        return result
    finally:
        running.stop()


def write_outputs(result: DemoResult, out: Path) -> list[Path]:
    """The two transcripts as text files in `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        ("pair-dm.txt", result.pair_transcript),
        ("own-dm.txt", result.person_transcript),
    ):
        path = out / name
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written
