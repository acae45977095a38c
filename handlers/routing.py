"""Bolt matchers that route `/mentor <subcommand>` texts to the feature that owns them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.commands import parse_command

Matcher = Callable[..., bool]


def subcommand(*names: str) -> Matcher:
    """Match `/mentor NAME ...` for any of `names`."""
    wanted = frozenset(names)

    def matches(command: dict[str, Any]) -> bool:
        return parse_command(command.get("text")).name in wanted

    return matches


def admin_subcommand(*names: str) -> Matcher:
    """Match `/mentor admin NAME ...`."""
    wanted = frozenset(names)

    def matches(command: dict[str, Any]) -> bool:
        parsed = parse_command(command.get("text"))
        return parsed.is_admin and bool(parsed.args) and parsed.args[0].lower() in wanted

    return matches
