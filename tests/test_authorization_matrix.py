"""The authorization matrix, proven from outside (SECURITY.md points here).

Every coordinator command is refused to a participant in the admin channel and to a
coordinator outside it, and audited; every button the bot put in a pair's or a person's
conversation is refused to an outsider and to a member of another pair. Refused people
change nothing: no row anywhere (beyond the audit log and the request log) and no message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import column, func, select, table

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.rhythm import RhythmIds
from handlers import discover_features
from models.enums import Cadence
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.interactions import click
from tests.support.row_counts import STATE_TABLES, row_counts
from tests.support.slack_requests import SlackRequests

NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # a Wednesday, inside everyone's hours
PAIR = (("U0AZJUN001", "Europe/Berlin", 8, 18), ("U0AZSEN001", "Europe/Berlin", 8, 18))
OTHER = (("U0AZJUN002", "Europe/Berlin", 8, 18), ("U0AZSEN002", "Europe/Berlin", 8, 18))
OUTSIDER = "U0JUNIOR01"  # in the workspace, in no program
TABLES = [t for t in STATE_TABLES if t != "dm_channels"]
GENERIC = "something went wrong on our side"


def _counts(app_server: AppServer) -> dict[str, int]:
    return row_counts(app_server, TABLES)


def _denied_audits(app_server: AppServer) -> int:
    with app_server.runtime.unit_of_work() as session:
        audit = table("audit_log")
        return (
            session.scalar(select(func.count()).select_from(audit).where(re_outcome_denied())) or 0
        )


def re_outcome_denied() -> Any:

    return column("outcome") == "denied"


@pytest.fixture
def program(app_server: AppServer, emulator: SlackEmulator) -> dict[str, Any]:
    """Two active pairs with this week's nudge and agenda sent; the app's clock at NOW."""
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    started = NOW - timedelta(days=1)
    program_id = make_program(
        runtime, name="Matrix", starts_on=started.date(), cadence=Cadence.WEEKLY
    )
    pair_id, channel = active_pair(
        runtime, emulator, program_id=program_id, junior=PAIR[0], senior=PAIR[1], started_at=started
    )
    active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=OTHER[0],
        senior=OTHER[1],
        started_at=started,
    )
    for hours in range(0, 24 * 6, 2):
        run_tick(runtime, NOW + timedelta(hours=hours) - timedelta(days=1))
    return {"program_id": program_id, "pair_id": pair_id, "channel": channel}


def _buttons(emulator: SlackEmulator, channels: set[str]) -> list[tuple[str, str, str, str]]:
    """(channel, ts, action id, value) of every button the bot posted in those channels."""
    found = []
    for call in emulator.calls("chat.postMessage"):
        if not call.ok or call.response["channel"] not in channels:
            continue
        for block in call.json("blocks") or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("type") == "button" and "url" not in element:
                    found.append(
                        (
                            call.response["channel"],
                            call.response["ts"],
                            element["action_id"],
                            element.get("value", ""),
                        )
                    )
    return found


def test_every_pair_button_is_refused_to_outsiders_and_other_pairs(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    program: dict[str, Any],
) -> None:
    buttons = _buttons(emulator, {program["channel"]})
    action_ids = {action_id for _, _, action_id, _ in buttons}
    assert {RhythmIds.PICK_TIME, RhythmIds.MET, RhythmIds.SKIP} <= action_ids, action_ids
    app_server.wait_idle()
    before, posts = _counts(app_server), len(emulator.calls("chat.postMessage"))
    answered, modals = len(emulator.responses()), len(emulator.calls("views.open"))
    clicks = 0
    for stranger in (OUTSIDER, OTHER[0][0]):
        for channel, ts, action_id, value in buttons:
            click(
                slack,
                user=stranger,
                action_id=action_id,
                value=value,
                channel=channel,
                message_ts=ts,
            )
            clicks += 1
    app_server.wait_idle()
    answers = [r.get("text", "") for r in emulator.responses()[answered:]]
    assert len(answers) == clicks  # each stranger is told, once per click
    assert not [a for a in answers if GENERIC in a]
    assert all(re.search(r"pair|yours|belong|only", a) for a in answers), answers
    assert _counts(app_server) == before
    assert len(emulator.calls("chat.postMessage")) == posts
    assert len(emulator.calls("views.open")) == modals  # no form opens for a stranger


def _admin_texts() -> list[str]:
    """Each coordinator subcommand as a person would type it (placeholders filled)."""
    texts = []
    for command in discover_features().commands():
        if command.coordinators_only:
            words = command.usage.replace("[program]", "").replace("NAME", "Matrix").split()
            texts.append(" ".join(w for w in words if not w.startswith("[")))
    return texts


def test_every_coordinator_command_is_refused_and_audited_for_others(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    program: dict[str, Any],
) -> None:
    texts = _admin_texts()
    assert len(texts) >= 7
    app_server.wait_idle()
    before, audits = _counts(app_server), _denied_audits(app_server)
    answered = len(emulator.responses())
    attempts = [(PAIR[0][0], ADMIN_CHANNEL, text) for text in texts] + [
        (COORDINATOR, "C0GENERAL1", text) for text in texts if text != "admin channel"
    ]
    for user, channel, text in attempts:
        slack.command(text, user=user, channel=channel)
        app_server.wait_idle()  # answers arrive in the order asked, to pair them up below
    answers = [r.get("text", "") for r in emulator.responses()[answered:]]
    assert len(answers) == len(attempts)
    for (user, _, text), answer in zip(attempts, answers, strict=True):
        expected = "for program coordinators" if user != COORDINATOR else "admin channel"
        assert expected in answer, (user, text, answer)
    assert _denied_audits(app_server) == audits + len(attempts)
    after = _counts(app_server)
    assert {t: n for t, n in after.items() if t != "members"} == {
        t: n for t, n in before.items() if t != "members"
    }
    assert after["members"] == before["members"]  # refused people leave no profile behind
