"""The one place that calls the Slack Web API.

Retries live in slack_sdk's retry handlers (429 honours Retry-After, 5xx and
connection errors back off); what is left after them becomes a typed
`SlackError` that says whether to retry later or stop for a user, channel or
workspace. DM channels are opened once and cached.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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
            ConnectionErrorRetryHandler(
                max_retry_count=self.connection_retries, interval_calculator=backoff
            ),
        ]


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


class MemoryDmChannelCache:
    def __init__(self) -> None:
        self._channels: dict[str, str] = {}

    def get(self, members_key: str) -> str | None:
        return self._channels.get(members_key)

    def put(self, members_key: str, channel_id: str) -> None:
        self._channels[members_key] = channel_id


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
        user = self._call("users.info", self.client.users_info, user=user_id)["user"]
        return SlackUser(
            id=user["id"],
            name=user.get("real_name") or user.get("name") or user["id"],
            timezone=user.get("tz") or "UTC",
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
            is_deleted=bool(user.get("deleted")),
            is_bot=bool(user.get("is_bot")),
        )

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
