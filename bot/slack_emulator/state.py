"""The emulated workspace: users, conversations, messages, views, files, response URLs.

One re-entrant lock guards everything: the HTTP server answers requests on many threads
and each API method must see and change the workspace atomically, as Slack would.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from bot.slack_emulator import shapes
from bot.slack_emulator.ids import IdFactory, stable_id
from bot.slack_emulator.recording import CallLog

SLACKBOT_ID = "USLACKBOT"


class Workspace:
    """Everything one emulated Slack workspace knows, plus the log of calls made to it."""

    def __init__(self, *, team_id: str, team_name: str, bot_token: str, bot_user_id: str) -> None:
        self.lock = threading.RLock()
        self.ids = IdFactory(seed=team_id)
        self.team_id = team_id
        self.team_name = team_name
        self.domain = shapes.team_domain(team_name)
        self.bot_token = bot_token
        self.base_url = ""
        self.bot_user_id = bot_user_id
        self.bot_id = stable_id("B", team_id, bot_user_id)
        self.app_id = stable_id("A", team_id, bot_user_id)
        self.bot_name = "twoway"
        self.token_revoked = False
        self.app_token = "xapp-1-A0TWOWAY01-1-test"  # app-level token for Socket Mode
        self.socket_links: Callable[[], str] | None = None  # issues Socket Mode URLs
        self.calls = CallLog()
        self.users: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = {}
        self.usergroups: dict[str, dict[str, Any]] = {}  # id -> {handle, users, disabled}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.external_ids: dict[str, str] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.upload_tokens: dict[str, str] = {}
        self.response_urls: dict[str, str] = {}
        self.responses: list[dict[str, Any]] = []
        self._add_builtin_users()

    def _add_builtin_users(self) -> None:
        """Slack lists Slackbot and the app's own bot user among a workspace's members."""
        self.add_user(SLACKBOT_ID, name="slackbot", real_name="Slackbot", tz="America/Los_Angeles")
        self.add_user(
            self.bot_user_id,
            name=self.bot_name,
            real_name="Twoway",
            tz="America/Los_Angeles",
            is_bot=True,
        )

    # -- users -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str | None = None,
        *,
        name: str = "alex",
        real_name: str = "Alex Doe",
        tz: str = "Europe/Paris",
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        """Create (or replace) a member and return its Slack user object."""
        with self.lock:
            uid = user_id or self.ids.new_id("U")
            self.ids.reserve(uid)
            user = shapes.user_object(
                user_id=uid,
                team_id=self.team_id,
                name=name,
                real_name=real_name,
                tz=tz,
                is_admin=is_admin,
                is_owner=is_owner,
                deleted=deleted,
                is_bot=is_bot,
                bot_id=self.bot_id if uid == self.bot_user_id else None,
            )
            self.users[uid] = user
            return dict(user)

    def update_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Change top-level user fields; ``tz`` also refreshes ``tz_label``/``tz_offset``."""
        with self.lock:
            user = self.user_or_raise(user_id)
            if "tz" in fields:
                fields = {**fields, **shapes.tz_fields(fields["tz"])}
            user.update(fields)
            if "real_name" in fields:
                user["profile"]["real_name"] = fields["real_name"]
            return dict(user)

    def user_or_raise(self, user_id: str) -> dict[str, Any]:
        """The stored user, or ``KeyError`` naming the unknown id."""
        user = self.users.get(user_id)
        if user is None:
            raise KeyError(f"no such user: {user_id}")
        return user

    # -- conversations -----------------------------------------------------------------

    def add_channel(
        self,
        channel_id: str | None = None,
        *,
        name: str = "general",
        is_private: bool = False,
        members: list[str] | tuple[str, ...] = (),
        is_archived: bool = False,
    ) -> str:
        """Create a public or private channel with the given members and return its id."""
        with self.lock:
            cid = channel_id or self.ids.new_id("C")
            self.ids.reserve(cid)
            self.conversations[cid] = shapes.channel_object(
                channel_id=cid,
                name=name,
                creator=next(iter(members), self.bot_user_id),
                is_private=is_private,
                is_archived=is_archived,
                is_general=name == "general",
            )
            self.members[cid] = list(dict.fromkeys(members))
            self.messages.setdefault(cid, [])
            return cid

    def archive_channel(self, channel_id: str) -> None:
        """Mark a channel archived: later posts to it fail with ``is_archived``."""
        with self.lock:
            conversation = self.conversations.get(channel_id)
            if conversation is None:
                raise KeyError(f"no such channel: {channel_id}")
            conversation["is_archived"] = True

    def open_im(self, user_id: str) -> tuple[str, bool]:
        """The bot's DM with a user (created on first use); also says whether it existed."""
        with self.lock:
            cid = stable_id("D", self.team_id, user_id)
            existed = cid in self.conversations
            if not existed:
                user = self.users.get(user_id)
                self.conversations[cid] = shapes.im_object(
                    channel_id=cid, user_id=user_id, user_deleted=bool(user and user["deleted"])
                )
                self.members[cid] = list(dict.fromkeys([user_id, self.bot_user_id]))
                self.messages.setdefault(cid, [])
            return cid, existed

    def open_mpim(self, user_ids: list[str]) -> tuple[str, bool]:
        """The group DM of these users plus the bot: one id per member set, whatever the order."""
        with self.lock:
            member_set = sorted({*user_ids, self.bot_user_id})
            cid = stable_id("G", self.team_id, *member_set)
            existed = cid in self.conversations
            if not existed:
                names = [self.users[u]["name"] for u in member_set if u in self.users]
                self.conversations[cid] = shapes.channel_object(
                    channel_id=cid,
                    name="mpdm-" + "--".join(names) + "-1",
                    creator=self.bot_user_id,
                    is_private=True,
                    is_archived=False,
                    is_mpim=True,
                )
                self.members[cid] = list(dict.fromkeys([*user_ids, self.bot_user_id]))
                self.messages.setdefault(cid, [])
            return cid, existed

    def bot_is_member(self, channel_id: str) -> bool:
        """Whether the bot belongs to a conversation (DMs and group DMs it opened included)."""
        return self.bot_user_id in self.members.get(channel_id, [])

    # -- messages ----------------------------------------------------------------------

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        """The stored message with this ``ts`` in this channel, if any."""
        for message in self.messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        return None

    def all_messages(
        self, channel_id: str | None = None, *, after: str | None = None
    ) -> list[dict[str, Any]]:
        """Deep copies of stored messages in posting order, each with its ``channel`` added;
        with `after`, only those posted after that ``ts`` (a reader that follows along copies
        what is new, not the whole history again)."""
        floor = _ts_key(after) if after else None
        with self.lock:
            found = [
                {**message, "channel": cid}
                for cid, messages in self.messages.items()
                if channel_id is None or cid == channel_id
                for message in _posted_after(messages, floor)
            ]
            found.sort(key=lambda m: _ts_key(m["ts"]))
            return copy.deepcopy(found)


def _ts_key(ts: str) -> tuple[int, ...]:
    """A message ``ts`` as a number pair, for ordering (``"9.5" < "10.1"``)."""
    return tuple(int(part) for part in ts.split("."))


def _posted_after(messages: list[dict[str, Any]], floor: tuple[int, ...] | None) -> list[Any]:
    """The tail of a conversation posted after `floor` (each list is in posting order, so
    only the new messages are looked at)."""
    if floor is None:
        return messages
    start = len(messages)
    while start > 0 and _ts_key(messages[start - 1]["ts"]) > floor:
        start -= 1
    return messages[start:]
