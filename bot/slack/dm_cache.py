"""DM channel ids kept in the database, so each conversation is opened once, ever."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import unit_of_work
from models import DmChannel


class DatabaseDmChannelCache:
    """Memory in front of the `dm_channels` table; each lookup is its own short transaction."""

    def __init__(self, sessions: sessionmaker[Session], workspace_id: int) -> None:
        self._sessions = sessions
        self._workspace_id = workspace_id
        self._memory: dict[str, str] = {}

    def get(self, members_key: str) -> str | None:
        if members_key in self._memory:
            return self._memory[members_key]
        with unit_of_work(self._sessions) as session:
            channel_id = session.scalar(
                select(DmChannel.channel_id).where(
                    DmChannel.workspace_id == self._workspace_id,
                    DmChannel.members_key == members_key,
                )
            )
        if channel_id:
            self._memory[members_key] = channel_id
        return channel_id

    def put(self, members_key: str, channel_id: str) -> None:
        self._memory[members_key] = channel_id
        try:
            with unit_of_work(self._sessions) as session:
                session.add(
                    DmChannel(
                        workspace_id=self._workspace_id,
                        members_key=members_key,
                        channel_id=channel_id,
                    )
                )
        except IntegrityError:
            pass  # another process opened the same DM first; Slack returns the same id

    def forget_user(self, user_id: str) -> None:
        """Drop the user's DMs from memory; their rows are deleted with the erasure."""
        for key in [k for k in self._memory if user_id in k.split(",")]:
            del self._memory[key]
