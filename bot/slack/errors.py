"""Slack failures, sorted by what a caller should do about them."""

from __future__ import annotations

from typing import ClassVar, Literal

Scope = Literal["call", "user", "channel", "workspace"]


class SlackError(Exception):
    """A Web API call that did not succeed after the gateway's retries."""

    scope: ClassVar[Scope] = "call"
    permanent: ClassVar[bool] = False

    def __init__(self, method: str, code: str, detail: str = "") -> None:
        super().__init__(f"{method}: {code}" + (f" ({detail})" if detail else ""))
        self.method = method
        self.code = code


class SlackUnavailable(SlackError):
    """Rate limited, 5xx or unreachable after every retry: try again later."""


class SlackRequestRejected(SlackError):
    """Slack refused the arguments (invalid_blocks, missing field...): a bug on our side."""


class UserGone(SlackError):
    """The person was deactivated or cannot be reached: stop sending to them."""

    scope = "user"
    permanent = True


class ChannelGone(SlackError):
    """The channel was archived or the bot is not in it: stop sending there."""

    scope = "channel"
    permanent = True


class TokenRevoked(SlackError):
    """The app was uninstalled or its token revoked: stop everything for the workspace."""

    scope = "workspace"
    permanent = True


_BY_CODE: dict[str, type[SlackError]] = {
    **dict.fromkeys(
        ("user_not_found", "user_disabled", "user_not_visible", "cannot_dm_bot", "user_is_bot"),
        UserGone,
    ),
    **dict.fromkeys(
        (
            "channel_not_found",
            "is_archived",
            "channel_is_archived",
            "not_in_channel",
            "restricted_action",
        ),
        ChannelGone,
    ),
    **dict.fromkeys(
        (
            "token_revoked",
            "token_expired",
            "invalid_auth",
            "not_authed",
            "account_inactive",
            "app_uninstalled",
            "team_access_not_granted",
            "team_disabled",
        ),
        TokenRevoked,
    ),
    **dict.fromkeys(
        ("ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable"),
        SlackUnavailable,
    ),
}


def error_for(method: str, code: str, detail: str = "") -> SlackError:
    return _BY_CODE.get(code, SlackRequestRejected)(method, code, detail)
