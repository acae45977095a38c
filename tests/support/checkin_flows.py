"""Check-in flows for end-to-end tests: a pair with a held session, the check-in modal's
state as Slack sends it, and readers for what reached whose DM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.rhythm import period_of
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.checkins import CheckinIds as C
from bot.views.rhythm import RhythmIds
from models import MentoringSession
from models.enums import Cadence
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.flows import wait_until
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests

JUNIOR = ("U0JCHECK01", "Europe/Berlin", 8, 18)
SENIOR = ("U0SCHECK01", "America/New_York", 8, 18)


@dataclass(frozen=True)
class CheckinPair:
    pair_id: int
    channel: str  # the pair's group DM
    junior: str
    senior: str
    started: datetime


def make_checkin_pair(
    app_server: AppServer,
    emulator: SlackEmulator,
    *,
    junior: tuple[str, str, int, int] = JUNIOR,
    senior: tuple[str, str, int, int] = SENIOR,
    name: str = "Check-ins",
) -> CheckinPair:
    runtime = app_server.runtime
    started = datetime.now(UTC) - timedelta(days=1)
    program_id = make_program(runtime, name=name, starts_on=started.date(), cadence=Cadence.WEEKLY)
    pair_id, channel = active_pair(
        runtime, emulator, program_id=program_id, junior=junior, senior=senior, started_at=started
    )
    return CheckinPair(pair_id, channel, junior[0], senior[0], started)


def press_we_already_met(slack: SlackRequests, emulator: SlackEmulator, pair: CheckinPair) -> None:
    """The nudge's *We already met* button, as the junior presses it."""
    period = period_of(Cadence.WEEKLY, anchor=pair.started.date(), on=datetime.now(UTC).date())
    before = len(emulator.responses())
    click(
        slack,
        user=pair.junior,
        action_id=RhythmIds.MET,
        value=f"{pair.pair_id}:{period.key}",
        channel=pair.channel,
    )
    wait_until(lambda: len(emulator.responses()) > before)


def held_session_id(app_server: AppServer, pair_id: int) -> int:
    with app_server.runtime.unit_of_work() as session:
        found = session.scalar(
            select(MentoringSession.id)
            .where(MentoringSession.pair_id == pair_id)
            .order_by(MentoringSession.id.desc())
        )
    assert found is not None
    return found


def met_and_ticked(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> int:
    """Press *We already met*, run the scheduler a minute later; returns the session id."""
    press_we_already_met(slack, emulator, pair)
    run_tick(app_server.runtime, datetime.now(UTC) + timedelta(minutes=1))
    return held_session_id(app_server, pair.pair_id)


def dm_of(emulator: SlackEmulator, user_id: str) -> str:
    """The channel id of the bot's DM with a user."""
    return emulator.workspace.open_im(user_id)[0]


def posts(emulator: SlackEmulator) -> list[RecordedCall]:
    """Successful chat.postMessage calls."""
    return [c for c in emulator.calls("chat.postMessage") if c.ok]


def posts_to(emulator: SlackEmulator, user_id: str) -> list[RecordedCall]:
    """Successful posts that landed in the bot's DM with `user_id`."""
    channel = dm_of(emulator, user_id)
    return [c for c in posts(emulator) if c.response.get("channel") == channel]


def checkin_prompts(emulator: SlackEmulator, user_id: str) -> list[RecordedCall]:
    return [c for c in posts_to(emulator, user_id) if "Answer the check-in" in str(c.args)]


def open_checkin(
    slack: SlackRequests, emulator: SlackEmulator, *, user: str, session_id: int
) -> tuple[dict[str, Any], str]:
    """Press *Answer the check-in* and answer the first step "Yes, we met"; returns the
    second step (what the modal became) and the modal's id."""
    view, view_id = open_first_step(slack, emulator, user=user, session_id=session_id)
    response = submit_view(
        slack, user=user, view=view, view_id=view_id, values=outcome_values("met")
    ).json()
    assert response["response_action"] == "update", response
    return response["view"], view_id


def outcome_values(outcome: str) -> dict[str, dict[str, dict[str, Any]]]:
    """`view.state.values` of the first step: did you meet?"""
    return {
        C.OUTCOME: {
            C.OUTCOME: {
                "type": "radio_buttons",
                "selected_option": {
                    "text": {"type": "plain_text", "text": outcome},
                    "value": outcome,
                },
            }
        }
    }


def open_first_step(
    slack: SlackRequests, emulator: SlackEmulator, *, user: str, session_id: int
) -> tuple[dict[str, Any], str]:
    """Press *Answer the check-in*; returns the modal as views.open answered and its id."""
    before = len([c for c in emulator.calls("views.open") if c.ok])
    click(
        slack, user=user, action_id=C.ANSWER, value=str(session_id), channel=dm_of(emulator, user)
    )
    wait_until(lambda: len([c for c in emulator.calls("views.open") if c.ok]) > before)
    opened = [c for c in emulator.calls("views.open") if c.ok][before]
    return opened.json("view"), opened.response["view"]["id"]


def _text(block: str, value: str | None) -> dict[str, dict[str, Any]]:
    return {block: {block: {"type": "plain_text_input", "value": value}}}


def checkin_values(
    *,
    outcome: str = "met",
    minutes: str | None = "30",
    learning: str | None = "Slash commands save me a lot of clicking",
    share: bool = False,
    action: str | None = None,
    due: str | None = None,
    what: str | None = None,
    effect: str | None = None,
    suggestion: str | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """`view.state.values` of the check-in modal as Slack sends it (with the first step's
    answer, as a one-step modal had it: the second step reads it when present)."""
    shared = [{"text": {"type": "plain_text", "text": "Share"}, "value": "shared"}]
    return {
        **outcome_values(outcome),
        C.MINUTES: {C.MINUTES: {"type": "number_input", "value": minutes}},
        **_text(C.LEARNING, learning),
        C.SHARE: {C.SHARE: {"type": "checkboxes", "selected_options": shared if share else []}},
        **_text(C.ACTION_ITEM, action),
        C.ACTION_ITEM_DUE: {C.ACTION_ITEM_DUE: {"type": "datepicker", "selected_date": due}},
        **_text(C.FEEDBACK_WHAT, what),
        **_text(C.FEEDBACK_EFFECT, effect),
        **_text(C.FEEDBACK_SUGGESTION, suggestion),
    }


def answer_checkin(
    slack: SlackRequests,
    emulator: SlackEmulator,
    *,
    user: str,
    session_id: int,
    **answers: Any,
) -> Any:
    """Answer the check-in's first step and, when met, its second (only what applies);
    returns the HTTP response to the last submission."""
    outcome = answers.get("outcome", "met")
    if outcome != "met":  # nothing more to ask: the first step saves it
        view, view_id = open_first_step(slack, emulator, user=user, session_id=session_id)
        return submit_view(
            slack, user=user, view=view, view_id=view_id, values=outcome_values(outcome)
        )
    view, view_id = open_checkin(slack, emulator, user=user, session_id=session_id)
    values = checkin_values(**answers)
    del values[C.OUTCOME]  # the second step does not ask it again
    return submit_view(slack, user=user, view=view, view_id=view_id, values=values)


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
