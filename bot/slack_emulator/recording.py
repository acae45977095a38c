"""The ordered log of every Web API call the emulator answered.

Tests assert on what the app asked Slack to do, so every call is kept (failed and faulted
ones too) in arrival order, and ``wait_for`` lets a test block until background work
(lazy listeners, the scheduler) has made the call it expects.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordedCall:
    """One Web API call: what was sent and what the emulator answered."""

    method: str
    args: dict[str, Any]
    token: str | None
    http_status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        """Whether Slack would have reported success (HTTP 200 and ``"ok": true``)."""
        return self.http_status == 200 and bool(self.response.get("ok"))

    def json(self, name: str) -> Any:
        """An argument decoded from JSON when it was sent as a form field (``blocks``, ``view``).

        Values that arrived already decoded (a JSON request body) are returned as they are;
        a missing argument gives ``None``.
        """
        value = self.args.get(name)
        if isinstance(value, str | bytes):
            return json.loads(value)
        return value


class CallLog:
    """A thread-safe, append-only list of calls with a way to wait for more."""

    def __init__(self) -> None:
        self._calls: list[RecordedCall] = []
        # Calls that named a trigger id, by it: a modal is found from the click that opened
        # it without reading the whole log (a long playground session makes thousands).
        self._by_trigger: dict[str, list[RecordedCall]] = {}
        self._changed = threading.Condition()

    def append(self, call: RecordedCall) -> None:
        """Record a call and wake anyone waiting for it."""
        with self._changed:
            self._calls.append(call)
            trigger_id = call.args.get("trigger_id")
            if isinstance(trigger_id, str):
                self._by_trigger.setdefault(trigger_id, []).append(call)
            self._changed.notify_all()

    def with_trigger(self, trigger_id: str) -> list[RecordedCall]:
        """Calls that used this trigger id, in arrival order."""
        with self._changed:
            return list(self._by_trigger.get(trigger_id, ()))

    def list(self, method: str | None = None) -> list[RecordedCall]:
        """Calls in arrival order, optionally only those of one method."""
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def clear(self) -> None:
        """Forget every recorded call (state such as messages is kept)."""
        with self._changed:
            self._calls.clear()
            self._by_trigger.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until ``count`` calls of ``method`` exist; raise ``AssertionError`` on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [c for c in self._calls if c.method == method]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [
                        f"{c.method} -> {c.http_status} {c.response.get('error', 'ok')}"
                        for c in self._calls
                    ]
                    raise AssertionError(
                        f"expected {count} call(s) of {method} within {timeout}s, "
                        f"got {len(matching)}; recorded: {seen or 'nothing'}"
                    )
                self._changed.wait(remaining)
