"""A reverse-mentoring program (a cohort) and the people enrolled in it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import Cadence, ParticipantStatus, ProgramStatus, Role


class Program(TimestampMixin, Base):
    __tablename__ = "programs"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        CheckConstraint("session_minutes BETWEEN 20 AND 45", name="session_minutes_range"),
        CheckConstraint("length_weeks > 0", name="length_positive"),
        CheckConstraint("rotation_weeks > 0", name="rotation_positive"),
        CheckConstraint("current_round >= 0", name="round_not_negative"),
        CheckConstraint("repeat_lookback_months BETWEEN 0 AND 60", name="lookback_range"),
        CheckConstraint("retention_months BETWEEN 1 AND 120", name="retention_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[ProgramStatus] = mapped_column(
        enum_column(ProgramStatus, "program_status"), default=ProgramStatus.ENROLLING
    )
    starts_on: Mapped[date]
    length_weeks: Mapped[int]
    rotation_weeks: Mapped[int]
    cadence: Mapped[Cadence] = mapped_column(enum_column(Cadence, "cadence"))
    session_minutes: Mapped[int] = mapped_column(default=30)
    celebration_channel_id: Mapped[str | None] = mapped_column(String(32))
    enrolment_deadline: Mapped[date | None]
    # People who met in another program within this many months are not matched again.
    repeat_lookback_months: Mapped[int] = mapped_column(default=6, server_default="6")
    current_round: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    # Private texts (learnings, feedback, reflections...) are deleted this many months after
    # the program closes; the anonymous numbers stay (bot/services/erasure.py).
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    private_texts_deleted_at: Mapped[datetime | None]


class Participant(TimestampMixin, Base):
    """One member's enrolment in one program (a person may join several programs)."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("program_id", "member_id"),
        CheckConstraint(
            "work_start IS NULL OR work_end IS NULL OR work_start < work_end",
            name="working_hours_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role, "participant_role"))
    department: Mapped[str] = mapped_column(String(80))
    can_share: Mapped[list[str]] = mapped_column(JSON, default=list)
    can_share_notes: Mapped[str | None] = mapped_column(Text)
    wants_to_learn: Mapped[list[str]] = mapped_column(JSON, default=list)
    wants_to_learn_notes: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    avoid_user_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_start: Mapped[time | None]  # local working-hours window, in the member's timezone
    work_end: Mapped[time | None]
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus, "participant_status"), default=ParticipantStatus.ACTIVE
    )
    paused_until: Mapped[date | None]
    left_at: Mapped[datetime | None]
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
