"""The coordinator paths never show a private text.

Unique markers are planted in every private table — feedback (what, effect, suggestion),
learnings, action items, skip reasons (through the app's own buttons and modals), survey
reflections, goal texts and indicators, enrolment notes — then every coordinator command
of `COORDINATOR_PATHS` and every CLI command of `CLI_PATHS` runs, and everything they
produced is searched: messages and ephemeral answers in the emulator, uploaded files (zip
members too), files the CLI wrote, its output, and log records. No marker may appear.

To cover a new coordinator command, add its words to `COORDINATOR_PATHS` (or its CLI
arguments to `CLI_PATHS`).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.rhythm.cadence import period_of
from bot.slack_emulator import SlackEmulator
from bot.views.rhythm import RhythmIds as R
from models import ActionItem, Feedback, Learning, MentoringSession, Participant, SurveyResponse
from models.enums import Cadence
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.checkin_flows import answer_checkin, in_days, make_checkin_pair, met_and_ticked
from tests.support.cli import TWOWAY, run_cli
from tests.support.interactions import click, submit_view, text
from tests.support.report_seed import PROGRAM, seed_program
from tests.support.slack_requests import SlackRequests

MARK = "zq9priv"  # every planted text carries it, each with its own suffix
CHECKINS = "Check-ins"
COORDINATOR_PATHS = [
    "admin report",
    f"admin report {PROGRAM}",
    f"admin report {PROGRAM} q1",
    f"admin report {CHECKINS}",
    f"admin export {PROGRAM}",
    f"admin export {CHECKINS}",
    "admin program list",
    f"admin program show {PROGRAM}",
    f"admin program show {CHECKINS}",
    f"admin match {CHECKINS}",
    "admin status",
    f"admin status {PROGRAM}",
    f"admin status {CHECKINS}",
    "admin audit 50",
    "admin announcements",
    "admin coordinators list",
    "admin sponsors list",
    "help",
]
CLI_TIMEOUT = 240  # a process that loads matplotlib, on a busy shared machine
CLI_PATHS = [
    ["report", "--program", PROGRAM, "--out", "{out}/report"],
    ["report", "--program", CHECKINS, "--out", "{out}/report-checkins"],
    ["export", "--program", PROGRAM, "--out", "{out}/export"],
    ["export", "--program", CHECKINS, "--out", "{out}/export-checkins"],
    ["deliveries", "--limit", "500"],
]


def _plant_through_the_app(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    """A skip with its reason, a session, a check-in with a learning, an action item and
    feedback: each typed into the app's own modals."""
    pair = make_checkin_pair(app_server, emulator, name=CHECKINS)
    period = period_of(Cadence.WEEKLY, anchor=pair.started.date(), on=datetime.now(UTC).date())
    click(
        slack,
        user=pair.senior,
        action_id=R.SKIP,
        value=f"{pair.pair_id}:{period.key}",
        channel=pair.channel,
    )
    app_server.wait_idle()
    opened = emulator.calls("views.open")[-1]
    reason = {R.SKIP_REASON: text(R.SKIP_REASON, f"Board week again {MARK}skip")}
    submit_view(
        slack,
        user=pair.senior,
        view=opened.json("view"),
        view_id=opened.response["view"]["id"],
        values=reason,
    )
    app_server.wait_idle()
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    answer_checkin(
        slack,
        emulator,
        user=pair.junior,
        session_id=session_id,
        learning=f"Pivot tables are quick {MARK}learning",
        action=f"Rebuild the sales sheet {MARK}action",
        due=in_days(5),
        what=f"You explained the org chart {MARK}what",
        effect=f"I knew whom to ask {MARK}effect",
        suggestion=f"Share the slides first {MARK}suggestion",
    )
    app_server.wait_idle()


def _planted(app_server: AppServer) -> dict[str, int]:
    """How many rows of each private table carry a marker: the test is not vacuous."""
    columns = {
        "feedback": Feedback.text,
        "learnings": Learning.text,
        "action_items": ActionItem.text,
        "skip reasons": MentoringSession.reason,
        "enrolment notes": Participant.can_share_notes,
    }
    with app_server.runtime.unit_of_work() as session:
        found = {
            name: len(list(session.scalars(select(column).where(column.contains(MARK)))))
            for name, column in columns.items()
        }
        reflections = session.scalars(select(SurveyResponse.reflections))
        found["reflections"] = sum(MARK in json.dumps(r) for r in reflections)
    return found


def _texts_of_uploads(emulator: SlackEmulator) -> list[str]:
    texts = []
    for file in emulator.uploaded_files():
        content = file["content"] or b""
        texts.append(json.dumps({k: v for k, v in file.items() if k != "content"}))
        texts.append(content.decode("latin-1"))
        if file["name"].endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                texts += [archive.read(n).decode("utf-8") for n in archive.namelist()]
    return texts


def test_no_coordinator_path_shows_a_private_text(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    database_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    _plant_through_the_app(slack, emulator, app_server)
    seed_program(app_server.runtime, emulator, secret=f"{MARK}seeded")
    with app_server.runtime.unit_of_work() as session:
        for participant in session.scalars(select(Participant)):
            participant.can_share_notes = f"I know spreadsheets {MARK}notes"
    planted = _planted(app_server)
    assert all(planted.values()), planted
    assert planted["feedback"] == 1
    assert planted["skip reasons"] == 5  # one through the app, four seeded

    # what planting itself did (the feedback's DM to the partner, slack_sdk's debug lines
    # of it) is not a coordinator path's output: only what follows is searched
    emulator.clear_calls()
    caplog.clear()
    answered_before = len(emulator.responses())
    for words in COORDINATOR_PATHS:
        assert slack.command(words, user=COORDINATOR, channel=ADMIN_CHANNEL).status_code == 200
        app_server.wait_idle()
    # the outbox sent what the commands planned; the report and export are there
    assert len([f for f in emulator.uploaded_files() if f["name"].endswith(".png")]) >= 12
    assert len([f for f in emulator.uploaded_files() if f["name"].endswith(".zip")]) == 2

    outputs: list[str] = []
    out = tmp_path / "cli"
    for args in CLI_PATHS:
        done = run_cli(
            [*TWOWAY, *(a.format(out=out) for a in args)],
            tmp_path,
            timeout=CLI_TIMEOUT,
            DATABASE_URL=database_url,
        )
        assert done.returncode == 0, (args, done.stderr)
        outputs += [done.stdout, done.stderr]
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) >= 30
    outputs += [p.read_bytes().decode("latin-1") for p in written]

    outputs += [json.dumps(c.args, default=str) for c in emulator.calls()]
    outputs += [json.dumps(c.response, default=str) for c in emulator.calls()]
    outputs += [json.dumps(r, default=str) for r in emulator.responses()[answered_before:]]
    outputs += [json.dumps(m, default=str) for m in emulator.messages(ADMIN_CHANNEL)]
    outputs += _texts_of_uploads(emulator)
    outputs += [r.getMessage() + str(r.args) for r in caplog.records]
    leaked = [o[max(0, o.find(MARK) - 80) : o.find(MARK) + 40] for o in outputs if MARK in o]
    assert leaked == []
    # the paths did answer: a report, an export, program cards, a preview or its refusal
    assert any("Impact report" in o for o in outputs)
    assert any("participants.csv" in o for o in outputs)
