"""What a renderer hands the outbox: a post, a file, a Home tab, or an edit of a message.

Renderers build these from the database at send time, so what is sent reflects
consent and state as they are then; the deliveries table holds ids, never texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

OnSent = Callable[[Session, str, str], None]
"""Called in the transaction that records the send, with the channel and ts Slack gave."""


@dataclass(frozen=True)
class Post:
    """A new message in a channel, a DM or a group DM."""

    text: str
    blocks: list[dict[str, Any]]
    channel: str | None = None  # a known channel id, or...
    open_with: tuple[str, ...] = ()  # ...user ids whose (group) DM is opened through the cache
    on_sent: OnSent | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Upload:
    """A file (a chart, an export) shared in a channel or a person's DM."""

    filename: str
    content: bytes | str
    title: str
    comment: str = ""
    channel: str | None = None
    open_with: tuple[str, ...] = ()
    on_sent: OnSent | None = field(default=None, compare=False)
    thread_ts: str | None = None  # shared as a reply in that message's thread


@dataclass(frozen=True)
class HomePublish:
    """A person's App Home tab, published anew."""

    user_id: str
    view: dict[str, Any]


@dataclass(frozen=True)
class Update:
    """An earlier message edited in place (a delivery report, a preview's decision)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]


Outgoing = Post | Upload | HomePublish | Update
