"""Participation over time: pausing, resuming and leaving (ending the pairs kindly).

Functions take a session and plain values and never see Slack.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services.enrolment import (
    ACTIVE,
    CURRENT_PAIR_STATUSES,
    ENDED_REASON,
    LEFT,
    PAST_DATE,
    PAUSED,
    LeaveResult,
    PartnerNotice,
    ProgramRef,
    StatusChange,
    current_participations,
    program_ref,
)
from models import Member, Pair, Participant, Program
from models.enums import PairStatus, ParticipantStatus


def _set_status(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    status: ParticipantStatus,
    until: date | None,
) -> StatusChange:
    changed, unchanged = [], []
    for participant, program in current_participations(
        session, workspace_id=workspace_id, user_id=user_id
    ):
        if (participant.status, participant.paused_until) == (status, until):
            unchanged.append(program.name)
            continue
        participant.status, participant.paused_until = status, until
        changed.append(program.name)
    return StatusChange(tuple(changed), tuple(unchanged))


def pause(
    session: Session, *, workspace_id: int, user_id: str, until: date | None, today: date
) -> StatusChange:
    """Pause every current participation, until a date (after the person's `today`) or
    until `/mentor resume`."""
    if until is not None and until <= today:
        raise InvalidInput(PAST_DATE)
    return _set_status(
        session, workspace_id=workspace_id, user_id=user_id, status=PAUSED, until=until
    )


def resume(session: Session, *, workspace_id: int, user_id: str) -> StatusChange:
    return _set_status(
        session, workspace_id=workspace_id, user_id=user_id, status=ACTIVE, until=None
    )


def leave_candidates(
    session: Session, *, workspace_id: int, user_id: str, name: str | None
) -> list[ProgramRef]:
    rows = current_participations(session, workspace_id=workspace_id, user_id=user_id, name=name)
    return [program_ref(prog, p) for p, prog in rows]


def leave(
    session: Session, *, workspace_id: int, user_id: str, participant_ids: list[int], now: datetime
) -> LeaveResult:
    """Mark the participations left, end their current pairs, and say whom to tell.

    The rows are locked first, so a double click waits for the first and then finds
    nothing left to change. Only the owner of the participations can leave them.
    """
    rows = session.execute(
        select(Participant, Program, Member)
        .join(Program, Program.id == Participant.program_id)
        .join(Member, Member.id == Participant.member_id)
        .where(Participant.id.in_(participant_ids), Program.workspace_id == workspace_id)
        .order_by(Participant.id)
        .with_for_update(of=Participant)
    ).all()
    if not rows:
        raise NotFound("That enrolment no longer exists, so nothing changed.")
    if any(member.slack_user_id != user_id for _, _, member in rows):
        raise NotAllowed("These buttons belong to someone else, so nothing changed.")
    leaving = [(p, prog) for p, prog, _ in rows if p.status != LEFT]
    for participant, _ in leaving:
        participant.status, participant.left_at, participant.paused_until = LEFT, now, None
    left_ids = [p.id for p, _ in leaving]
    pairs = session.scalars(
        select(Pair)
        .where(Pair.status.in_(CURRENT_PAIR_STATUSES))
        .where(
            or_(
                Pair.senior_id.in_(left_ids),
                Pair.junior_id.in_(left_ids),
                Pair.third_id.in_(left_ids),
            )
        )
        .order_by(Pair.id)
        .with_for_update()
    ).all()
    for pair in pairs:
        pair.status, pair.ended_at, pair.status_reason = PairStatus.ENDED, now, ENDED_REASON
    first_pair: dict[int, int] = {}  # partner participant -> lowest ended pair (pairs sorted)
    for pair in pairs:
        for participant_id in (pair.senior_id, pair.junior_id, pair.third_id):
            if participant_id is not None and participant_id not in left_ids:
                first_pair.setdefault(participant_id, pair.id)
    return LeaveResult(
        left=tuple(prog.name for _, prog in leaving),
        already_left=tuple(prog.name for p, prog, _ in rows if p.id not in left_ids),
        ended_pair_ids=tuple(pair.id for pair in pairs),
        partners=_partners(session, first_pair, leaver=user_id),
    )


def _partners(
    session: Session, first_pair: dict[int, int], *, leaver: str
) -> tuple[PartnerNotice, ...]:
    """One notice per partner (still in Slack), naming the programs concerned."""
    rows = session.execute(
        select(Member.slack_user_id, Program.name, Participant.id)
        .select_from(Participant)
        .join(Member, Member.id == Participant.member_id)
        .join(Program, Program.id == Participant.program_id)
        .where(Participant.id.in_(list(first_pair)))
        .where(Member.is_deleted.is_(False), Member.slack_user_id != leaver)
        .order_by(Member.slack_user_id, Program.name, Participant.id)
    )
    programs: dict[str, dict[str, None]] = {}
    participations: dict[str, list[int]] = {}
    for slack_user_id, program_name, participant_id in rows:
        programs.setdefault(slack_user_id, {})[program_name] = None
        participations.setdefault(slack_user_id, []).append(participant_id)
    return tuple(
        PartnerNotice(
            uid,
            tuple(names),
            tuple(participations[uid]),
            min(first_pair[i] for i in participations[uid]),
        )
        for uid, names in programs.items()
    )
