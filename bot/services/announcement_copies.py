"""What one copy needs at send time (the person's name, partner, status), and invitations:
who of a list is enrolled already, and the rows that invite the rest once per program."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.announcement_audiences import Recipient
from bot.services.announcements import (
    INVITATION,
    REPORT,
    copy_key,
    period_of,
)
from bot.services.audit import record
from bot.services.deliveries import existing_keys, plan_many, plan_now
from models import Delivery, DmChannel, Member, Pair, Participant
from models.announcement import Announcement, AnnouncementKind, AnnouncementStatus, Audience
from models.enums import DeliveryStatus, PairStatus, ParticipantStatus


@dataclass(frozen=True)
class PersonFacts:
    user_id: str
    first_name: str | None
    status: ParticipantStatus | None  # None: not in the program
    partners: tuple[str, ...]  # user ids of their active pair's other people


def first_name(display_name: str | None) -> str | None:
    words = (display_name or "").split()
    return words[0] if words else None


def person_facts(
    session: Session, *, workspace_id: int, program_id: int, user_id: str
) -> PersonFacts:
    member = session.scalar(
        select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )
    if member is None:
        return PersonFacts(user_id, None, None, ())
    participant = session.scalar(
        select(Participant).where(
            Participant.program_id == program_id, Participant.member_id == member.id
        )
    )
    partners: tuple[str, ...] = ()
    if participant is not None:
        pair = session.scalar(
            select(Pair).where(
                Pair.program_id == program_id,
                Pair.status == PairStatus.ACTIVE,
                (Pair.senior_id == participant.id)
                | (Pair.junior_id == participant.id)
                | (Pair.third_id == participant.id),
            )
        )
        if pair is not None:
            others = [
                p
                for p in (pair.senior_id, pair.junior_id, pair.third_id)
                if p not in (None, participant.id)
            ]
            partners = tuple(
                session.scalars(
                    select(Member.slack_user_id)
                    .join(Participant, Participant.member_id == Member.id)
                    .where(Participant.id.in_(others))
                    .order_by(Participant.id)
                )
            )
    return PersonFacts(
        user_id,
        first_name(member.display_name),
        participant.status if participant is not None else None,
        partners,
    )


def enrolled_among(session: Session, *, program_id: int, user_ids: list[str]) -> set[str]:
    """Who of `user_ids` has ever enrolled in the program (left ones included)."""
    found: set[str] = set()
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        found.update(
            session.scalars(
                select(Member.slack_user_id)
                .join(Participant, Participant.member_id == Member.id)
                .where(Participant.program_id == program_id, Member.slack_user_id.in_(chunk))
            )
        )
    return found


def deactivated_among(session: Session, *, workspace_id: int, user_ids: list[str]) -> set[str]:
    """Members we already know are deactivated (no Slack call needed for them)."""
    return set(
        session.scalars(
            select(Member.slack_user_id).where(
                Member.workspace_id == workspace_id,
                Member.is_deleted.is_(True),
                Member.slack_user_id.in_(user_ids),
            )
        )
    )


@dataclass(frozen=True)
class Invited:
    announcement_id: int
    report: list[int]  # the report row, to post first
    already_invited: int


def plan_invitations(
    session: Session,
    *,
    workspace_id: int,
    program_id: int,
    user_id: str,
    targets: list[str],
    invitees: list[str],
    skipped: dict[str, int],
    now: datetime,
) -> Invited:
    """One invitation per person and program, ever; the report row in the admin channel."""
    announcement = Announcement(
        workspace_id=workspace_id,
        program_id=program_id,
        kind=AnnouncementKind.INVITATION,
        audience=Audience.INVITEES,
        targets=targets[:50],
        created_by=user_id,
        decided_by=user_id,
        status=AnnouncementStatus.SENDING,
        started_at=now,
    )
    session.add(announcement)
    session.flush()
    recipients = [Recipient(user_id=u) for u in dict.fromkeys(invitees)]
    keys = {r.user_id: copy_key(announcement, r) for r in recipients}
    taken = existing_keys(session, list(keys.values()))
    fresh = [r for r in recipients if keys[r.user_id] not in taken]
    plan_many(
        session,
        [
            {
                "workspace_id": workspace_id,
                "kind": INVITATION,
                "unique_key": keys[r.user_id],
                "period": period_of(announcement.id),
                "due_at": now,
                "payload": {"announcement_id": announcement.id, "user_id": r.user_id},
            }
            for r in fresh
        ],
        now=now,
    )
    already = len(recipients) - len(fresh)
    counted = {k: v for k, v in {**skipped, "already invited": already}.items() if v}
    announcement.recipients, announcement.skipped = len(fresh), counted
    if not fresh:
        announcement.status, announcement.finished_at = AnnouncementStatus.DONE, now
    report = plan_now(
        session,
        workspace_id=workspace_id,
        kind=REPORT,
        key=f"announcement:{announcement.id}:report",
        now=now,
        period=period_of(announcement.id) + "-report",
        payload={"announcement_id": announcement.id},
    )
    record(
        session,
        workspace_id=workspace_id,
        actor=user_id,
        action="admin.invite",
        target_type="program",
        target_id=program_id,
        detail={"announcement_id": announcement.id, "invited": len(fresh), **counted},
    )
    return Invited(announcement.id, [report] if report else [], already)


def known_dm(session: Session, *, workspace_id: int, user_id: str) -> str | None:
    """The person's DM channel when the bot opened it before (read in the render
    transaction, instead of a transaction of its own per copy in the DM cache)."""
    return session.scalar(
        select(DmChannel.channel_id).where(
            DmChannel.workspace_id == workspace_id, DmChannel.members_key == user_id
        )
    )


def people_facts(
    session: Session, *, workspace_id: int, program_id: int, user_ids: list[str]
) -> dict[str, PersonFacts]:
    """`person_facts` for many people in a handful of queries (a claimed batch of copies)."""
    rows = session.execute(
        select(Member.slack_user_id, Member.display_name, Participant.id, Participant.status)
        .outerjoin(
            Participant,
            (Participant.member_id == Member.id) & (Participant.program_id == program_id),
        )
        .where(Member.workspace_id == workspace_id, Member.slack_user_id.in_(user_ids))
    ).all()
    by_participant = {pid: user for user, _, pid, _ in rows if pid is not None}
    partners: dict[int, list[int]] = {}
    if by_participant:
        for people in session.execute(
            select(Pair.senior_id, Pair.junior_id, Pair.third_id).where(
                Pair.program_id == program_id,
                Pair.status == PairStatus.ACTIVE,
                Pair.senior_id.in_(list(by_participant))
                | Pair.junior_id.in_(list(by_participant))
                | Pair.third_id.in_(list(by_participant)),
            )
        ):
            ids = [p for p in people if p is not None]
            for pid in ids:
                partners[pid] = [o for o in ids if o != pid]
    wanted = {o for others in partners.values() for o in others} - set(by_participant)
    if wanted:
        by_participant.update(
            session.execute(
                select(Participant.id, Member.slack_user_id)
                .join(Member, Member.id == Participant.member_id)
                .where(Participant.id.in_(list(wanted)))
            ).all()
        )
    return {
        user: PersonFacts(
            user,
            first_name(name),
            status,
            tuple(by_participant[o] for o in sorted(partners.get(pid, [])) if o in by_participant)
            if pid is not None
            else (),
        )
        for user, name, pid, status in rows
    }


def known_dms(session: Session, *, workspace_id: int, user_ids: list[str]) -> dict[str, str]:
    return dict(
        session.execute(
            select(DmChannel.members_key, DmChannel.channel_id).where(
                DmChannel.workspace_id == workspace_id, DmChannel.members_key.in_(user_ids)
            )
        ).all()
    )


def batch_people(session: Session, *, worker: str | None, kinds: tuple[str, ...]) -> list[str]:
    """User ids of the copies a worker holds right now (the batch being rendered)."""
    payloads = session.scalars(
        select(Delivery.payload).where(
            Delivery.claimed_by == worker,
            Delivery.status == DeliveryStatus.CLAIMED,
            Delivery.kind.in_(list(kinds)),
        )
    )
    return sorted({str(p["user_id"]) for p in payloads if p and p.get("user_id")})
