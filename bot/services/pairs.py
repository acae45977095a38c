"""Pairs as their members see them, and the checks that a person belongs to a pair."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.errors import NotAllowed, NotFound
from bot.services.programs import next_rotation_on
from models import Member, Pair, Participant, Program
from models.enums import Cadence, PairStatus, ParticipantStatus, ProgramStatus, Role

CURRENT = (PairStatus.ACTIVE, PairStatus.PAUSED)


@dataclass(frozen=True)
class PairPerson:
    participant_id: int
    user_id: str
    name: str
    role: Role
    department: str
    can_share: tuple[str, ...]
    wants_to_learn: tuple[str, ...]
    timezone: str
    work_start: time | None = None
    work_end: time | None = None
    status: ParticipantStatus = ParticipantStatus.ACTIVE


@dataclass(frozen=True)
class PairDetails:
    id: int
    program_id: int
    program_name: str
    round: int
    status: PairStatus
    people: tuple[PairPerson, ...]  # junior first (the junior leads), then senior, then a third
    reasons: tuple[str, ...]
    started_at: datetime | None
    ended_at: datetime | None
    dm_channel_id: str | None
    next_rotation_on: date | None
    session_minutes: int
    cadence: Cadence = Cadence.BIWEEKLY
    workspace_id: int = 0
    program_open: bool = True

    @property
    def user_ids(self) -> tuple[str, ...]:
        return tuple(p.user_id for p in self.people)

    def person(self, user_id: str) -> PairPerson | None:
        return next((p for p in self.people if p.user_id == user_id), None)

    def partners_of(self, user_id: str) -> tuple[PairPerson, ...]:
        return tuple(p for p in self.people if p.user_id != user_id)


def _person(participant: Participant, member: Member) -> PairPerson:
    return PairPerson(
        participant_id=participant.id,
        user_id=member.slack_user_id,
        name=member.display_name or member.slack_user_id,
        role=participant.role,
        department=participant.department,
        can_share=tuple(participant.can_share or ()),
        wants_to_learn=tuple(participant.wants_to_learn or ()),
        timezone=member.timezone,
        work_start=participant.work_start,
        work_end=participant.work_end,
        status=participant.status,
    )


def _people(session: Session, participant_ids: Iterable[int]) -> dict[int, PairPerson]:
    rows = session.execute(
        select(Participant, Member)
        .join(Member, Member.id == Participant.member_id)
        .where(Participant.id.in_(list(participant_ids)))
    )
    return {participant.id: _person(participant, member) for participant, member in rows}


def details(session: Session, pair: Pair) -> PairDetails:
    return pair_details_many(session, [pair.id])[pair.id]


def pair_details(session: Session, pair_id: int) -> PairDetails:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound("That pair no longer exists.")
    return details(session, pair)


def pairs_of_user(
    session: Session, *, workspace_id: int, user_id: str, statuses: Iterable[PairStatus] = CURRENT
) -> list[PairDetails]:
    mine = (
        select(Participant.id)
        .join(Member, Member.id == Participant.member_id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )
    pairs = session.scalars(
        select(Pair)
        .where(
            Pair.status.in_(list(statuses)),
            or_(Pair.senior_id.in_(mine), Pair.junior_id.in_(mine), Pair.third_id.in_(mine)),
        )
        .order_by(Pair.started_at.desc(), Pair.id.desc())
    )
    return [details(session, pair) for pair in pairs]


def pair_for_member(
    session: Session, *, pair_id: int, user_id: str, statuses: Iterable[PairStatus] = CURRENT
) -> tuple[PairDetails, PairPerson]:
    """The pair and the person, only if `user_id` is in it: ids from buttons are never trusted."""
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound("That pair no longer exists.")
    found = details(session, pair)
    person = found.person(user_id)
    if person is None:
        raise NotAllowed("This button belongs to another pair, so I left everything as it was.")
    if found.status not in set(statuses):
        raise NotAllowed("This pair has ended, so this button no longer does anything.")
    return found, person


def record_intro(session: Session, *, pair_id: int, channel: str, ts: str) -> None:
    pair = session.get(Pair, pair_id)
    assert pair is not None
    pair.dm_channel_id = channel
    pair.intro_ts = ts


def pair_details_many(session: Session, pair_ids: Iterable[int]) -> dict[int, PairDetails]:
    """Details of many pairs in three queries, for the outbox's batches (no query per pair)."""
    pairs = list(session.scalars(select(Pair).where(Pair.id.in_(set(pair_ids)))))
    if not pairs:
        return {}
    participant_ids = {i for p in pairs for i in (p.senior_id, p.junior_id, p.third_id) if i}
    people = _people(session, participant_ids)
    programs = {
        program.id: program
        for program in session.scalars(
            select(Program).where(Program.id.in_({p.program_id for p in pairs}))
        )
    }
    result = {}
    for pair in pairs:
        program = programs[pair.program_id]
        ids = [pair.junior_id, pair.senior_id, *([pair.third_id] if pair.third_id else [])]
        result[pair.id] = PairDetails(
            id=pair.id,
            program_id=program.id,
            program_name=program.name,
            round=pair.round,
            status=pair.status,
            people=tuple(people[i] for i in ids),
            reasons=tuple((pair.match_reasons or {}).get("reasons", ())),
            started_at=pair.started_at,
            ended_at=pair.ended_at,
            dm_channel_id=pair.dm_channel_id,
            next_rotation_on=next_rotation_on(program),
            session_minutes=program.session_minutes,
            cadence=program.cadence,
            workspace_id=program.workspace_id,
            program_open=program.status != ProgramStatus.CLOSED,
        )
    return result
