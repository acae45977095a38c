"""A participant's answer after a session: did we meet, for how long, and what came of it."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import CheckInOutcome


class CheckIn(TimestampMixin, Base):
    """One per person per session; what they learned and will apply live in their own tables."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        CheckConstraint("minutes IS NULL OR (minutes > 0 AND minutes <= 600)", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    outcome: Mapped[CheckInOutcome] = mapped_column(enum_column(CheckInOutcome, "checkin_outcome"))
    minutes: Mapped[int | None]
    learning_id: Mapped[int | None] = mapped_column(ForeignKey("learnings.id", ondelete="SET NULL"))
    action_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_items.id", ondelete="SET NULL")
    )
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="SET NULL"))
