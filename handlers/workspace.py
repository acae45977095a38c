"""Slack's word that the app is gone: `app_uninstalled` and `tokens_revoked` stop the
workspace's sending (through `bot.flows.workspace`); its planners restart it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.flows.workspace import PLANNERS, stop_after_tokens_revoked, stop_after_uninstall
from bot.registry import Feature
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router


def _slack_id(value: object, longest: int = 64) -> str | None:
    """An id from the payload, or None when it is not a plausible one."""
    if isinstance(value, str) and 0 < len(value) <= longest and value.isascii():
        return value
    return None


def revoked_bot_users(event: dict[str, Any]) -> tuple[str, ...]:
    """The bot users whose tokens `tokens_revoked` lists (`tokens.bot`); malformed: none."""
    tokens = event.get("tokens")
    bots = tokens.get("bot") if isinstance(tokens, dict) else None
    if not isinstance(bots, list):
        return ()
    return tuple(user for user in map(_slack_id, bots) if user is not None)


def handle_app_uninstalled(body: dict[str, Any], context: BoltContext) -> None:
    stop_after_uninstall(
        runtime_of(context),
        team_id=_slack_id(body.get("team_id"), 32),
        event_id=_slack_id(body.get("event_id")),
    )


def handle_tokens_revoked(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    stop_after_tokens_revoked(
        runtime_of(context),
        team_id=_slack_id(body.get("team_id"), 32),
        event_id=_slack_id(body.get("event_id")),
        bot_user_ids=revoked_bot_users(event),
    )


def register(app: Router) -> None:
    app.event("app_uninstalled")(shown_to_user(handle_app_uninstalled))
    app.event("tokens_revoked")(shown_to_user(handle_tokens_revoked))


FEATURE = Feature(name="workspace", register=register, planners=PLANNERS, order=5)
