"""An invitation DM (what reverse mentoring is, what it asks, a Join button), the invite
modal (channels, user groups' members come from the command), and the command's targets."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from bot.views.announcements import AnnounceIds, plain
from bot.views.blocks import button, context, section
from bot.views.state import State, selected_users, selected_value

CADENCE_WORDS = {"weekly": "every week", "biweekly": "every two weeks", "monthly": "once a month"}
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]{2,30})(?:\|[^>]*)?>")
_GROUP = re.compile(r"<!subteam\^(S[A-Z0-9]{2,30})(?:\|[^>]*)?>")
_USER = re.compile(r"<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>")
TARGETS_MAX = 20


class InviteIds(enum.StrEnum):
    CALLBACK = "invite-modal"
    PROGRAM = "invite-program"
    CHANNELS = "invite-channels"
    PEOPLE = "invite-people"


@dataclass(frozen=True)
class Targets:
    """Who a `/mentor admin invite` names: channels, user groups, people (ids only)."""

    channels: tuple[str, ...] = ()
    usergroups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    program_name: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.channels or self.usergroups or self.users)

    def as_list(self) -> list[str]:
        return [*self.channels, *self.usergroups, *self.users]


def parse_invite_args(args: list[str]) -> Targets:
    """`invite [program words] <#C…> <!subteam^S…> <@U…>`: the words before the first
    mention name the program; the mentions are the targets (Slack escapes them)."""
    text = " ".join(args)
    channels = tuple(dict.fromkeys(_CHANNEL.findall(text)))[:TARGETS_MAX]
    groups = tuple(dict.fromkeys(_GROUP.findall(text)))[:TARGETS_MAX]
    users = tuple(dict.fromkeys(_USER.findall(text)))[:200]
    first = min(
        (m.start() for p in (_CHANNEL, _GROUP, _USER) for m in p.finditer(text)), default=len(text)
    )
    name = text[:first].strip() or None
    return Targets(channels, groups, users, name)


def build_invitation(
    *, program_id: int, program: str, minutes: int, cadence: str, weeks: int
) -> dict[str, Any]:
    """The invitation DM: what it is, what it asks, the time it takes, and Join."""
    how_often = CADENCE_WORDS.get(cadence, "regularly")
    text = (
        f":wave: You're invited to *{program}*, a reverse-mentoring program.\n\n"
        "*What it is:* two colleagues learn from each other: a junior shares what they know "
        "(new tools, new habits, how things look from where they sit) and a senior shares "
        "experience and context. Both teach, both learn.\n"
        f"*What it asks:* a {minutes}-minute conversation {how_often} for about {weeks} weeks, "
        "with the partner twoway pairs you with. twoway suggests times and an agenda.\n"
        "*Your time:* about a minute to join; you can pause or leave whenever you like."
    )
    blocks = [
        section(text),
        {
            "type": "actions",
            "block_id": "invite-join",
            "elements": [button("Join", AnnounceIds.JOIN.value, str(program_id), style="primary")],
        },
        context("Not for you right now? Just ignore this message; nobody is told."),
    ]
    return {"text": f"You're invited to {program}, a reverse-mentoring program.", "blocks": blocks}


def build_invite_modal(
    programs: list[tuple[int, str]], *, program_id: int | None, channel: str | None
) -> dict[str, Any]:
    """The invite modal: a program, channels and people to invite (prefilled when opened
    from another flow with a program and a channel)."""
    chosen = (
        program_id if program_id is not None else (programs[0][0] if len(programs) == 1 else None)
    )
    options = [{"text": plain(name[:75]), "value": str(pid)} for pid, name in programs[:100]]
    select: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain("Choose"),
        "options": options,
    }
    initial = next((o for o in options if o["value"] == str(chosen)), None)
    if initial:
        select["initial_option"] = initial
    channels: dict[str, Any] = {
        "type": "multi_conversations_select",
        "placeholder": plain("Channels"),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        "max_selected_items": TARGETS_MAX,
    }
    if channel:
        channels["initial_conversations"] = [channel]
    people: dict[str, Any] = {"type": "multi_users_select", "placeholder": plain("People")}

    def block(
        block_id: InviteIds, label: str, element: dict[str, Any], optional: bool
    ) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block_id.value,
            "label": plain(label),
            "element": {**element, "action_id": block_id.value},
            "optional": optional,
        }

    return {
        "type": "modal",
        "callback_id": InviteIds.CALLBACK.value,
        "title": plain("Invite people"),
        "submit": plain("Invite"),
        "close": plain("Cancel"),
        "blocks": [
            block(InviteIds.PROGRAM, "Program", select, False),
            block(InviteIds.CHANNELS, "Everyone in these channels", channels, True),
            block(InviteIds.PEOPLE, "These people", people, True),
            context("Each person not yet enrolled gets one invitation, once per program."),
        ],
    }


def parse_invite_submission(state: State) -> tuple[int, Targets] | dict[str, str]:
    program = selected_value(state, InviteIds.PROGRAM, InviteIds.PROGRAM)
    channels_element = state.get(InviteIds.CHANNELS, {}).get(InviteIds.CHANNELS, {})
    raw = (
        channels_element.get("selected_conversations")
        if isinstance(channels_element, dict)
        else None
    )
    channels = tuple(c for c in (raw or []) if isinstance(c, str) and _CHANNEL.fullmatch(f"<#{c}>"))
    users = tuple(selected_users(state, InviteIds.PEOPLE, InviteIds.PEOPLE))
    errors: dict[str, str] = {}
    if not (program or "").isdigit():
        errors[InviteIds.PROGRAM] = "Choose a program."
    if not channels and not users:
        errors[InviteIds.CHANNELS] = "Choose at least one channel or person."
    if errors:
        return {str(k): v for k, v in errors.items()}
    return int(program or 0), Targets(channels[:TARGETS_MAX], (), users[:200])
