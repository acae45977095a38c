"""Slack-shaped identifiers and message timestamps.

Code under test often branches on an id's first letter (``C`` public, ``G`` group, ``D`` DM,
``U`` user) and sorts or dedupes on ``ts``, so the emulator hands out ids of the same shape
as Slack's and timestamps that only ever go up.
"""

from __future__ import annotations

import hashlib
import random
import string
import threading
import time

_ALPHABET = string.ascii_uppercase + string.digits
_ID_BODY_LENGTH = 9


def format_ts(micros: int) -> str:
    """Render microseconds since the epoch as Slack's ``"seconds.micros"`` string."""
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def ts_to_permalink_part(ts: str) -> str:
    """Slack permalinks spell ``1764050000.000100`` as ``p1764050000000100``."""
    return "p" + ts.replace(".", "")


def stable_id(prefix: str, *parts: str) -> str:
    """An id derived from its parts, so the same DM or group DM always gets the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    body = "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:_ID_BODY_LENGTH])
    return f"{prefix}0{body}"


class IdFactory:
    """Hands out unique ids and strictly increasing message timestamps, thread-safely.

    Random ids come from a generator seeded per workspace so a demo run is reproducible
    apart from the timestamps, which follow the wall clock like Slack's do.
    """

    def __init__(self, seed: str = "twoway") -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._issued: set[str] = set()
        self._last_ts_micros = 0
        self._counter = 0

    def new_id(self, prefix: str, length: int = _ID_BODY_LENGTH) -> str:
        """A fresh id such as ``C0ABC123XY`` (prefix, ``0``, then uppercase alphanumerics)."""
        with self._lock:
            while True:
                body = "".join(self._random.choice(_ALPHABET) for _ in range(length))
                candidate = f"{prefix}0{body}"
                if candidate not in self._issued:
                    self._issued.add(candidate)
                    return candidate

    def reserve(self, identifier: str) -> None:
        """Mark an id chosen by the caller as taken so ``new_id`` never returns it."""
        with self._lock:
            self._issued.add(identifier)

    def next_ts(self) -> str:
        """A message ``ts``: the wall clock, bumped by one microsecond when it would repeat."""
        with self._lock:
            now = int(time.time() * 1_000_000)
            self._last_ts_micros = max(now, self._last_ts_micros + 1)
            return format_ts(self._last_ts_micros)

    def token(self, length: int = 24) -> str:
        """An opaque lowercase token for upload and response URLs."""
        with self._lock:
            alphabet = string.ascii_lowercase + string.digits
            return "".join(self._random.choice(alphabet) for _ in range(length))

    def short_block_id(self) -> str:
        """Slack fills in missing ``block_id`` values with short random strings like ``aB3x``."""
        with self._lock:
            self._counter += 1
            alphabet = string.ascii_letters + string.digits
            return "".join(self._random.choice(alphabet) for _ in range(4)) + str(self._counter)

    def hash(self) -> str:
        """A view ``hash`` like ``1764050000.a1b2c3d4``, different after every change."""
        with self._lock:
            self._counter += 1
            suffix = "".join(self._random.choice(string.hexdigits.lower()) for _ in range(8))
            return f"{int(time.time())}.{suffix}{self._counter}"
