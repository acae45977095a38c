"""Slack's mrkdwn as HTML, a pure function: what a person would read in the Slack client.

Tokens in angle brackets come first (mentions shown as names, `<!date^…>` in the reader's
own timezone, links), then the inline styles (bold, italic, strike, code, quotes). The
input is Slack-escaped text (`&lt;` for a literal `<`); the output is safe HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from markupsafe import Markup, escape

from bot.clock import zone

_TOKEN = re.compile(r"<([^<>\n]+)>")
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile(r"\x00(\d+)\x00")
_CODE_BLOCK = re.compile(r"```(.+?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")
_EMOJI = re.compile(r":([a-z0-9_+\-]+):")
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)

EMOJI = {
    "wave": "👋",
    "tada": "🎉",
    "seedling": "🌱",
    "large_green_circle": "🟢",
    "white_circle": "⚪",
    "white_check_mark": "✅",
    "warning": "⚠️",
    "calendar": "📅",
    "spiral_calendar_pad": "🗓️",
    "handshake": "🤝",
    "sparkles": "✨",
    "star": "⭐",
    "bulb": "💡",
    "memo": "📝",
    "clock3": "🕒",
    "hourglass_flowing_sand": "⏳",
    "pushpin": "📌",
    "dart": "🎯",
    "books": "📚",
    "speech_balloon": "💬",
    "bar_chart": "📊",
    "chart_with_upwards_trend": "📈",
    "busts_in_silhouette": "👥",
    "bust_in_silhouette": "👤",
    "raised_hands": "🙌",
    "thumbsup": "👍",
    "+1": "👍",
    "heart": "❤️",
    "x": "❌",
    "no_entry": "⛔",
    "pause_button": "⏸️",
    "arrows_counterclockwise": "🔄",
    "mag": "🔍",
    "lock": "🔒",
    "information_source": "ℹ️",
    "question": "❓",
    "red_circle": "🔴",
    "large_yellow_circle": "🟡",
    "trophy": "🏆",
    "rocket": "🚀",
    "eyes": "👀",
    "email": "📧",
    "envelope": "✉️",
    "bell": "🔔",
    "clipboard": "📋",
    "repeat": "🔁",
    "mailbox": "📫",
}


@dataclass(frozen=True)
class Reader:
    """Who reads: names for mentions, their timezone for dates, and their "now"."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)
    timezone: str = "UTC"
    now: datetime | None = None


def emoji(text: str) -> str:
    """`:tada:` as 🎉 where we know it; unknown names stay as typed, like Slack's fallback."""
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def plain(text: str | None) -> Markup:
    """A `plain_text` object's text: escaped, emoji shown."""
    return Markup(emoji(str(escape(html.unescape(text or "")))))


def mrkdwn(text: str | None, reader: Reader | None = None) -> Markup:
    """Slack mrkdwn as safe HTML for this reader."""
    reader = reader or Reader()
    held: list[str] = []

    def hold(fragment: str) -> str:
        held.append(fragment)
        return _PLACEHOLDER.format(len(held) - 1)

    source = (text or "").replace("\x00", "")

    def code_block(match: re.Match[str]) -> str:
        body = str(escape(html.unescape(match.group(1).strip("\n"))))
        return hold(f'<pre class="code">{body}</pre>')

    source = _CODE_BLOCK.sub(code_block, source)
    source = _CODE.sub(lambda m: hold(f"<code>{escape(html.unescape(m.group(1)))}</code>"), source)
    source = _TOKEN.sub(lambda m: hold(_token(m.group(1), reader)), source)
    out = str(escape(html.unescape(source)))
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    out = _STRIKE.sub(r"<s>\1</s>", out)
    out = emoji(out)
    out = _quotes(out)
    out = out.replace("\n", "<br>")
    while _PLACEHOLDER_RE.search(out):
        out = _PLACEHOLDER_RE.sub(lambda m: held[int(m.group(1))], out)
    return Markup(out)


def _quotes(out: str) -> str:
    """Lines starting with `>` (escaped as `&gt;`) become a block quote."""
    lines = out.split("\n")
    result: list[str] = []
    for line in lines:
        if line.startswith("&gt; ") or line == "&gt;":
            result.append(f'<span class="quote">{line.removeprefix("&gt;").lstrip()}</span>')
        else:
            result.append(line)
    return "\n".join(result)


def _token(inner: str, reader: Reader) -> str:
    """One `<…>` token as HTML."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user_id = target[1:]
        name = reader.users.get(user_id) or label or user_id
        return f'<span class="mention">@{escape(name)}</span>'
    if target.startswith("#"):
        channel_id = target[1:]
        name = reader.channels.get(channel_id) or label or channel_id
        return f'<span class="mention">#{escape(name)}</span>'
    if target.startswith("!date^"):
        return str(escape(format_date_token(target, label, reader)))
    if target.startswith("!subteam^"):
        return f'<span class="mention">@{escape(label or "group")}</span>'
    if target.startswith("!"):
        word = target[1:].split("^")[0]
        return f'<span class="mention">@{escape(label or word)}</span>'
    if _SAFE_LINK.match(target):
        shown = label or target
        return (
            f'<a href="{escape(html.unescape(target))}" target="_blank" rel="noopener">'
            f"{escape(html.unescape(shown))}</a>"
        )
    return str(escape(html.unescape(f"<{inner}>")))


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _relative(day: date, today: date | None) -> str | None:
    if today is None:
        return None
    return {0: "today", 1: "tomorrow", -1: "yesterday"}.get((day - today).days)


def format_date_token(target: str, fallback: str, reader: Reader) -> str:
    """`!date^1700000000^{date_short} at {time}` in the reader's timezone, as Slack shows it."""
    parts = target.split("^")
    if len(parts) < 3 or not parts[1].lstrip("-").isdigit():
        return fallback or target
    tz = zone(reader.timezone)
    moment = datetime.fromtimestamp(int(parts[1]), UTC).astimezone(tz)
    today = reader.now.astimezone(tz).date() if reader.now else None
    day = moment.date()
    words: dict[str, Callable[[], str]] = {
        "date_num": lambda: f"{day:%Y-%m-%d}",
        "date": lambda: f"{day:%B} {_ordinal(day.day)}, {day.year}",
        "date_short": lambda: f"{day:%b} {day.day}, {day.year}",
        "date_long": lambda: f"{day:%A}, {day:%B} {_ordinal(day.day)}, {day.year}",
        "date_pretty": lambda: _relative(day, today) or words["date"](),
        "date_short_pretty": lambda: _relative(day, today) or words["date_short"](),
        "date_long_pretty": lambda: _relative(day, today) or words["date_long"](),
        "time": lambda: f"{moment:%H:%M}",
        "time_secs": lambda: f"{moment:%H:%M:%S}",
        "ago": lambda: _ago(moment, reader.now),
    }
    pattern = parts[2]
    return re.sub(
        r"\{(\w+)\}", lambda m: words[m.group(1)]() if m.group(1) in words else m.group(0), pattern
    )


def _ago(moment: datetime, now: datetime | None) -> str:
    if now is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    seconds = int((now - moment).total_seconds())
    ahead = seconds < 0
    seconds = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            amount = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {amount}" if ahead else f"{amount} ago"
    return "just now"
