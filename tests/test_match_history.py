"""People who met in another program recently are not paired again; how recently is the
program's own setting. Earlier rounds of the same program are never repeated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.services.match_runs import past_pairs
from bot.slack_emulator import SlackEmulator
from models import Pair, Program
from models.enums import PairStatus, Role
from tests.support.app_server import AppServer
from tests.support.factories import enrol, make_program

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.mark.parametrize(("months", "excluded"), [(3, False), (6, True), (0, False)])
def test_cross_program_history_follows_the_programs_setting(
    app_server: AppServer, emulator: SlackEmulator, months: int, excluded: bool
) -> None:
    runtime = app_server.runtime
    old = make_program(runtime, name="Old")
    new = make_program(runtime, name="New", repeat_lookback_months=months)
    ids = {}
    for program_id in (old, new):
        for user, role, dept in (
            ("U0SHIST01", Role.SENIOR, "IT"),
            ("U0JHIST01", Role.JUNIOR, "HR"),
        ):
            ids[program_id, user] = enrol(
                runtime,
                emulator,
                program_id=program_id,
                user_id=user,
                role=role,
                department=dept,
                can_share=["Strategy"],
                wants_to_learn=["AI tools"],
            )
    with runtime.unit_of_work() as session:
        session.add(
            Pair(
                program_id=old,
                round=1,
                senior_id=ids[old, "U0SHIST01"],
                junior_id=ids[old, "U0JHIST01"],
                status=PairStatus.ENDED,
                started_at=NOW - timedelta(days=120),
                ended_at=NOW - timedelta(days=30),
            )
        )
    with runtime.unit_of_work() as session:
        program = session.scalar(select(Program).where(Program.id == new))
        history = past_pairs(session, program, NOW)
    assert (frozenset({"U0SHIST01", "U0JHIST01"}) in history) is excluded
