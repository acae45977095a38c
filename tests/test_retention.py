"""Retention: a closed program's private texts go `retention_months` after it closed (a
tick at a chosen instant), numbers stay, the deletion is audited and `program show` says
when; coordinators change the period with `/mentor admin retention`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.scheduler.tick import run_tick
from bot.services.erasure import months_after
from bot.slack_emulator import SlackEmulator
from models import AuditLog, Learning, Pair, Participant, Program
from models.enums import PairStatus, ProgramStatus
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.data_rights_seed import (
    JO,
    JO_MARK,
    SAM_MARK,
    TO_JO_MARK,
    aggregates,
    holding,
    seed,
)
from tests.support.factories import make_program
from tests.support.slack_requests import SlackRequests

RECENT_MARK = "zqrecent7mark"


def _close(app_server: AppServer, program_id: int, closed_at: datetime) -> None:
    with app_server.runtime.unit_of_work() as session:
        session.execute(
            update(Program)
            .where(Program.id == program_id)
            .values(status=ProgramStatus.CLOSED, closed_at=closed_at)
        )
        session.execute(
            update(Pair).where(Pair.program_id == program_id).values(status=PairStatus.ENDED)
        )


def _admin(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, text: str, user: str
) -> str:
    """What the command answered through its response URL (after its ack)."""
    before = len(emulator.responses("slash"))
    assert slack.command(text, user=user, channel=ADMIN_CHANNEL).status_code == 200
    app_server.wait_idle()
    return json.dumps(emulator.responses("slash")[before:])


def _show(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, name: str) -> str:
    return _admin(slack, emulator, app_server, f"admin program show {name}", COORDINATOR)


def test_retention_deletes_exactly_the_expired_texts_once_and_audits_it(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    seeded = seed(runtime, emulator)
    closed_at = datetime(2026, 1, 31, 17, 0, tzinfo=UTC)
    _close(app_server, seeded.program_id, closed_at)
    recent = make_program(runtime, name="Recent cohort", status=ProgramStatus.CLOSED)
    with runtime.unit_of_work() as session:
        me = session.scalar(select(Participant).where(Participant.id == seeded.jo))
        assert me is not None
        other = Participant(
            program_id=recent, member_id=me.member_id, role=me.role, department="Data"
        )
        session.add(other)
        session.flush()
        session.add(Learning(participant_id=other.id, text=f"Still mine {RECENT_MARK}"))
        session.execute(
            update(Program)
            .where(Program.id == recent)
            .values(closed_at=closed_at + timedelta(days=60))
        )
    before = aggregates(runtime, seeded)
    assert "12 months after the program closes" in _show(
        slack, emulator, app_server, "Autumn cohort"
    )

    due = months_after(closed_at, 12)
    assert due == datetime(2027, 1, 31, 17, 0, tzinfo=UTC)
    run_tick(runtime, due - timedelta(minutes=1))
    assert holding(runtime, JO_MARK)
    assert holding(runtime, SAM_MARK)

    report = run_tick(runtime, due)
    assert report.counts["retention"] == 1
    assert holding(runtime, JO_MARK, SAM_MARK, TO_JO_MARK) == []  # everyone's, in this program
    assert holding(runtime, RECENT_MARK)  # the other program's texts are not due yet
    assert holding(runtime, JO)  # people are not erased by retention, only their texts
    assert aggregates(runtime, seeded) == before
    assert run_tick(runtime, due + timedelta(days=1)).counts["retention"] == 0  # once
    with runtime.unit_of_work() as session:
        audit = session.scalars(
            select(AuditLog).where(AuditLog.action == "program.private_texts_deleted")
        ).all()
        assert [(a.actor_user_id, a.target_type, a.target_id) for a in audit] == [
            (None, "program", str(seeded.program_id))
        ]
        assert audit[0].detail["retention_months"] == 12
        assert audit[0].detail["texts_cleared"] > 0
    assert "Private texts deleted on 31 Jan 2027" in _show(
        slack, emulator, app_server, "Autumn cohort"
    )


def test_coordinators_set_the_retention_and_others_are_refused(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Spring cohort")
    refused = _admin(slack, emulator, app_server, "admin retention 3 Spring cohort", JO)
    assert "coordinator" in refused
    bad = _admin(slack, emulator, app_server, "admin retention 999 Spring cohort", COORDINATOR)
    assert "1 to 120" in bad
    done = _admin(slack, emulator, app_server, "admin retention 3 Spring cohort", COORDINATOR)
    assert "deleted 3 months after it closes" in done
    with runtime.unit_of_work() as session:
        program = session.get(Program, program_id)
        assert program is not None
        assert program.retention_months == 3
        rows = session.scalars(select(AuditLog).where(AuditLog.action == "admin.retention")).all()
        assert [(r.actor_user_id, r.outcome.value) for r in rows].count((COORDINATOR, "ok")) == 1
        assert (JO, "denied") in [(r.actor_user_id, r.outcome.value) for r in rows]
    assert "deleted 3 months after the program closes" in _show(
        slack, emulator, app_server, "Spring cohort"
    )
