"""Who sent a request: resolved once per request, before the listener runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.clock import local_date


@dataclass(frozen=True)
class Caller:
    """The person behind a request, as the database knows them at that instant.

    `is_coordinator` uses the Slack admin flag as last synced; `profile_fresh` says
    whether that sync is recent (coordinator checks refresh a stale one after the ack).
    """

    workspace_id: int
    user_id: str
    channel_id: str | None
    timezone: str
    now: datetime
    is_coordinator: bool
    admin_channel_id: str | None
    profile_fresh: bool
    known: bool  # a member row exists

    @property
    def today(self) -> date:
        """The caller's local date when the request arrived."""
        return local_date(self.now, self.timezone)

    @property
    def in_admin_channel(self) -> bool:
        return self.admin_channel_id is not None and self.channel_id == self.admin_channel_id
