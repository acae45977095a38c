"""The one place that calls the Slack Web API.

Retries live in slack_sdk's retry handlers (429 honours Retry-After, 5xx and
connection errors back off); what is left after them becomes a typed
`SlackError` that says whether to retry later or stop for a user, channel or
workspace. DM channels are opened once and cached.
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.logging import get_logger
from bot.slack.errors import SlackError, SlackUnavailable, error_for

log = get_logger("twoway.slack")


class ScaledJitter(Jitter):
    """Up to `scale` random seconds on top of each back-off, so retries do not stampede."""

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def recalculate(self, duration: float) -> float:
        return duration + random.random() * self.scale


@dataclass(frozen=True)
class RetryPolicy:
    rate_limit_retries: int = 5
    server_error_retries: int = 3
    connection_retries: int = 3
    backoff_factor: float = 0.5  # seconds: 0.5, 1, 2 ... between 5xx retries
    jitter: float = 1.0

    def handlers(self) -> list[RetryHandler]:
        backoff = BackoffRetryIntervalCalculator(
            backoff_factor=self.backoff_factor, jitter=ScaledJitter(self.jitter)
        )
        return [
            RateLimitErrorRetryHandler(max_retry_count=self.rate_limit_retries),
            ServerErrorRetryHandler(
                max_retry_count=self.server_error_retries, interval_calculator=backoff
            ),
            UnsentOnlyRetryHandler(
                max_retry_count=self.connection_retries, interval_calculator=backoff
            ),
        ]


# Calls that create something each time they are made: sent twice, they post twice.
NOT_IDEMPOTENT = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "files.upload",
        "files.completeUploadExternal",
    }
)


def _never_sent(error: Exception) -> bool:
    """True when the request can't have reached Slack (refused, or the name didn't resolve)."""
    reason = error.reason if isinstance(error, URLError) else error
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


class UnsentOnlyRetryHandler(ConnectionErrorRetryHandler):
    """Connection errors are retried, except where a retry could post twice.

    A reset or a lost answer after a `chat.postMessage` was sent leaves it unknown whether
    Slack posted it; slack_sdk's handler would send it again. Such a call is retried only
    when the connection was never made; otherwise the error goes up to the outbox, which
    settles the row by its kind's policy (re-send or report, bot/outbox/engine.py).
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        method = request.url.rstrip("/").rsplit("/", 1)[-1]
        return method not in NOT_IDEMPOTENT or (error is not None and _never_sent(error))


