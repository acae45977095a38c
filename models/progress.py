"""What a pair does together: goals, sessions, learnings, action items and feedback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import ActionStatus, GoalStatus, SessionStatus, Visibility


class Goal(TimestampMixin, Base):
    """A measurable goal: what, the indicator that shows it, and when."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(300))
    indicator: Mapped[str] = mapped_column(String(300))
    target_on: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(
        enum_column(GoalStatus, "goal_status"), default=GoalStatus.OPEN
    )
    closed_at: Mapped[datetime | None]


class MentoringSession(TimestampMixin, Base):
    """A meeting of a pair, planned or held (named so as not to clash with the ORM Session)."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR (minutes > 0 AND minutes <= 600)", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"), default=SessionStatus.PLANNED
    )
    scheduled_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    minutes: Mapped[int | None]
    # Who cancelled or skipped: cancellations are counted per side for reports.
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    notes_visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "session_notes_visibility"), default=Visibility.PAIR
    )
    source: Mapped[str] = mapped_column(String(20), default="nudge")


class Learning(TimestampMixin, Base):
    """A learning-log entry; the partner sees it only when shared with the pair."""

    __tablename__ = "learnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "learning_visibility"), default=Visibility.PRIVATE
    )


class ActionItem(TimestampMixin, Base):
    """Something a participant will apply, followed up at its due date."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    completed_at: Mapped[datetime | None]


class Feedback(TimestampMixin, Base):
    """Kept for its author and recipient only: never shown to coordinators."""

    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint("from_id <> to_id", name="not_to_self"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    from_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "feedback_visibility"), default=Visibility.RECIPIENT
    )


class GoalProgress(TimestampMixin, Base):
    """One step recorded against a goal's indicator: a percentage or a count, and a note.

    The note is the pair's own (the partner may read it); coordinators never see it.
    """

    __tablename__ = "goal_progress"
    __table_args__ = (
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        CheckConstraint("percent IS NOT NULL OR amount IS NOT NULL", name="measured"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    percent: Mapped[int | None]
    amount: Mapped[int | None]  # a count towards the indicator's target
    note: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime]
