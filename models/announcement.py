"""Announcements and invitations a coordinator sends: what, to whom, when, and how it went.

The text is the coordinator's own broadcast (not a participant's private words), so it is
stored; each recipient's copy is one deliveries row whose unique key names the
announcement and the recipient, so nobody gets it twice.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column


class AnnouncementKind(enum.StrEnum):
    ANNOUNCEMENT = "announcement"
    INVITATION = "invitation"


class AnnouncementStatus(enum.StrEnum):
    DRAFT = "draft"  # previewed in the admin channel; nothing planned for anyone yet
    SCHEDULED = "scheduled"  # rows planned for later
    SENDING = "sending"  # rows being sent
    DONE = "done"  # every row settled (sent, skipped or failed)
    CANCELLED = "cancelled"  # dropped before it went, or the rest stopped


class Audience(enum.StrEnum):
    EVERYONE = "everyone"  # every active participant
    SENIORS = "seniors"
    JUNIORS = "juniors"
    PAIRS = "pairs"  # each active pair's group DM, once
    WAITING = "waiting"  # active participants without an active pair
    NOT_MET = "not_met"  # active pairs without a held session this period
    PICKED = "picked"  # hand-picked people
    CHANNEL = "channel"  # one post in a channel
    INVITEES = "invitees"  # an invitation's members (never a modal choice)


class SendMode(enum.StrEnum):
    NOW = "now"
    LOCAL = "local"  # a date and time in each recipient's own timezone
    INSTANT = "instant"  # one fixed instant for everyone


class Announcement(TimestampMixin, Base):
    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_workspace_id_id", "workspace_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[AnnouncementKind] = mapped_column(
        enum_column(AnnouncementKind, "announcement_kind")
    )
    status: Mapped[AnnouncementStatus] = mapped_column(
        enum_column(AnnouncementStatus, "announcement_status"), default=AnnouncementStatus.DRAFT
    )
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, "announcement_audience"))
    # Hand-picked user ids, the channel id, or an invitation's targets (ids only).
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text)
    link_label: Mapped[str | None] = mapped_column(String(75))
    link_url: Mapped[str | None] = mapped_column(Text)
    send_mode: Mapped[SendMode] = mapped_column(
        enum_column(SendMode, "announcement_send_mode"), default=SendMode.NOW
    )
    send_on: Mapped[date | None]
    send_time: Mapped[time | None]
    send_at: Mapped[datetime | None]  # SendMode.INSTANT
    created_by: Mapped[str] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    preview_channel: Mapped[str | None] = mapped_column(String(32))
    preview_ts: Mapped[str | None] = mapped_column(String(32))
    recipients: Mapped[int] = mapped_column(default=0)
    # Counted when planned and never sent (invitations: bots, deactivated, enrolled...).
    skipped: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
