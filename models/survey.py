"""Reflection surveys (quarterly and at the end of a rotation) and their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import SurveyKind


class Survey(TimestampMixin, Base):
    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("program_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[SurveyKind] = mapped_column(enum_column(SurveyKind, "survey_kind"))
    period: Mapped[str] = mapped_column(String(32))  # e.g. "2026-Q4" or "round-2"
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]


class SurveyResponse(TimestampMixin, Base):
    """One per person per survey, editable until the survey closes."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    likert: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question key -> 1..5
    reflections: Mapped[dict[str, Any]] = mapped_column(default=dict)  # author-only text
    submitted_at: Mapped[datetime | None]
