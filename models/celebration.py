"""Wins a pair agrees to celebrate publicly, and the sponsors who get the monthly digest."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column


class CelebrationStatus(enum.StrEnum):
    PENDING = "pending"  # drafted; waiting for every member of the pair to approve this text
    APPROVED = "approved"  # everyone approved; posted once when the program has a channel
    DECLINED = "declined"  # a partner said no: never posted
    WITHDRAWN = "withdrawn"  # a member took it back before it was posted


class Celebration(TimestampMixin, Base):
    """A win drafted by one partner; posted only once every member approved the same text.

    `version` grows with each edit: an approval names the version it approves, so an
    approval of an earlier text never counts for the edited one.
    """

    __tablename__ = "celebrations"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    what_changed: Mapped[str] = mapped_column(Text)
    for_whom: Mapped[str] = mapped_column(String(300))
    status: Mapped[CelebrationStatus] = mapped_column(
        enum_column(CelebrationStatus, "celebration_status"), default=CelebrationStatus.PENDING
    )
    version: Mapped[int] = mapped_column(default=1)
    approved_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # participants, this text
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None]
    posted_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class Sponsor(TimestampMixin, Base):
    """A leader who receives the monthly digest of approved wins and headline figures."""

    __tablename__ = "sponsors"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str | None] = mapped_column(String(32))
    added_at: Mapped[datetime]
