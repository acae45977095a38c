"""A matching run: the preview a coordinator confirms, re-runs or cancels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import MatchRunStatus


class MatchRun(TimestampMixin, Base):
    __tablename__ = "match_runs"
    __table_args__ = (CheckConstraint("round >= 1", name="round_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    round: Mapped[int]
    status: Mapped[MatchRunStatus] = mapped_column(
        enum_column(MatchRunStatus, "match_run_status"), default=MatchRunStatus.PROPOSED
    )
    created_by: Mapped[str | None] = mapped_column(String(32))  # None: the scheduler
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. {"allow_trios": true}
    unmatched: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    total_score: Mapped[float] = mapped_column(default=0.0)
    preview_channel: Mapped[str | None] = mapped_column(String(32))
    preview_ts: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
