"""Sponsors and their monthly digest: approved wins and headline figures, nothing private.

Figures come with the number of people behind them; a figure from fewer than
`MIN_PEOPLE` people is withheld (the view says so), as every aggregate in twoway is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.services.deliveries import plan_now
from models import (
    Celebration,
    Member,
    MentoringSession,
    Pair,
    Participant,
    Program,
    Sponsor,
    Workspace,
)
from models.celebration import CelebrationStatus
from models.enums import PairStatus, ProgramStatus, SessionStatus, WorkspaceStatus

DIGEST = "sponsor_digest"
MIN_PEOPLE = 3


def list_sponsors(session: Session, *, workspace_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Sponsor.slack_user_id)
            .where(Sponsor.workspace_id == workspace_id)
            .order_by(Sponsor.added_at, Sponsor.id)
        )
    )


def add_sponsor(
    session: Session, *, workspace_id: int, user_id: str, added_by: str, now: datetime
) -> bool:
    """False when they were a sponsor already."""
    if user_id in list_sponsors(session, workspace_id=workspace_id):
        return False
    session.add(
        Sponsor(workspace_id=workspace_id, slack_user_id=user_id, added_by=added_by, added_at=now)
    )
    session.flush()
    return True


def remove_sponsor(session: Session, *, workspace_id: int, user_id: str) -> bool:
    row = session.scalar(
        select(Sponsor).where(
            Sponsor.workspace_id == workspace_id, Sponsor.slack_user_id == user_id
        )
    )
    if row is None:
        return False
    session.delete(row)
    return True


def member_by_name(session: Session, *, workspace_id: int, name: str) -> str | None:
    """A Slack user id for `@name` typed as plain text: only when exactly one member has it."""
    found = list(
        session.scalars(
            select(Member.slack_user_id).where(
                Member.workspace_id == workspace_id,
                Member.is_deleted.is_(False),
                Member.display_name.ilike(name),
            )
        )
    )
    return found[0] if len(found) == 1 else None


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """`2026-11` as [start, end) in UTC."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return start, end


def previous_month(now: datetime) -> tuple[str, datetime]:
    """The month that ended before `now`'s month began (`2026-11`), and `now`'s month start."""
    start = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year, number = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
    return f"{year:04d}-{number:02d}", start


def plan_digests(session: Session, *, now: datetime) -> int:
    """Once per sponsor per month: the digest of the month just ended, for everyone who was
    a sponsor before it ended (someone added today gets theirs at the next month's start)."""
    month, this_month = previous_month(now)
    active = select(Workspace.id).where(Workspace.status == WorkspaceStatus.ACTIVE)
    sponsors = session.scalars(
        select(Sponsor).where(Sponsor.added_at < this_month, Sponsor.workspace_id.in_(active))
    )
    planned = 0
    for sponsor in sponsors:
        delivery = plan_now(
            session,
            workspace_id=sponsor.workspace_id,
            kind=DIGEST,
            key=f"sponsor:{sponsor.id}:{DIGEST}:{month}",
            now=now,
            period=month,
            payload={"sponsor_id": sponsor.id, "month": month},
        )
        planned += delivery is not None
    return planned


def sponsor_user(session: Session, *, sponsor_id: int) -> str | None:
    sponsor = session.get(Sponsor, sponsor_id)
    return sponsor.slack_user_id if sponsor is not None else None


@dataclass(frozen=True)
class Figure:
    value: int
    people: int

    @property
    def shown(self) -> bool:
        return self.people >= MIN_PEOPLE


@dataclass(frozen=True)
class Win:
    what_changed: str
    for_whom: str
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class ProgramDigest:
    name: str
    pairs_active: Figure
    sessions_held: Figure
    wins: tuple[Win, ...]


def _people(pairs: list[Pair]) -> int:
    return len({i for p in pairs for i in (p.senior_id, p.junior_id, p.third_id) if i})


def _user_ids(session: Session, participant_ids: list[int]) -> tuple[str, ...]:
    rows = dict(
        session.execute(
            select(Participant.id, Member.slack_user_id)
            .join(Member, Member.id == Participant.member_id)
            .where(Participant.id.in_(participant_ids))
        ).all()
    )
    return tuple(rows[i] for i in participant_ids if i in rows)


def digest(session: Session, *, workspace_id: int, month: str) -> list[ProgramDigest]:
    """Each program open during `month`: its pairs now, its sessions and approved wins then."""
    start, end = month_bounds(month)
    programs = session.scalars(
        select(Program)
        .where(
            Program.workspace_id == workspace_id,
            Program.status != ProgramStatus.ENROLLING,
            or_(Program.closed_at.is_(None), Program.closed_at >= start),
        )
        .order_by(Program.name)
    )
    found = []
    for program in programs:
        current = list(
            session.scalars(
                select(Pair).where(Pair.program_id == program.id, Pair.status == PairStatus.ACTIVE)
            )
        )
        held = select(MentoringSession.pair_id).where(
            MentoringSession.status == SessionStatus.HELD,
            MentoringSession.held_at >= start,
            MentoringSession.held_at < end,
        )
        met = list(
            session.scalars(select(Pair).where(Pair.program_id == program.id, Pair.id.in_(held)))
        )
        sessions = len(
            list(
                session.scalars(
                    held.where(MentoringSession.pair_id.in_([p.id for p in met] or [0]))
                )
            )
        )
        wins = [
            Win(c.what_changed, c.for_whom, _user_ids(session, list(c.approved_ids or [])))
            for c in session.scalars(
                select(Celebration)
                .where(
                    Celebration.program_id == program.id,
                    Celebration.status == CelebrationStatus.APPROVED,
                    Celebration.approved_at >= start,
                    Celebration.approved_at < end,
                )
                .order_by(Celebration.approved_at, Celebration.id)
            )
        ]
        found.append(
            ProgramDigest(
                name=program.name,
                pairs_active=Figure(len(current), _people(current)),
                sessions_held=Figure(sessions, _people(met)),
                wins=tuple(wins),
            )
        )
    return found
