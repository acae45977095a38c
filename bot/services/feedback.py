"""Feedback between partners: kept for its author and its recipient, nobody else.

Nothing here is ever read for coordinators, reports, exports or logs; callers log ids only.
Its delivery to the partner is an outbox row that holds the feedback's id, never its text:
the renderer reads the text from this table when it sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from bot.services.deliveries import plan_now
from models import Feedback, Member, Pair, Participant, Program
from models.enums import ParticipantStatus, Visibility

PART_LABELS = ("What happened", "Its effect", "A suggestion")
FEEDBACK = "feedback"  # outbox kind: one feedback row, sent to its recipient alone


@dataclass(frozen=True)
class FeedbackParts:
    """Specific, behavioural feedback: what happened, its effect, a suggestion."""

    what: str = ""
    effect: str = ""
    suggestion: str = ""

    @property
    def parts(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (label, value)
            for label, value in zip(
                PART_LABELS, (self.what, self.effect, self.suggestion), strict=True
            )
            if value
        )

    @property
    def words(self) -> int:
        return sum(len(value.split()) for _, value in self.parts)

    def as_text(self) -> str:
        """How it is stored: one labelled paragraph per part that was given."""
        return "\n\n".join(f"{label}: {value}" for label, value in self.parts)

    @classmethod
    def from_text(cls, text: str) -> FeedbackParts:
        """The parts back from the stored text (a paragraph without a label stays with the
        part before it; text stored without any label reads as "what happened")."""
        found: dict[str, list[str]] = {label: [] for label in PART_LABELS}
        current = PART_LABELS[0]
        for paragraph in text.split("\n\n"):
            label = next((lb for lb in PART_LABELS if paragraph.startswith(f"{lb}: ")), None)
            if label is not None:
                current, paragraph = label, paragraph[len(label) + 2 :]
            found[current].append(paragraph)
        what, effect, suggestion = ("\n\n".join(found[label]).strip() for label in PART_LABELS)
        return cls(what=what, effect=effect, suggestion=suggestion)


@dataclass(frozen=True)
class FeedbackEntry:
    id: int
    created_at: datetime
    given: bool  # True when the person asking wrote it, False when they received it
    other_user_id: str  # the recipient of given feedback, the author of received feedback
    program_name: str
    text: str


def give_feedback(
    session: Session,
    *,
    pair_id: int,
    from_id: int,
    to_ids: Iterable[int],
    session_id: int | None,
    parts: FeedbackParts,
) -> list[int]:
    """One row per recipient (a trio has two partners); returns their ids."""
    rows = [
        Feedback(
            pair_id=pair_id,
            from_id=from_id,
            to_id=to_id,
            session_id=session_id,
            text=parts.as_text(),
            visibility=Visibility.RECIPIENT,
        )
        for to_id in to_ids
        if to_id != from_id
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def feedback_of_user(
    session: Session, *, workspace_id: int, user_id: str, offset: int, limit: int
) -> tuple[list[FeedbackEntry], int]:
    """Feedback the person received or gave, newest first, and how many there are in all."""
    mine = (
        select(Participant.id)
        .join(Member, Member.id == Participant.member_id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )
    condition = or_(Feedback.from_id.in_(mine), Feedback.to_id.in_(mine))
    total = session.scalar(select(func.count()).select_from(Feedback).where(condition)) or 0
    author, recipient = aliased(Participant), aliased(Participant)
    author_member, recipient_member = aliased(Member), aliased(Member)
    rows = session.execute(
        select(
            Feedback.id,
            Feedback.created_at,
            Feedback.text,
            author_member.slack_user_id,
            recipient_member.slack_user_id,
            Program.name,
        )
        .join(author, author.id == Feedback.from_id)
        .join(author_member, author_member.id == author.member_id)
        .join(recipient, recipient.id == Feedback.to_id)
        .join(recipient_member, recipient_member.id == recipient.member_id)
        .join(Pair, Pair.id == Feedback.pair_id)
        .join(Program, Program.id == Pair.program_id)
        .where(condition)
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        .offset(offset)
        .limit(limit)
    )
    entries = [
        FeedbackEntry(
            id=feedback_id,
            created_at=created_at,
            given=author_user == user_id,
            other_user_id=recipient_user if author_user == user_id else author_user,
            program_name=program_name,
            text=text,
        )
        for feedback_id, created_at, text, author_user, recipient_user, program_name in rows
    ]
    return entries, total


@dataclass(frozen=True)
class FeedbackNote:
    """One feedback row as its delivery needs it, read at send time."""

    id: int
    pair_id: int
    author_user_id: str
    recipient_user_id: str
    recipient_participant_id: int
    recipient_status: ParticipantStatus
    program_name: str
    parts: FeedbackParts


def plan_feedback_delivery(
    session: Session,
    *,
    workspace_id: int,
    feedback_id: int,
    pair_id: int,
    recipient_participant_id: int,
    recipient_user_id: str,
    now: datetime,
) -> int | None:
    """The outbox row that takes this feedback to its recipient: ids only, never the text."""
    return plan_now(
        session,
        workspace_id=workspace_id,
        kind=FEEDBACK,
        key=f"feedback:{feedback_id}:to:{recipient_user_id}",
        now=now,
        pair_id=pair_id,
        participant_id=recipient_participant_id,
        payload={"feedback_id": feedback_id},
    )


def feedback_note(session: Session, feedback_id: int) -> FeedbackNote | None:
    """The feedback, its author and its recipient; None when it was erased."""
    author, recipient = aliased(Participant), aliased(Participant)
    author_member, recipient_member = aliased(Member), aliased(Member)
    row = session.execute(
        select(
            Feedback.pair_id,
            Feedback.text,
            author_member.slack_user_id,
            recipient_member.slack_user_id,
            recipient.id,
            recipient.status,
            Program.name,
        )
        .join(author, author.id == Feedback.from_id)
        .join(author_member, author_member.id == author.member_id)
        .join(recipient, recipient.id == Feedback.to_id)
        .join(recipient_member, recipient_member.id == recipient.member_id)
        .join(Pair, Pair.id == Feedback.pair_id)
        .join(Program, Program.id == Pair.program_id)
        .where(Feedback.id == feedback_id)
    ).first()
    if row is None:
        return None
    pair_id, text, author_user, recipient_user, recipient_id, recipient_status, program = row
    return FeedbackNote(
        id=feedback_id,
        pair_id=pair_id,
        author_user_id=author_user,
        recipient_user_id=recipient_user,
        recipient_participant_id=recipient_id,
        recipient_status=recipient_status,
        program_name=program,
        parts=FeedbackParts.from_text(text),
    )
