"""The Slack workspace, its members (people as Slack knows them) and cached DM channels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_column
from models.enums import WorkspaceStatus


class Workspace(TimestampMixin, Base):
    """One installation of the app; `admin_channel_id` can be changed in-app."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    admin_channel_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[WorkspaceStatus] = mapped_column(
        enum_column(WorkspaceStatus, "workspace_status"), default=WorkspaceStatus.ACTIVE
    )
    inactive_reason: Mapped[str | None] = mapped_column(String(255))


class Member(TimestampMixin, Base):
    """A Slack user of the workspace; timezone is refreshed from users.info / user_change."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_slack_admin: Mapped[bool] = mapped_column(default=False)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    profile_synced_at: Mapped[datetime | None]
    # Homes are republished after changes only for people who have opened theirs.
    home_opened_at: Mapped[datetime | None]


class Coordinator(TimestampMixin, Base):
    """Coordinators added in-app, on top of TWOWAY_COORDINATORS and workspace admins."""

    __tablename__ = "coordinators"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str | None] = mapped_column(String(32))


class DmChannel(TimestampMixin, Base):
    """conversations.open is rate-limited far below chat.postMessage: open each DM once."""

    __tablename__ = "dm_channels"
    __table_args__ = (UniqueConstraint("workspace_id", "members_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    members_key: Mapped[str] = mapped_column(String(255))  # sorted user ids, comma-joined
    channel_id: Mapped[str] = mapped_column(String(32))
