"""Pace chat.postMessage within Slack's limits: ~1 per second per channel and a workspace cap.

Each worker keeps one pacer for its whole life (a fresh one per batch would start every
batch with a full burst and forget when each channel last got a message), and takes
its share of the workspace cap among the workers sending right now.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# Per channel, pace a little under the limit: Slack's channel burst is tiny, so sending
# exactly at the limit meets Slack's own clock a hair early now and then, and every 429
# costs a whole Retry-After second.
CHANNEL_SAFETY = 0.9


@dataclass(frozen=True)
class Pacing:
    channel_interval: float = 1.0  # seconds between two messages to one channel
    workspace_per_second: float = 5.0  # Slack: "several hundred per minute" per workspace
    workspace_burst: float = 50.0


class Pacer:
    def __init__(
        self,
        pacing: Pacing,
        *,
        workers: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._pacing = pacing
        self._lock = threading.Lock()  # the heartbeat and a Confirm click may send at once
        self.share(workers)
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._last_by_channel: dict[str, float] = {}

    def share(self, workers: int) -> None:
        """Take this worker's share of the workspace rate when `workers` send side by side.

        The workspace cap is paced at its published rate, with no margin: this side's
        bucket holds only half of Slack's burst, and the other half absorbs the jitter
        between the two clocks. A margin on the rate would cost its whole size on every
        large send (10 % of a 10,000-person announcement is 20 seconds)."""
        self._rate = self._pacing.workspace_per_second / max(1, workers)
        self._capacity = max(1.0, self._pacing.workspace_burst / 2 / max(1, workers))
        if hasattr(self, "_tokens"):
            self._tokens = min(self._tokens, self._capacity)

    def wait(self, channel: str | None) -> float:
        """Sleep until a message may go to `channel`; returns the seconds slept."""
        with self._lock:
            return self._wait(channel)

    def _wait(self, channel: str | None) -> float:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self._rate
        if channel is not None and channel in self._last_by_channel:
            interval = self._pacing.channel_interval / CHANNEL_SAFETY
            wait = max(wait, self._last_by_channel[channel] + interval - now)
        if wait > 0:
            self._sleep(wait)
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + wait * self._rate)
            self._updated = now
        self._tokens -= 1
        if channel is not None:
            self._last_by_channel[channel] = now
        return max(wait, 0.0)
