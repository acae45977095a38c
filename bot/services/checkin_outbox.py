"""What a saved check-in tells people, through the outbox: the feedback to each partner
and the author's thanks, planned in the transaction that saves the check-in.

Rows hold ids only; renderers read the check-in and the feedback when they send, so
nothing a person wrote is copied into the deliveries table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.services.checkins import CheckInTarget, SavedCheckIn
from bot.services.deliveries import plan_now
from bot.services.feedback import plan_feedback_delivery
from models import ActionItem, CheckIn, Delivery, Feedback, Learning, Member, Participant
from models.enums import DeliveryStatus, Visibility

THANKS = "checkin_thanks"  # outbox kind: the author's confirmation of a saved check-in


@dataclass(frozen=True)
class CheckInSummary:
    """What the author's confirmation says, read from the database when it is sent."""

    checkin_id: int
    user_id: str  # the author
    learning_id: int | None
    learning_shared: bool
    action_item_id: int | None
    action_due: date | None
    feedback_to: tuple[str, ...]  # user ids of the partners the feedback goes to


def plan_after_checkin(
    session: Session,
    *,
    workspace_id: int,
    target: CheckInTarget,
    saved: SavedCheckIn,
    now: datetime,
) -> list[int]:
    """In the transaction that saved the check-in: the feedback for each partner (one row
    each), then the author's thanks. Ids of the rows planned; ids only in their payloads."""
    recipients = target.partners if saved.feedback_ids else ()  # one feedback row each
    planned: list[int | None] = [
        plan_feedback_delivery(
            session,
            workspace_id=workspace_id,
            feedback_id=feedback_id,
            pair_id=target.pair.id,
            recipient_participant_id=partner.participant_id,
            recipient_user_id=partner.user_id,
            now=now,
        )
        for feedback_id, partner in zip(saved.feedback_ids, recipients, strict=True)
    ]
    planned.append(
        plan_now(  # not tied to the pair: the author hears back even if a partner is gone
            session,
            workspace_id=workspace_id,
            kind=THANKS,
            key=f"checkin:{saved.checkin_id}:thanks",
            now=now,
            participant_id=target.person.participant_id,
            payload={"checkin_id": saved.checkin_id},
        )
    )
    return [delivery_id for delivery_id in planned if delivery_id is not None]


def checkin_summary(session: Session, checkin_id: int) -> CheckInSummary | None:
    """The check-in as its author's confirmation describes it; None when it was erased."""
    row = session.execute(
        select(CheckIn, Member.slack_user_id)
        .join(Participant, Participant.id == CheckIn.participant_id)
        .join(Member, Member.id == Participant.member_id)
        .where(CheckIn.id == checkin_id)
    ).first()
    if row is None:
        return None
    checkin, user_id = row
    shared = checkin.learning_id is not None and (
        session.scalar(select(Learning.visibility).where(Learning.id == checkin.learning_id))
        == Visibility.PAIR
    )
    due = (
        session.scalar(select(ActionItem.due_on).where(ActionItem.id == checkin.action_item_id))
        if checkin.action_item_id is not None
        else None
    )
    recipient = aliased(Member)
    feedback_to = session.scalars(
        select(recipient.slack_user_id)
        .select_from(Feedback)
        .join(Participant, Participant.id == Feedback.to_id)
        .join(recipient, recipient.id == Participant.member_id)
        .where(
            Feedback.from_id == checkin.participant_id,
            Feedback.session_id == checkin.session_id,
        )
        .order_by(Feedback.id)
    )
    return CheckInSummary(
        checkin_id=checkin.id,
        user_id=user_id,
        learning_id=checkin.learning_id,
        learning_shared=shared,
        action_item_id=checkin.action_item_id,
        action_due=due,
        feedback_to=tuple(feedback_to),
    )


def claimed_payloads(session: Session, *, kind: str, worker: str | None) -> list[dict[str, Any]]:
    """Payloads of the rows of `kind` a worker holds now: the batch it is rendering."""
    return list(
        session.scalars(
            select(Delivery.payload).where(
                Delivery.kind == kind,
                Delivery.status == DeliveryStatus.CLAIMED,
                Delivery.claimed_by == worker,
            )
        )
    )
