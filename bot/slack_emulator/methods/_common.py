"""What every API method shares: typed argument access and Slack-style errors.

Form clients send everything as strings ("1", "true", JSON text) while JSON clients send
real types; ``Args`` hides that difference so each method reads like Slack's docs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.slack_emulator.state import Workspace

Response = dict[str, Any]


class ApiError(Exception):
    """An ``{"ok": false, "error": code}`` answer, with Slack's optional details."""

    def __init__(
        self, code: str, *, messages: list[str] | None = None, errors: list[str] | None = None
    ) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages
        self.errors = errors

    def body(self) -> Response:
        """The JSON Slack would send for this error."""
        body: Response = {"ok": False, "error": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        if self.messages is not None:
            body["response_metadata"] = {"messages": self.messages, "warnings": []}
        return body


def invalid_arguments(*messages: str) -> ApiError:
    """Slack's answer to a missing or malformed argument: ``[ERROR] ...`` lines in metadata."""
    return ApiError("invalid_arguments", messages=[f"[ERROR] {m}" for m in messages])


class Args:
    """Read-only, typed access to a call's arguments."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        """A string argument; empty counts as absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else str(value)

    def required(self, name: str, error: str | None = None) -> str:
        """A string argument that must be present (``error`` overrides the default answer)."""
        value = self.text(name)
        if value is None:
            if error is not None:
                raise ApiError(error)
            raise invalid_arguments(f"missing required field: {name}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean sent as ``true``/``1`` by form clients or as JSON ``true``."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes")

    def number(self, name: str, default: int) -> int:
        """An integer argument; a non-number is ``invalid_arguments``."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise invalid_arguments(f"{name} must be an integer") from None

    def decoded(self, name: str) -> Any:
        """A JSON argument (``blocks``, ``view``, ``files``) decoded if it came as text."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise invalid_arguments(f"{name} must be valid JSON") from None
        return value

    def csv(self, name: str) -> list[str]:
        """A comma-separated list (``users``, ``channels``) or a JSON array of strings."""
        value = self.values.get(name)
        if value is None or value == "":
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(item).strip() for item in items if str(item).strip()]


Method = Callable[[Workspace, Args], Response]
