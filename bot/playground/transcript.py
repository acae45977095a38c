"""A conversation as readable text: what each message says, as its reader sees it.

Block Kit is flattened into lines (headers, sections and their fields, context, the
buttons offered), mrkdwn is rendered by the playground's own renderer (names for
mentions, dates in the reader's timezone) and its tags dropped. Pure functions.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.clock import zone
from bot.playground.mrkdwn import Reader, mrkdwn

_TAG = re.compile(r"<[^>]+>")


def as_text(text: str | None, reader: Reader) -> str:
    """mrkdwn as the reader would read it, without markup."""
    rendered = str(mrkdwn(text or "", reader)).replace("<br>", "\n")
    return html.unescape(_TAG.sub("", rendered)).strip()


def _text_of(obj: Mapping[str, Any] | None, reader: Reader) -> str:
    if not obj:
        return ""
    if obj.get("type") == "mrkdwn":
        return as_text(obj.get("text"), reader)
    return html.unescape(str(obj.get("text", ""))).strip()


def _element_label(element: Mapping[str, Any], reader: Reader) -> str:
    label = _text_of(element.get("text"), reader) or _text_of(element.get("placeholder"), reader)
    return f"[{label or element.get('type', 'control')}]"


def block_lines(block: Mapping[str, Any], reader: Reader) -> list[str]:
    """One block's readable lines (images and dividers keep a short marker)."""
    kind = block.get("type")
    if kind == "header":
        return [f"== {_text_of(block.get('text'), reader)} =="]
    if kind == "section":
        lines = [_text_of(block.get("text"), reader)]
        lines += [_text_of(field, reader) for field in block.get("fields", [])]
        if block.get("accessory"):
            lines.append(_element_label(block["accessory"], reader))
        return [line for line in lines if line]
    if kind == "context":
        parts = [_text_of(e, reader) for e in block.get("elements", []) if e.get("type") != "image"]
        return [" · ".join(p for p in parts if p)] if parts else []
    if kind == "actions":
        return [" ".join(_element_label(e, reader) for e in block.get("elements", []))]
    if kind == "divider":
        return ["---"]
    if kind == "image":
        return [f"(image: {block.get('alt_text', '')})"]
    if kind == "rich_text":
        return [as_text(_rich_plain(block), reader)]
    return []


def _rich_plain(block: Mapping[str, Any]) -> str:
    words: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                words.append(str(node.get("text", "")))
            elif node.get("type") == "user":
                words.append(f"<@{node.get('user_id')}>")
            for child in node.get("elements", []):
                walk(child)

    walk(block)
    return "".join(words)


def message_lines(
    message: Mapping[str, Any], reader: Reader, at: datetime | None = None
) -> list[str]:
    """A message: when it arrived (`at`, the simulated instant, else its ts) in the reader's
    zone, then its blocks (or its text)."""
    moment = at or datetime.fromtimestamp(float(message.get("ts", 0)), tz=UTC)
    stamp = moment.astimezone(zone(reader.timezone))
    body = [
        line for block in message.get("blocks") or [] for line in block_lines(block, reader)
    ] or [as_text(message.get("text"), reader)]
    return [f"[{stamp:%a %d %b %H:%M}] twoway:", *(f"    {line}" for line in body if line)]


def transcript(
    messages: Iterable[tuple[Mapping[str, Any], datetime | None]], reader: Reader
) -> str:
    """Messages with the instant each arrived, as one text."""
    return "\n".join(
        line for message, at in messages for line in message_lines(message, reader, at)
    )
