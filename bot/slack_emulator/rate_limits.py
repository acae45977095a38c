"""Slack-like rate limits for chat.postMessage: per channel and across the workspace.

Slack allows about one message per second per channel (short bursts tolerated) and
a workspace-wide ceiling; past them it answers 429 with Retry-After. Token buckets
model both, so a sender that paces itself sees no 429 and one that doesn't, does.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

PACED_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})


@dataclass
class _Bucket:
    rate: float  # tokens per second
    capacity: float
    tokens: float
    updated: float

    def wait_needed(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class RateLimits:
    per_channel_per_second: float = 1.0
    channel_burst: float = 2.0
    workspace_per_second: float = 20.0
    workspace_burst: float = 20.0
    _channels: dict[str, _Bucket] = field(default_factory=dict)
    _workspace: _Bucket | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, method: str, channel: str | None) -> int | None:
        """Seconds to wait when this call would exceed a limit, else None (and it is counted)."""
        if method not in PACED_METHODS:
            return None
        now = time.monotonic()
        with self._lock:
            if self._workspace is None:
                self._workspace = _Bucket(
                    self.workspace_per_second, self.workspace_burst, self.workspace_burst, now
                )
            key = channel or ""
            bucket = self._channels.get(key)
            if bucket is None:
                bucket = self._channels[key] = _Bucket(
                    self.per_channel_per_second, self.channel_burst, self.channel_burst, now
                )
            wait = max(bucket.wait_needed(now), self._workspace.wait_needed(now))
            if wait > 0:
                return max(1, math.ceil(wait))
            bucket.tokens -= 1
            self._workspace.tokens -= 1
            return None
