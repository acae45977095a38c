"""Pauses with an end date end by themselves: `/mentor pause until DATE` means until then."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from models import Participant
from models.enums import ParticipantStatus


def end_expired_pauses(session: Session, *, today: date) -> int:
    """Resume everyone whose pause ended before `today`, in one statement."""
    result = session.execute(
        update(Participant)
        .where(
            Participant.status == ParticipantStatus.PAUSED,
            Participant.paused_until.is_not(None),
            Participant.paused_until < today,
        )
        .values(status=ParticipantStatus.ACTIVE, paused_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
