"""Constraints live in the database, not only in Python; times come back aware and in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from bot.clock import SettableClock, SystemClock
from bot.db import make_engine, make_session_factory, unit_of_work
from bot.services.idempotency import first_time
from bot.services.workspaces import ensure_workspace
from models import Delivery, Member, Pair, Participant, Program, Workspace
from models.enums import Cadence, Role


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    factory = make_session_factory(engine, clock=SystemClock())
    with factory() as session:
        yield session
    engine.dispose()


def _program(session: Session, **overrides: object) -> Program:
    workspace = ensure_workspace(
        session, team_id="T1", name="Acme", bot_user_id="UB", admin_channel_id="C0ADMIN"
    )
    values: dict[str, object] = {
        "workspace_id": workspace.id,
        "name": "Spring cohort",
        "starts_on": date(2026, 1, 5),
        "length_weeks": 26,
        "rotation_weeks": 13,
        "cadence": Cadence.BIWEEKLY,
        "session_minutes": 30,
    } | overrides
    program = Program(**values)
    session.add(program)
    session.flush()
    return program


def test_rows_are_stamped_by_the_clock_of_the_session_that_writes_them(database_url: str) -> None:
    """A simulated quarter (tests, the playground) writes its own instants, not the
    machine's: a survey's "learnings this round" compares like with like."""
    engine = make_engine(database_url)
    written = datetime(2027, 4, 6, 9, 0, tzinfo=UTC)
    clock = SettableClock(written)
    factory = make_session_factory(engine, clock=clock)
    with unit_of_work(factory) as session:
        program_id = _program(session).id
    clock.advance(timedelta(days=3))
    with unit_of_work(factory) as session:  # a bulk UPDATE, as the services issue them
        session.execute(update(Program).where(Program.id == program_id).values(name="Autumn"))
    with unit_of_work(factory) as session:
        program = session.get(Program, program_id)
        assert program is not None
        assert (program.created_at, program.updated_at) == (written, written + timedelta(days=3))
    engine.dispose()


def _participant(session: Session, program: Program, user_id: str, role: Role) -> Participant:
    member = Member(workspace_id=program.workspace_id, slack_user_id=user_id, timezone="Asia/Tokyo")
    session.add(member)
    session.flush()
    participant = Participant(
        program_id=program.id, member_id=member.id, role=role, department="IT"
    )
    session.add(participant)
    session.flush()
    return participant


def test_check_constraint_refuses_session_length_outside_20_to_45(session: Session) -> None:
    with pytest.raises(IntegrityError):
        _program(session, session_minutes=60)


def test_enum_check_constraint_is_in_the_database(session: Session) -> None:
    _program(session)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE programs SET cadence = 'hourly'"))


def test_pair_needs_two_different_people(session: Session) -> None:
    program = _program(session)
    senior = _participant(session, program, "U0S", Role.SENIOR)
    session.add(Pair(program_id=program.id, round=1, senior_id=senior.id, junior_id=senior.id))
    with pytest.raises(IntegrityError):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    program = _program(session)
    session.add(Pair(program_id=program.id, round=1, senior_id=999_999, junior_id=999_998))
    with pytest.raises(IntegrityError):
        session.flush()


def test_one_person_once_per_round(session: Session) -> None:
    program = _program(session)
    senior = _participant(session, program, "U0S", Role.SENIOR)
    junior_a = _participant(session, program, "U0A", Role.JUNIOR)
    junior_b = _participant(session, program, "U0B", Role.JUNIOR)
    session.add(Pair(program_id=program.id, round=1, senior_id=senior.id, junior_id=junior_a.id))
    session.flush()
    session.add(Pair(program_id=program.id, round=1, senior_id=senior.id, junior_id=junior_b.id))
    with pytest.raises(IntegrityError):
        session.flush()


def test_delivery_unique_key_means_at_most_once(session: Session) -> None:
    program = _program(session)
    due = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for _ in range(2):
        session.add(
            Delivery(
                workspace_id=program.workspace_id,
                kind="nudge",
                period="2026-W10",
                unique_key="pair:1:nudge:2026-W10",
                due_at=due,
            )
        )
    with pytest.raises(IntegrityError):
        session.flush()


def test_times_are_stored_utc_and_come_back_aware(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine, clock=SystemClock())
    paris_morning = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    with unit_of_work(factory) as session:
        workspace = ensure_workspace(
            session, team_id="T1", name=None, bot_user_id=None, admin_channel_id=None
        )
        session.add(
            Delivery(
                workspace_id=workspace.id,
                kind="nudge",
                period="p",
                unique_key="k",
                due_at=paris_morning,
            )
        )
    with unit_of_work(factory) as session:
        due_at = session.query(Delivery.due_at).scalar()
    engine.dispose()
    assert due_at == paris_morning
    assert due_at.tzinfo is not None
    assert due_at.utcoffset() == timedelta(0)
    assert due_at.hour == 8


def test_naive_datetimes_are_refused(session: Session) -> None:
    program = _program(session)
    session.add(
        Delivery(
            workspace_id=program.workspace_id,
            kind="nudge",
            period="p",
            unique_key="naive",
            due_at=datetime(2026, 3, 2, 9),
        )
    )
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_first_time_recognises_a_repeat_and_keeps_the_transaction(session: Session) -> None:
    assert first_time(session, key="event:T1:Ev1", kind="event") is True
    assert first_time(session, key="event:T1:Ev1", kind="event") is False
    assert first_time(session, key="event:T1:Ev2", kind="event") is True
    session.commit()


def test_workspace_admin_channel_chosen_in_app_is_kept(session: Session) -> None:
    workspace = ensure_workspace(
        session, team_id="T9", name="A", bot_user_id="UB", admin_channel_id="C0ENV"
    )
    workspace.admin_channel_id = "C0CHOSEN"
    again = ensure_workspace(
        session, team_id="T9", name="B", bot_user_id="UB", admin_channel_id="C0ENV"
    )
    assert again.id == workspace.id
    assert (again.admin_channel_id, again.name) == ("C0CHOSEN", "B")
    assert session.query(Workspace).count() == 1
