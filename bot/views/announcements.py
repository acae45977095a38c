"""The announce modal and its checks, the copy each recipient gets, the preview and report
in the admin channel, the list of recent announcements. Pure builders and parsers."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot.clock import zone
from bot.views.blocks import button, clip, context, divider, section
from bot.views.state import (
    State,
    selected_conversation,
    selected_date,
    selected_time,
    selected_users,
    selected_value,
    text_value,
)
from models.announcement import Audience, SendMode

TEXT_MAX = 2800  # a section holds 3000; names filled in may add some
LABEL_MAX = 75
URL_MAX = 1000
PICKED_MAX = 100
PLACEHOLDERS = ("first_name", "partner", "program")
_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")
USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,30}")


class AnnounceIds(enum.StrEnum):
    CALLBACK = "announce-modal"
    PROGRAM = "announce-program"
    AUDIENCE = "announce-audience"
    PEOPLE = "announce-people"
    CHANNEL = "announce-channel"
    TEXT = "announce-text"
    LINK_LABEL = "announce-link-label"
    LINK_URL = "announce-link-url"
    WHEN = "announce-when"
    DATE = "announce-date"
    TIME = "announce-time"
    SEND = "announce-send"
    EDIT = "announce-edit"
    CANCEL = "announce-cancel"
    LINK = "announce-link"  # the link button in a copy (opens a URL; nothing to do)
    JOIN = "announce-join"  # an invitation's Join button


AUDIENCE_WORDS: dict[Audience, str] = {
    Audience.EVERYONE: "every active participant",
    Audience.SENIORS: "seniors only",
    Audience.JUNIORS: "juniors only",
    Audience.PAIRS: "each pair's DM, once",
    Audience.WAITING: "people still waiting for a match",
    Audience.NOT_MET: "pairs that have not met this period",
    Audience.PICKED: "hand-picked people",
    Audience.CHANNEL: "a channel",
    Audience.INVITEES: "people invited to join",
}
WHEN_WORDS: dict[SendMode, str] = {
    SendMode.NOW: "Now",
    SendMode.LOCAL: "At a date and time in each person's own timezone",
    SendMode.INSTANT: "At one fixed moment (your timezone)",
}


@dataclass(frozen=True)
class Form:
    """A checked submission; times as the coordinator meant them."""

    program_id: int
    audience: Audience
    targets: tuple[str, ...]
    text: str
    link_label: str | None
    link_url: str | None
    send_mode: SendMode
    send_on: date | None
    send_time: time | None
    send_at: datetime | None


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(clip(text, 75)), "value": value}


def _input(
    block_id: AnnounceIds,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str = "",
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id.value,
        "label": plain(label),
        "element": {**element, "action_id": block_id.value},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def _select(options: list[dict[str, Any]], chosen: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain("Choose"),
        "options": options,
    }
    initial = next((o for o in options if o["value"] == chosen), None)
    if initial:
        element["initial_option"] = initial
    return element


def build_announce_modal(
    programs: list[tuple[int, str]],
    *,
    program_id: int | None,
    draft: Form | None = None,
    announcement_id: int | None = None,
) -> dict[str, Any]:
    """The announce modal, empty or filled with a draft (Edit)."""
    chosen = draft.program_id if draft else program_id
    if chosen is None and len(programs) == 1:
        chosen = programs[0][0]
    audience = [_option(w, a.value) for a, w in AUDIENCE_WORDS.items() if a != Audience.INVITEES]
    when = [_option(w, m.value) for m, w in WHEN_WORDS.items()]
    people: dict[str, Any] = {"type": "multi_users_select", "placeholder": plain("Choose people")}
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "placeholder": plain("Choose a channel"),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    text: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": TEXT_MAX}
    label: dict[str, Any] = {"type": "plain_text_input", "max_length": LABEL_MAX}
    url: dict[str, Any] = {"type": "plain_text_input", "max_length": URL_MAX}
    day: dict[str, Any] = {"type": "datepicker"}
    hour: dict[str, Any] = {"type": "timepicker"}
    if draft:
        if draft.audience == Audience.PICKED and draft.targets:
            people["initial_users"] = list(draft.targets)
        if draft.audience == Audience.CHANNEL and draft.targets:
            channel["initial_conversation"] = draft.targets[0]
        text["initial_value"] = draft.text
        if draft.link_label:
            label["initial_value"] = draft.link_label
        if draft.link_url:
            url["initial_value"] = draft.link_url
        if draft.send_on:
            day["initial_date"] = draft.send_on.isoformat()
        if draft.send_time:
            hour["initial_time"] = draft.send_time.strftime("%H:%M")
    names = ", ".join(f"`{{{p}}}`" for p in PLACEHOLDERS)
    blocks = [
        _input(
            AnnounceIds.PROGRAM,
            "Program",
            _select(
                [_option(name, str(pid)) for pid, name in programs[:100]],
                str(chosen) if chosen else None,
            ),
        ),
        _input(
            AnnounceIds.AUDIENCE,
            "Send to",
            _select(audience, draft.audience.value if draft else Audience.EVERYONE.value),
        ),
        _input(AnnounceIds.PEOPLE, "People (for hand-picked)", people, optional=True),
        _input(AnnounceIds.CHANNEL, "Channel (for a channel)", channel, optional=True),
        _input(
            AnnounceIds.TEXT,
            "Message",
            text,
            hint=f"Slack formatting works. Filled in for each person: {names}.",
        ),
        _input(AnnounceIds.LINK_LABEL, "Link button text", label, optional=True),
        _input(AnnounceIds.LINK_URL, "Link button address", url, optional=True, hint="https://…"),
        _input(
            AnnounceIds.WHEN,
            "When",
            _select(when, draft.send_mode.value if draft else SendMode.NOW.value),
        ),
        _input(AnnounceIds.DATE, "Date (when not now)", day, optional=True),
        _input(AnnounceIds.TIME, "Time (when not now)", hour, optional=True),
    ]
    return {
        "type": "modal",
        "callback_id": AnnounceIds.CALLBACK.value,
        "private_metadata": str(announcement_id or ""),
        "title": plain("Announcement"),
        "submit": plain("Preview"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def unknown_placeholders(text: str) -> list[str]:
    return [m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS]


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced (unknown ones were refused earlier)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def valid_url(value: str) -> bool:
    parts = urlsplit(value)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and "." in (parts.hostname or "")
        and not re.search(r"\s", value)
    )


def _link(state: State, errors: dict[str, str]) -> tuple[str | None, str | None]:
    label = text_value(state, AnnounceIds.LINK_LABEL, AnnounceIds.LINK_LABEL).strip() or None
    url = text_value(state, AnnounceIds.LINK_URL, AnnounceIds.LINK_URL).strip() or None
    if label and not url:
        errors[AnnounceIds.LINK_URL] = "Add the address the button opens, or clear its text."
    elif url and not label:
        errors[AnnounceIds.LINK_LABEL] = "Give the button a short text, or clear the address."
    elif url and (len(url) > URL_MAX or not valid_url(url)):
        errors[AnnounceIds.LINK_URL] = "Enter a full web address starting with https://"
    elif label and len(label) > LABEL_MAX:
        errors[AnnounceIds.LINK_LABEL] = f"Keep the button text under {LABEL_MAX} characters."
    return label, url


def _when(
    state: State, mode: SendMode, errors: dict[str, str], *, timezone: str, now: datetime
) -> tuple[date | None, time | None, datetime | None]:
    if mode == SendMode.NOW:
        return None, None, None
    day = selected_date(state, AnnounceIds.DATE, AnnounceIds.DATE)
    hour = selected_time(state, AnnounceIds.TIME, AnnounceIds.TIME)
    if day is None:
        errors[AnnounceIds.DATE] = "Choose the day it goes out."
    if hour is None:
        errors[AnnounceIds.TIME] = "Choose the time it goes out."
    if day is None or hour is None:
        return day, hour, None
    today = now.astimezone(zone(timezone)).date()
    if day > today + timedelta(days=366):
        errors[AnnounceIds.DATE] = "Choose a day within the next year."
    if mode == SendMode.INSTANT:
        at = datetime.combine(day, hour, tzinfo=zone(timezone)).astimezone(UTC)
        if at <= now:
            errors[AnnounceIds.TIME] = "That moment has passed; choose a later one."
        return day, hour, at
    if day < today:
        errors[AnnounceIds.DATE] = "That day has passed; choose today or later."
    return day, hour, None


def parse_announce_submission(
    state: State, *, timezone: str, now: datetime
) -> Form | dict[str, str]:
    """A checked form, or field errors (block id -> words) for `response_action: errors`."""
    errors: dict[str, str] = {}
    program = selected_value(state, AnnounceIds.PROGRAM, AnnounceIds.PROGRAM)
    if not (program or "").isdigit():
        errors[AnnounceIds.PROGRAM] = "Choose a program."
    try:
        audience = Audience(selected_value(state, AnnounceIds.AUDIENCE, AnnounceIds.AUDIENCE) or "")
    except ValueError:
        audience = Audience.EVERYONE
        errors[AnnounceIds.AUDIENCE] = "Choose who gets it."
    targets: tuple[str, ...] = ()
    if audience == Audience.PICKED:
        people = selected_users(state, AnnounceIds.PEOPLE, AnnounceIds.PEOPLE)
        targets = tuple(dict.fromkeys(u for u in people if USER_ID.fullmatch(u)))
        if not targets:
            errors[AnnounceIds.PEOPLE] = "Choose the people who get it."
        elif len(targets) > PICKED_MAX:
            errors[AnnounceIds.PEOPLE] = f"Choose at most {PICKED_MAX} people."
    if audience == Audience.CHANNEL:
        chosen = selected_conversation(state, AnnounceIds.CHANNEL, AnnounceIds.CHANNEL)
        chosen = chosen if chosen and CHANNEL_ID.fullmatch(chosen) else None
        targets = (chosen,) if chosen else ()
        if not chosen:
            errors[AnnounceIds.CHANNEL] = "Choose the channel it goes to."
    text = text_value(state, AnnounceIds.TEXT, AnnounceIds.TEXT).strip()
    unknown = unknown_placeholders(text)
    if not text:
        errors[AnnounceIds.TEXT] = "Write the message."
    elif len(text) > TEXT_MAX:
        errors[AnnounceIds.TEXT] = f"Keep the message under {TEXT_MAX} characters."
    elif unknown:
        known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        errors[AnnounceIds.TEXT] = clip(f"I don't know {{{unknown[0]}}}. You can use {known}.", 150)
    label, url = _link(state, errors)
    try:
        mode = SendMode(selected_value(state, AnnounceIds.WHEN, AnnounceIds.WHEN) or "")
    except ValueError:
        mode = SendMode.NOW
        errors[AnnounceIds.WHEN] = "Choose when it goes out."
    send_on, send_time, send_at = _when(state, mode, errors, timezone=timezone, now=now)
    if errors:
        return {str(k): v for k, v in errors.items()}
    return Form(
        int(program or 0), audience, targets, text, label, url, mode, send_on, send_time, send_at
    )


# -- what recipients see --------------------------------------------------------------------


def build_copy(text: str, link_label: str | None, link_url: str | None) -> dict[str, Any]:
    """One recipient's message: the filled text and the optional link button."""
    blocks: list[dict[str, Any]] = [section(text)]
    if link_label and link_url:
        link = button(link_label, AnnounceIds.LINK.value, "link")
        link["url"] = link_url
        blocks.append({"type": "actions", "block_id": "announce-link", "elements": [link]})
    return {"text": clip(text, 3000), "blocks": blocks}


