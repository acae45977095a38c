"""Scripted failures: the next N calls of a method answer with an error, a 429 or a 5xx,
or are held a while before they are carried out (a call in flight, for crash tests).

The bot's delivery rules (wait on 429, back off on 5xx, stop on permanent errors) can only
be tested if Slack misbehaves on demand; faults queue per method and are used up in order.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from bot.slack_emulator.rate_limits import RateLimits

_SERVER_ERROR_CODES = {
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "request_timeout",
}


@dataclass(frozen=True)
class Fault:
    """One canned answer: status, JSON body and extra headers."""

    http_status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def error_fault(error: str) -> Fault:
    """HTTP 200 with ``{"ok": false, "error": error}``, how Slack reports most failures."""
    return Fault(200, {"ok": False, "error": error})


def rate_limit_fault(retry_after: int) -> Fault:
    """HTTP 429 with the ``Retry-After`` header clients must honour."""
    return Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})


def server_error_fault(status: int) -> Fault:
    """An HTTP 5xx, as Slack answers during incidents."""
    if not 500 <= status <= 599:
        raise ValueError(f"not a server error status: {status}")
    return Fault(status, {"ok": False, "error": _SERVER_ERROR_CODES.get(status, "fatal_error")})


class FaultPlan:
    """Per-method queues of faults, consumed one per call, thread-safely."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Fault]] = {}
        self.rate_limits: RateLimits | None = None  # Slack-like pacing, off unless enabled
        self._delays: dict[str, deque[float]] = {}
        self._gate = threading.Event()  # set by `release_delayed`: held calls go on at once
        self._holding: dict[str, int] = {}
        self._cuts: dict[str, int] = {}

    def add(self, method: str, fault: Fault, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` answer with ``fault``."""
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queues.setdefault(method, deque()).extend([fault] * times)

    def delay(self, method: str, seconds: float, times: int = 1, after: int = 0) -> None:
        """Hold the ``times`` calls of ``method`` that follow the next ``after`` ones for
        ``seconds`` (or until `release_delayed`) before carrying them out: the caller's
        request is in flight meanwhile, and what it asked is done once the hold ends."""
        if times < 1 or after < 0:
            raise ValueError("times must be at least 1 and after not negative")
        with self._lock:
            self._delays.setdefault(method, deque()).extend([0.0] * after + [seconds] * times)

    def cut_after(self, method: str, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method``, then reset the connection instead
        of answering: the caller can't know whether Slack took the call (a message posted,
        its answer lost), the case a client must never blindly send again."""
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._cuts[method] = self._cuts.get(method, 0) + times

    def take_cut(self, method: str) -> bool:
        """True when this call's answer is to be replaced by a reset connection."""
        with self._lock:
            left = self._cuts.get(method, 0)
            if left <= 0:
                return False
            self._cuts[method] = left - 1
            return True

    def holding(self, method: str) -> int:
        """How many calls of ``method`` have been held so far (each counted as it starts)."""
        with self._lock:
            return self._holding.get(method, 0)

    def release_delayed(self) -> None:
        """Let every call held now go on without waiting for the rest of its delay."""
        with self._lock:
            gate, self._gate = self._gate, threading.Event()
        gate.set()

    def _hold(self, method: str) -> None:
        with self._lock:
            queue = self._delays.get(method)
            seconds = queue.popleft() if queue else 0.0
            if seconds <= 0:
                return
            gate = self._gate
            self._holding[method] = self._holding.get(method, 0) + 1
        gate.wait(seconds)

    def take(self, method: str, channel: str | None = None) -> Fault | None:
        """The fault for this call of ``method``: a queued one, or a 429 past the rate limits.
        A call scripted to be delayed is held here first."""
        self._hold(method)
        with self._lock:
            queue = self._queues.get(method)
            if queue:
                return queue.popleft()
        limits = self.rate_limits
        wait = limits.retry_after(method, channel) if limits is not None else None
        return rate_limit_fault(wait) if wait is not None else None

    def clear(self) -> None:
        """Drop every queued fault and delay; calls held now go on."""
        with self._lock:
            self._queues.clear()
            self._delays.clear()
            self._cuts.clear()
        self.release_delayed()