def build_web_client(
    *, token: str | None, base_url: str, retry: RetryPolicy | None = None, timeout: int = 15
) -> WebClient:
    """The WebClient every part of the app uses, pointed at `SLACK_API_URL`."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=(retry or RetryPolicy()).handlers(),
    )


class DmChannelCache(Protocol):
    """Where opened DM channel ids are remembered (the database in production)."""

    def get(self, members_key: str) -> str | None: ...

    def put(self, members_key: str, channel_id: str) -> None: ...

    def forget_user(self, user_id: str) -> None:
        """Drop every remembered DM this user is in (an erased person, `/mentor forget`)."""


class MemoryDmChannelCache:
    def __init__(self) -> None:
        self._channels: dict[str, str] = {}

    def get(self, members_key: str) -> str | None:
        return self._channels.get(members_key)

    def put(self, members_key: str, channel_id: str) -> None:
        self._channels[members_key] = channel_id

    def forget_user(self, user_id: str) -> None:
        for key in [k for k in self._channels if user_id in k.split(",")]:
            del self._channels[key]


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    timezone: str
    is_admin: bool
    is_deleted: bool
    is_bot: bool


@dataclass(frozen=True)
class PostedMessage:
    channel: str
    ts: str


def members_key(user_ids: Sequence[str]) -> str:
    return ",".join(sorted(set(user_ids)))


def slack_user_of(user: dict[str, Any]) -> SlackUser:
    """A Slack user object (users.info, users.list, a user_change event) as twoway reads it."""
    return SlackUser(
        id=user["id"],
        name=user.get("real_name") or user.get("name") or user["id"],
        timezone=user.get("tz") or "UTC",
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        is_deleted=bool(user.get("deleted")),
        is_bot=bool(user.get("is_bot")),
    )


class SlackGateway:
    def __init__(self, client: WebClient, dm_cache: DmChannelCache | None = None) -> None:
        self.client = client
        self.dm_cache: DmChannelCache = dm_cache or MemoryDmChannelCache()

    def _call(self, method: str, fn: Callable[..., SlackResponse], **kwargs: Any) -> SlackResponse:
        started = time.perf_counter()
        try:
            response = fn(**kwargs)
        except SlackApiError as exc:
            code = str(exc.response.get("error") or f"http_{exc.response.status_code}")
            if exc.response.status_code == 429 or exc.response.status_code >= 500:
                error: SlackError = SlackUnavailable(method, code)
            else:
                error = error_for(method, code)
            self._log(
                method, started, kwargs, ok=False, error=code, status=exc.response.status_code
            )
            raise error from exc
        except (SlackClientError, OSError) as exc:
            self._log(method, started, kwargs, ok=False, error=type(exc).__name__)
            raise SlackUnavailable(method, "connection_error", type(exc).__name__) from exc
        self._log(method, started, kwargs, ok=True)
        return response

    @staticmethod
    def _log(method: str, started: float, kwargs: dict[str, Any], **fields: Any) -> None:
        ids = {k: kwargs[k] for k in ("channel", "user", "user_id", "users") if k in kwargs}
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        log.info("slack.call", method=method, duration_ms=duration_ms, **ids, **fields)

    # -- identity -------------------------------------------------------------------------

    def auth_test(self) -> dict[str, Any]:
        return dict(self._call("auth.test", self.client.auth_test).data)  # type: ignore[arg-type]

    def user_info(self, user_id: str) -> SlackUser:
        return slack_user_of(self._call("users.info", self.client.users_info, user=user_id)["user"])

    def _member_pages(self, most_pages: int) -> Iterator[list[dict[str, Any]]]:
        cursor = ""
        for _ in range(most_pages):
            page = self._call("users.list", self.client.users_list, limit=200, cursor=cursor)
            yield list(page.get("members") or [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return

    def user_id_for_handle(self, handle: str, *, most_pages: int = 50) -> str | None:
        """The id of the member whose handle or display name is `handle` (a mention typed
        as `@name` reaches slash commands as plain text), or None."""
        wanted = handle.lstrip("@").strip().lower()
        for members in self._member_pages(most_pages):
            for user in members:
                profile = user.get("profile") or {}
                names = {user.get("name"), profile.get("display_name"), profile.get("real_name")}
                if wanted in {str(n).lower() for n in names if n}:
                    return str(user["id"])
        return None

    def workspace_users(self, *, most_pages: int = 50) -> dict[str, SlackUser]:
        """The workspace's members by id, 200 per users.list call: for many people at once,
        far fewer calls than one users.info each (a Tier 4 method, about 100 a minute)."""
        return {
            str(user["id"]): slack_user_of(user)
            for members in self._member_pages(most_pages)
            for user in members
        }

    # -- messages -------------------------------------------------------------------------

    def post_message(
        self, *, channel: str, text: str, blocks: Sequence[dict[str, Any]] | None = None
    ) -> PostedMessage:
        response = self._call(
            "chat.postMessage",
            self.client.chat_postMessage,
            channel=channel,
            text=text,
            blocks=list(blocks) if blocks else None,
            unfurl_links=False,
        )
        return PostedMessage(channel=response["channel"], ts=response["ts"])

    def post_ephemeral(
        self,
        *,
        channel: str,
        user: str,
        text: str,
        blocks: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        self._call(
            "chat.postEphemeral",
            self.client.chat_postEphemeral,
            channel=channel,
            user=user,
            text=text,
            blocks=blocks,
        )

    def update_message(
        self,
        *,
        channel: str,
        ts: str,
        text: str,
        blocks: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        self._call(
            "chat.update", self.client.chat_update, channel=channel, ts=ts, text=text, blocks=blocks
        )

    def upload_file(
        self,
        *,
        channel: str,
        filename: str,
        content: bytes | str,
        title: str,
        comment: str = "",
        thread_ts: str | None = None,
    ) -> None:
        self._call(
            "files.upload_v2",
            self.client.files_upload_v2,
            channel=channel,
            filename=filename,
            content=content,
            title=title,
            initial_comment=comment or None,
            thread_ts=thread_ts,
        )

    # -- views ----------------------------------------------------------------------------

    def publish_home(self, *, user_id: str, view: dict[str, Any]) -> None:
        self._call("views.publish", self.client.views_publish, user_id=user_id, view=view)

    def open_view(self, *, trigger_id: str, view: dict[str, Any]) -> str:
        response = self._call(
            "views.open", self.client.views_open, trigger_id=trigger_id, view=view
        )
        return str(response["view"]["id"])

    def update_view(self, *, view_id: str, view: dict[str, Any]) -> None:
        self._call("views.update", self.client.views_update, view_id=view_id, view=view)

    # -- conversations --------------------------------------------------------------------

    def open_dm(self, user_ids: Sequence[str]) -> str:
        """The DM (one user) or group DM (2-8 users, plus the bot) channel, opened once ever."""
        key = members_key(user_ids)
        cached = self.dm_cache.get(key)
        if cached:
            return cached
        response = self._call(
            "conversations.open", self.client.conversations_open, users=key.split(",")
        )
        channel_id = str(response["channel"]["id"])
        self.dm_cache.put(key, channel_id)
        return channel_id

    # -- directories (announcements and invitations) --------------------------------------

    def channel_members(self, channel: str) -> list[str]:
        """Every member id of a channel, page by page (bots included: callers filter)."""
        members: list[str] = []
        cursor: str | None = None
        while True:
            response = self._call(
                "conversations.members",
                self.client.conversations_members,
                channel=channel,
                limit=1000,
                **({"cursor": cursor} if cursor else {}),
            )
            members.extend(str(m) for m in response.get("members") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return members

    def usergroup_members(self, usergroup: str) -> list[str]:
        """Every member id of a user group (`@team`)."""
        response = self._call(
            "usergroups.users.list", self.client.usergroups_users_list, usergroup=usergroup
        )
        return [str(u) for u in response.get("users") or []]