def when_words(
    mode: SendMode,
    send_on: date | None,
    send_time: time | None,
    send_at: datetime | None,
    timezone: str,
) -> str:
    if mode == SendMode.LOCAL and send_on and send_time:
        return f"on {send_on:%a %d %b %Y} at {send_time:%H:%M} in each person's own timezone"
    if mode == SendMode.INSTANT and send_at:
        local = send_at.astimezone(zone(timezone))
        return f"on {local:%a %d %b %Y} at {local:%H:%M} ({timezone})"
    return "now"


@dataclass(frozen=True)
class Summary:
    """What the preview and report say about one announcement."""

    announcement_id: int
    program: str
    audience: Audience
    when: str
    recipients: int
    status: str


def build_preview(summary: Summary, copy: dict[str, Any], sample: str | None) -> dict[str, Any]:
    """The preview: exactly one recipient's copy, the count, and Send / Edit / Cancel."""
    value = str(summary.announcement_id)
    head = (
        f":mega: *Announcement preview* for *{summary.program}*: to "
        f"{AUDIENCE_WORDS[summary.audience]} ({summary.recipients} "
        f"recipient{'s' if summary.recipients != 1 else ''}), {summary.when}."
    )
    seen = f"Exactly what {sample} will see:" if sample else "Nobody matches this audience yet."
    confirm = {
        "title": plain("Send it?"),
        "text": plain(f"It goes to {summary.recipients} recipients, {summary.when}."),
        "confirm": plain("Send"),
        "deny": plain("Not yet"),
    }
    blocks = [
        section(head),
        context(seen),
        divider(),
        *copy["blocks"][:5],
        divider(),
        {
            "type": "actions",
            "block_id": "announce-decision",
            "elements": [
                button("Send", AnnounceIds.SEND.value, value, style="primary", confirm=confirm),
                button("Edit", AnnounceIds.EDIT.value, value),
                button("Cancel", AnnounceIds.CANCEL.value, value, style="danger"),
            ],
        },
    ]
    return {"text": clip(head, 3000), "blocks": blocks}
