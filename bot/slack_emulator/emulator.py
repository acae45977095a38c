"""``SlackEmulator``: the one object tests and ``twoway demo`` hold.

It owns the workspace, the fault plan and the HTTP server, and offers the set-up (users,
channels), scripting (faults, revoked token) and inspection (calls, messages, views,
files, response URLs) that a test needs, all safe to use while the server is answering.
"""

from __future__ import annotations

import copy
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from bot.slack_emulator.faults import FaultPlan, error_fault, rate_limit_fault, server_error_fault
from bot.slack_emulator.methods.files import file_object
from bot.slack_emulator.rate_limits import RateLimits
from bot.slack_emulator.recording import RecordedCall
from bot.slack_emulator.server import EmulatorServer
from bot.slack_emulator.state import Workspace

if TYPE_CHECKING:
    from bot.slack_emulator.socket_mode import SocketModeServer


class SlackEmulator:
    """A local Slack workspace served over real HTTP for ``slack_sdk.WebClient``."""

    def __init__(
        self,
        team_id: str = "T0TWOWAY1",
        team_name: str = "Twoway Test",
        bot_token: str = "xoxb-test-token",
        bot_user_id: str = "U0BOT00001",
        app_token: str = "xapp-1-A0TWOWAY01-1-test",
    ) -> None:
        self.workspace = Workspace(
            team_id=team_id, team_name=team_name, bot_token=bot_token, bot_user_id=bot_user_id
        )
        self.workspace.app_token = app_token
        self.workspace.socket_links = self._socket_link
        self._socket_mode: SocketModeServer | None = None
        self._faults = FaultPlan()
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> SlackEmulator:
        """Bind a free port on 127.0.0.1 and serve on a daemon thread."""
        if self._server is not None:
            return self
        self._server = EmulatorServer(self.workspace, self._faults)
        self.workspace.base_url = self._server.base_url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},  # how fast stop() returns
            name=f"slack-emulator-{self._server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``; only known once started."""
        if self._server is None:
            raise RuntimeError("the Slack emulator is not started")
        return self._server.base_url

    @property
    def api_url(self) -> str:
        """What ``WebClient(base_url=...)`` takes: the base URL plus ``/api/``."""
        return f"{self.base_url}/api/"

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def bot_token(self) -> str:
        return self.workspace.bot_token

    @property
    def bot_user_id(self) -> str:
        return self.workspace.bot_user_id

    @property
    def bot_id(self) -> str:
        return self.workspace.bot_id

    @property
    def app_token(self) -> str:
        """The app-level token (``xapp-``) that ``apps.connections.open`` accepts."""
        return self.workspace.app_token

    # -- Socket Mode -------------------------------------------------------------------

    @property
    def socket_mode(self) -> SocketModeServer:
        """The Socket Mode server: push envelopes, await acks, ask for a reconnect."""
        with self.workspace.lock:
            if self._socket_mode is None:
                # Imported here: websockets is needed only by apps that use Socket Mode.
                from bot.slack_emulator.socket_mode import SocketModeServer

                self._socket_mode = SocketModeServer(app_id=self.workspace.app_id)
            return self._socket_mode

    def _socket_link(self) -> str:
        return self.socket_mode.issue_link()

    # -- workspace set-up --------------------------------------------------------------

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
        """Add a member and return the user object ``users.info`` will return."""
        return self.workspace.add_user(
            user_id,
            name=name,
            real_name=real_name,
            tz=tz,
            is_admin=is_admin,
            is_owner=is_owner,
            deleted=deleted,
            is_bot=is_bot,
        )

    def update_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Change a user's fields (``tz`` recomputes the offset)."""
        return self.workspace.update_user(user_id, **fields)

    def deactivate_user(self, user_id: str) -> dict[str, Any]:
        """Deactivate a user: ``deleted`` becomes true, new DMs to them are refused."""
        return self.workspace.update_user(user_id, deleted=True)

    def add_channel(
        self,
        channel_id: str | None = None,
        *,
        name: str = "general",
        is_private: bool = False,
        members: list[str] | tuple[str, ...] = (),
        is_archived: bool = False,
    ) -> str:
        """Add a channel and return its id; include the bot in ``members`` to post privately."""
        return self.workspace.add_channel(
            channel_id, name=name, is_private=is_private, members=members, is_archived=is_archived
        )

    def add_usergroup(
        self, group_id: str, *, handle: str, users: list[str], disabled: bool = False
    ) -> str:
        """Add a user group (``@handle``) with these members; returns its id (``S...``)."""
        with self.workspace.lock:
            self.workspace.usergroups[group_id] = {
                "handle": handle,
                "users": list(dict.fromkeys(users)),
                "disabled": disabled,
            }
        return group_id

    def archive_channel(self, channel_id: str) -> None:
        """Archive a channel: posts to it answer ``is_archived`` from now on."""
        self.workspace.archive_channel(channel_id)

    # -- scripted failures -------------------------------------------------------------

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}``."""
        self._faults.add(method, error_fault(error), times)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer HTTP 429 with ``Retry-After``."""
        self._faults.add(method, rate_limit_fault(retry_after), times)

    def server_error(self, method: str, status: int = 503, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer HTTP ``status`` (a 5xx)."""
        self._faults.add(method, server_error_fault(status), times)

    def delay(self, method: str, seconds: float, times: int = 1, after: int = 0) -> None:
        """Hold ``times`` calls of ``method`` (after the next ``after``) for ``seconds``
        before carrying them out: a call in flight, for tests that kill its caller."""
        self._faults.delay(method, seconds, times, after)

    def cut_after(self, method: str, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method`` but reset the connection instead
        of answering (the answer is lost on the way back)."""
        self._faults.cut_after(method, times)

    def held(self, method: str) -> int:
        """How many calls of ``method`` a ``delay`` has held so far."""
        return self._faults.holding(method)

    def release_delayed(self) -> None:
        """Let the calls held now go on at once."""
        self._faults.release_delayed()

    def enforce_rate_limits(
        self,
        *,
        per_channel_per_second: float = 1.0,
        channel_burst: float = 2.0,
        workspace_per_second: float = 20.0,
        workspace_burst: float = 20.0,
    ) -> None:
        """Answer chat.postMessage with 429 + Retry-After past Slack-like limits."""
        self._faults.rate_limits = RateLimits(
            per_channel_per_second=per_channel_per_second,
            channel_burst=channel_burst,
            workspace_per_second=workspace_per_second,
            workspace_burst=workspace_burst,
        )

    def revoke_token(self) -> None:
        """Every later authenticated call answers ``token_revoked``."""
        with self.workspace.lock:
            self.workspace.token_revoked = True

    def restore_token(self) -> None:
        """Undo ``revoke_token``: authenticated calls succeed again (the account is back)."""
        with self.workspace.lock:
            self.workspace.token_revoked = False

    # -- inspection --------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Recorded calls in arrival order, optionally of one method."""
        return self.workspace.calls.list(method)

    def clear_calls(self) -> None:
        """Forget recorded calls (the workspace state stays)."""
        self.workspace.calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Wait until ``count`` calls of ``method`` were made; ``AssertionError`` if not."""
        return self.workspace.calls.wait_for(method, count, timeout)

    def response_url(self, label: str = "") -> str:
        """A fresh URL to put in a payload's ``response_url``; posts to it are recorded."""
        ws = self.workspace
        with ws.lock:
            token = ws.ids.token()
            ws.response_urls[token] = label
        return f"{self.base_url}/response/{token}"

    def responses(self, label: str | None = None) -> list[dict[str, Any]]:
        """JSON bodies posted to response URLs, each with its ``url`` added."""
        with self.workspace.lock:
            return [
                {**copy.deepcopy(r["body"]), "url": r["url"]}
                for r in self.workspace.responses
                if label is None or r["label"] == label
            ]

    def messages(
        self, channel: str | None = None, *, after: str | None = None
    ) -> list[dict[str, Any]]:
        """Messages currently stored (posted, minus deleted, as last updated), in posting
        order; with `after`, only those posted after that ``ts``."""
        return self.workspace.all_messages(channel, after=after)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """One stored message, as last updated (a copy), or None."""
        with self.workspace.lock:
            found = self.workspace.find_message(channel, ts)
            return None if found is None else copy.deepcopy({**found, "channel": channel})

    def published_home(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab view last published for a user."""
        with self.workspace.lock:
            return copy.deepcopy(self.workspace.home_views.get(user_id))

    def open_views(self) -> dict[str, dict[str, Any]]:
        """Modals opened, pushed or updated, by view id."""
        with self.workspace.lock:
            return {
                view_id: copy.deepcopy(view)
                for view_id, view in self.workspace.views.items()
                if view["type"] == "modal"
            }

    def uploaded_files(self) -> list[dict[str, Any]]:
        """Completed uploads: Slack's file object plus ``content`` bytes and share details."""
        ws = self.workspace
        with ws.lock:
            return [
                {
                    **file_object(ws, f),
                    "content": f["content"],
                    "initial_comment": f.get("initial_comment"),
                    "thread_ts": f.get("thread_ts"),
                }
                for f in ws.files.values()
                if f["completed"]
            ]
