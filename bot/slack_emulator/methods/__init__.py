"""The Web API methods the emulator implements, by Slack method name."""

from __future__ import annotations

from bot.slack_emulator.methods import (
    apps,
    chat,
    conversations,
    files,
    people,
    usergroups,
    views,
)
from bot.slack_emulator.methods._common import ApiError, Args, Method, Response

METHODS: dict[str, Method] = {
    **people.METHODS,
    **conversations.METHODS,
    **chat.METHODS,
    **views.METHODS,
    **files.METHODS,
    **apps.METHODS,
    **usergroups.METHODS,
}

__all__ = ["METHODS", "ApiError", "Args", "Method", "Response"]
