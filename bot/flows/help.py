"""`/mentor help`: the commands of every feature, and coordinators' too for coordinators."""

from __future__ import annotations

from typing import Any

from bot.flows.caller import Caller
from bot.runtime import Runtime
from bot.views.help import build_help


def help_message(runtime: Runtime, caller: Caller, *, unknown: str | None) -> dict[str, Any]:
    """No database read and no Slack call: the answer goes in the ack itself.

    The caller's coordinator flag was resolved before the listener ran (the Slack admin
    flag as last synced), which is fast enough to answer well within 3 seconds.
    """
    return build_help(
        runtime.features.commands(), unknown=unknown, is_coordinator=caller.is_coordinator
    )
