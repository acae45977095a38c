"""Sponsors: the admin command's answers, the `@user` parser and the monthly digest."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.services.sponsors import MIN_PEOPLE, Figure, ProgramDigest
from bot.views.blocks import MESSAGE_BLOCK_LIMIT, context, header, section
from bot.views.celebrations import escaped

USAGE = (
    "Use `/mentor admin sponsors add @person`, `/mentor admin sponsors remove @person` or "
    "`/mentor admin sponsors list`. Sponsors get a monthly digest in their DM: the wins pairs "
    "agreed to celebrate and headline figures, never anything private."
)
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")
_NAME = re.compile(r"@([\w.\- ]{1,80})")


def parse_person(words: list[str]) -> tuple[str | None, str | None]:
    """(user id, None) for `<@U…>` or `U…`; (None, name) for a plain `@name`; (None, None)."""
    text = " ".join(words).strip()
    mention = _MENTION.fullmatch(text)
    if mention:
        return mention.group(1), None
    if _USER_ID.fullmatch(text):
        return text, None
    name = _NAME.fullmatch(text)
    return (None, name.group(1).strip()) if name else (None, None)


def _answer(text: str) -> dict[str, Any]:
    return {"text": text, "blocks": [section(text)]}


def build_usage() -> dict[str, Any]:
    return _answer(USAGE)


def build_unknown_person(name: str | None) -> dict[str, Any]:
    who = f"*@{escaped(name)}*" if name else "that person"
    return _answer(
        f"I couldn't tell who {who} is. Mention them with @ and pick them from Slack's list."
    )


def build_sponsor_changed(*, user_id: str, added: bool, changed: bool) -> dict[str, Any]:
    if added:
        text = (
            f"<@{user_id}> is now a sponsor: they get a digest in their DM at the start of "
            "each month."
            if changed
            else f"<@{user_id}> is a sponsor already."
        )
    else:
        text = (
            f"<@{user_id}> is no longer a sponsor." if changed else f"<@{user_id}> isn't a sponsor."
        )
    return _answer(text)


def build_sponsor_list(user_ids: list[str]) -> dict[str, Any]:
    if not user_ids:
        return _answer("No sponsors yet. " + USAGE)
    names = ", ".join(f"<@{u}>" for u in user_ids)
    return _answer(f"Sponsors ({len(user_ids)}): {names}. They get a digest at each month's start.")


def _figure(label: str, figure: Figure) -> str:
    if not figure.shown:
        return f"{label}: withheld (from fewer than {MIN_PEOPLE} people)"
    return f"{label}: {figure.value}"


def build_digest(*, month: str, programs: list[ProgramDigest]) -> dict[str, Any]:
    """The month's approved wins and figures per program; nothing private, nothing small."""
    title = date.fromisoformat(f"{month}-01").strftime("%B %Y")
    text = f"Reverse mentoring in {title}: wins and figures"
    blocks: list[dict[str, Any]] = [header(f":sparkles: Reverse mentoring, {title}")]
    if not programs:
        blocks.append(section("No program ran this month."))
    for program in programs:
        lines = [
            f"*{escaped(program.name)}*",
            _figure("Pairs active", program.pairs_active),
            _figure(f"Sessions held in {title}", program.sessions_held),
        ]
        blocks.append(section("\n".join(lines)))
        for win in program.wins:
            people = " and ".join(f"<@{u}>" for u in win.user_ids)
            blocks.append(
                section(
                    f":tada: {escaped(win.what_changed)}\n_For {escaped(win.for_whom)}_ — {people}"
                )
            )
        if not program.wins:
            blocks.append(context("No wins were shared this month."))
    blocks.append(
        context(
            "Only wins the pairs approved for sharing are shown; a figure from fewer than "
            f"{MIN_PEOPLE} people is withheld."
        )
    )
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        blocks = [*blocks[: MESSAGE_BLOCK_LIMIT - 1], context("More wins than fit here.")]
    return {"text": text, "blocks": blocks}
