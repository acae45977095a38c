"""A senior and a junior matched for one round of a program, with their pair DM."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import PairStatus


class Pair(TimestampMixin, Base):
    __tablename__ = "pairs"
    __table_args__ = (
        UniqueConstraint("program_id", "round", "senior_id"),
        UniqueConstraint("program_id", "round", "junior_id"),
        CheckConstraint("senior_id <> junior_id", name="two_people"),
        CheckConstraint("third_id IS NULL OR third_id NOT IN (senior_id, junior_id)", name="trio"),
        CheckConstraint("round >= 1", name="round_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    round: Mapped[int]
    senior_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    junior_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    # A coordinator may allow a trio when the sides are uneven.
    third_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    status: Mapped[PairStatus] = mapped_column(
        enum_column(PairStatus, "pair_status"), default=PairStatus.PROPOSED
    )
    status_reason: Mapped[str | None] = mapped_column(String(255))
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    match_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_runs.id", ondelete="CASCADE")
    )
    match_score: Mapped[float | None]
    match_reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)
    intro_ts: Mapped[str | None] = mapped_column(String(32))  # set once the intro is posted
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
