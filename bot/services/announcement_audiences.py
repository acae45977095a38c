"""Who an announcement reaches: its audience resolved to recipients, and when each gets it.

A recipient is a person (their DM), a pair (its group DM, once) or a channel. Paused
people are kept here and skipped when their copy is rendered, so the report can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import zone
from bot.services.pairs import pair_details_many
from bot.services.rhythm import current_period
from models import Member, MentoringSession, Pair, Participant
from models.announcement import Announcement, Audience, SendMode
from models.enums import PairStatus, ParticipantStatus, Role, SessionStatus

REACHABLE = (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)  # paused: reported skipped


@dataclass(frozen=True)
class Recipient:
    """One copy of an announcement: a person, a pair or a channel (exactly one is set)."""

    user_id: str | None = None
    participant_id: int | None = None
    pair_id: int | None = None
    channel: str | None = None
    timezone: str = "UTC"

    @property
    def key(self) -> str:
        if self.pair_id is not None:
            return f"pair:{self.pair_id}"
        if self.channel is not None:
            return f"channel:{self.channel}"
        return f"user:{self.user_id}"


def _people(
    session: Session,
    program_id: int,
    role: Role | None = None,
    statuses: tuple[ParticipantStatus, ...] = REACHABLE,
) -> list[Recipient]:
    query = (
        select(Participant.id, Member.slack_user_id, Member.timezone)
        .join(Member, Member.id == Participant.member_id)
        .where(Participant.program_id == program_id, Participant.status.in_(statuses))
        .order_by(Participant.id)
    )
    if role is not None:
        query = query.where(Participant.role == role)
    return [
        Recipient(user_id=user_id, participant_id=pid, timezone=tz or "UTC")
        for pid, user_id, tz in session.execute(query)
    ]


def _active_pairs(session: Session, program_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Pair.id)
            .where(Pair.program_id == program_id, Pair.status == PairStatus.ACTIVE)
            .order_by(Pair.id)
        )
    )


def _pairs(session: Session, pair_ids: Iterable[int]) -> list[Recipient]:
    details = pair_details_many(session, pair_ids)
    return [
        Recipient(pair_id=pair.id, timezone=pair.people[0].timezone if pair.people else "UTC")
        for pair in sorted(details.values(), key=lambda p: p.id)
    ]


def _waiting(session: Session, program_id: int) -> list[Recipient]:
    """Active participants with no active pair in the program."""
    paired: set[int] = set()
    for senior, junior, third in session.execute(
        select(Pair.senior_id, Pair.junior_id, Pair.third_id).where(
            Pair.program_id == program_id, Pair.status == PairStatus.ACTIVE
        )
    ):
        paired.update(p for p in (senior, junior, third) if p is not None)
    active = _people(session, program_id, statuses=(ParticipantStatus.ACTIVE,))
    return [r for r in active if r.participant_id not in paired]


def _not_met(session: Session, program_id: int, now: datetime) -> list[int]:
    """Active pairs with no session held in their current cadence period."""
    details = pair_details_many(session, _active_pairs(session, program_id))
    held: dict[int, list[datetime]] = {}
    for pair_id, held_at in session.execute(
        select(MentoringSession.pair_id, MentoringSession.held_at).where(
            MentoringSession.pair_id.in_(list(details)),
            MentoringSession.status == SessionStatus.HELD,
            MentoringSession.held_at.is_not(None),
        )
    ):
        held.setdefault(pair_id, []).append(held_at)
    out = []
    for pair in details.values():
        if pair.started_at is None:
            continue
        period = current_period(pair, now)
        if not any(period.starts_on <= h.date() < period.ends_on for h in held.get(pair.id, [])):
            out.append(pair.id)
    return sorted(out)


def _picked(session: Session, program_id: int, user_ids: list[str]) -> list[Recipient]:
    known = {
        user_id: (pid, tz)
        for user_id, pid, tz in session.execute(
            select(Member.slack_user_id, Participant.id, Member.timezone)
            .outerjoin(
                Participant,
                (Participant.member_id == Member.id) & (Participant.program_id == program_id),
            )
            .where(Member.slack_user_id.in_(user_ids))
        )
    }
    return [
        Recipient(
            user_id=u,
            participant_id=known.get(u, (None, "UTC"))[0],
            timezone=known.get(u, (None, "UTC"))[1] or "UTC",
        )
        for u in dict.fromkeys(user_ids)
    ]


def recipients_of(session: Session, announcement: Announcement, now: datetime) -> list[Recipient]:
    """Everyone the announcement reaches as of `now`, in a stable order."""
    program_id, audience = announcement.program_id, announcement.audience
    if audience == Audience.EVERYONE:
        return _people(session, program_id)
    if audience == Audience.SENIORS:
        return _people(session, program_id, Role.SENIOR)
    if audience == Audience.JUNIORS:
        return _people(session, program_id, Role.JUNIOR)
    if audience == Audience.PAIRS:
        return _pairs(session, _active_pairs(session, program_id))
    if audience == Audience.NOT_MET:
        return _pairs(session, _not_met(session, program_id, now))
    if audience == Audience.WAITING:
        return _waiting(session, program_id)
    if audience == Audience.PICKED:
        return _picked(session, program_id, list(announcement.targets or []))
    if audience == Audience.CHANNEL:
        return [Recipient(channel=c) for c in (announcement.targets or [])[:1]]
    return []


def due_for(
    announcement: Announcement, recipient: Recipient, now: datetime, fallback: str
) -> datetime:
    """When this recipient's copy is due: now, the fixed instant, or the local date and time
    in their own timezone (a channel uses `fallback`, the coordinator's); never before now."""
    if announcement.send_mode == SendMode.INSTANT and announcement.send_at is not None:
        return max(now, announcement.send_at)
    if announcement.send_mode == SendMode.LOCAL and announcement.send_on and announcement.send_time:
        tz = zone(fallback if recipient.channel else recipient.timezone)
        local = datetime.combine(announcement.send_on, announcement.send_time, tzinfo=tz)
        return max(now, local.astimezone(UTC))
    return now
