"""Data factories: programs and enrolled people, written straight to the database."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from bot.runtime import Runtime
from bot.services.members import ensure_member
from bot.slack_emulator import SlackEmulator
from bot.topics import TOPICS
from models import Pair, Participant, Program
from models.enums import Cadence, PairStatus, ProgramStatus, Role

DEPARTMENTS = ("Sales", "IT", "Finance", "Marketing", "Operations", "HR")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London")


def make_program(runtime: Runtime, *, name: str = "Spring cohort", **overrides: object) -> int:
    values: dict[str, object] = {
        "workspace_id": runtime.workspace_id,
        "name": name,
        "status": ProgramStatus.ENROLLING,
        "starts_on": datetime.now(UTC).date(),
        "length_weeks": 26,
        "rotation_weeks": 13,
        "cadence": Cadence.BIWEEKLY,
        "session_minutes": 30,
    } | overrides
    with runtime.unit_of_work() as session:
        program = Program(**values)
        session.add(program)
        session.flush()
        return program.id


def enrol(
    runtime: Runtime,
    emulator: SlackEmulator,
    *,
    program_id: int,
    user_id: str,
    role: Role,
    department: str,
    can_share: list[str],
    wants_to_learn: list[str],
    timezone: str = "Europe/Berlin",
    avoid: list[str] | None = None,
) -> int:
    emulator.add_user(
        user_id, name=user_id.lower(), real_name=f"Person {user_id[-3:]}", tz=timezone
    )
    with runtime.unit_of_work() as session:
        member = ensure_member(session, workspace_id=runtime.workspace_id or 0, user_id=user_id)
        member.timezone = timezone
        member.display_name = f"Person {user_id[-3:]}"
        participant = Participant(
            program_id=program_id,
            member_id=member.id,
            role=role,
            department=department,
            can_share=can_share,
            wants_to_learn=wants_to_learn,
            languages=["en"],
            avoid_user_ids=avoid or [],
            work_start=time(8),
            work_end=time(18),
        )
        session.add(participant)
        session.flush()
        return participant.id


def enrol_cohort(
    runtime: Runtime,
    emulator: SlackEmulator,
    *,
    program_id: int,
    seniors: int,
    juniors: int,
    seed: int = 7,
) -> dict[str, list[str]]:
    """A realistic mixed cohort across departments, topics and timezones."""
    rng = random.Random(seed)
    people: dict[str, list[str]] = {"senior": [], "junior": []}
    for role, count in ((Role.SENIOR, seniors), (Role.JUNIOR, juniors)):
        for index in range(count):
            user_id = f"U0{role.value[0].upper()}{index:07d}"
            enrol(
                runtime,
                emulator,
                program_id=program_id,
                user_id=user_id,
                role=role,
                department=rng.choice(DEPARTMENTS),
                can_share=rng.sample(TOPICS, 3),
                wants_to_learn=rng.sample(TOPICS, 3),
                timezone=rng.choice(ZONES),
            )
            people[role.value].append(user_id)
    return people


def days_from_today(days: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


def active_pair(
    runtime: Runtime,
    emulator: SlackEmulator,
    *,
    program_id: int,
    junior: tuple[str, str, int, int],
    senior: tuple[str, str, int, int],
    started_at: datetime,
) -> tuple[int, str]:
    """An introduced, active pair; people are (user id, timezone, work start hour, end hour)."""
    ids = []
    for (user_id, timezone, start, end), role in ((junior, Role.JUNIOR), (senior, Role.SENIOR)):
        participant_id = enrol(
            runtime,
            emulator,
            program_id=program_id,
            user_id=user_id,
            role=role,
            department=f"Dept {role.value}",
            can_share=["AI tools"] if role == Role.JUNIOR else ["Strategy"],
            wants_to_learn=["Strategy"] if role == Role.JUNIOR else ["AI tools"],
            timezone=timezone,
        )
        with runtime.unit_of_work() as session:
            participant = session.get(Participant, participant_id)
            participant.work_start, participant.work_end = time(start), time(end)
        ids.append(participant_id)
    channel = emulator.add_channel(
        name=f"mpdm-{junior[0]}-{senior[0]}",
        is_private=True,
        members=[junior[0], senior[0], emulator.bot_user_id],
    )
    with runtime.unit_of_work() as session:
        pair = Pair(
            program_id=program_id,
            round=1,
            junior_id=ids[0],
            senior_id=ids[1],
            status=PairStatus.ACTIVE,
            started_at=started_at,
            dm_channel_id=channel,
            intro_ts="1.0",
        )
        session.add(pair)
        session.flush()
        program = session.get(Program, program_id)
        program.status, program.current_round = ProgramStatus.ACTIVE, 1
        return pair.id, channel
