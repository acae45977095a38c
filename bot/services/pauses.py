"""Pauses with an end date end by themselves: `/mentor pause until DATE` means until then."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import local_date
from models import Member, Participant
from models.enums import ParticipantStatus

PAUSED = ParticipantStatus.PAUSED


def end_expired_pauses(session: Session, *, now: datetime) -> int:
    """Resume everyone whose pause ended before their own `today` (their Slack timezone).

    The date is the person's: a pause "until the 10th" lasts through the 10th where they
    are. No one's date is more than a day ahead of UTC's, so only pauses ending by UTC's
    today are read; each person's local date has the last word.
    """
    rows = session.execute(
        select(Participant.id, Participant.paused_until, Member.timezone)
        .join(Member, Member.id == Participant.member_id)
        .where(
            Participant.status == PAUSED,
            Participant.paused_until.is_not(None),
            Participant.paused_until <= now.date(),
        )
    ).all()
    ended = [pid for pid, until, tz in rows if until is not None and until < local_date(now, tz)]
    if not ended:
        return 0
    result = session.execute(
        update(Participant)
        .where(Participant.id.in_(ended), Participant.status == PAUSED)
        .values(status=ParticipantStatus.ACTIVE, paused_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
