"""Keep user text short and on one line, so agendas fit a Slack section and a phone screen."""

from __future__ import annotations

ELLIPSIS = "…"
HOLE = "{}"


def tidy(text: str) -> str:
    """One line, single spaces: people paste multi-line notes into topics and actions."""
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """`text` tidied and cut to `limit` characters, the cut marked with an ellipsis."""
    text = tidy(text)
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def fit(template: str, text: str, limit: int) -> str:
    """Fill the template's one `{}` with `text`, cutting the user text rather than ours."""
    room = limit - (len(template) - len(HOLE))
    return shorten(template.replace(HOLE, shorten(text, max(room, 1)), 1), limit)
