"""Celebrations: the draft form, each member's copy with its buttons, the public post,
and the answers to the buttons. Pure builders and parsers."""

from __future__ import annotations

import enum
import re
from typing import Any

from bot.services.celebrations import FOR_WHOM_MAX, WHAT_MAX, CelebrationView
from bot.services.pairs import PairPerson
from bot.views.blocks import button, context, section
from bot.views.payloads import StaleButton, StaleForm, id_or_none
from bot.views.state import State, selected_conversation, text_value
from models.celebration import CelebrationStatus


class CelebrationIds(enum.StrEnum):
    OFFER = "celebration-offer"
    APPROVE = "celebration-approve"
    EDIT = "celebration-edit"
    DECLINE = "celebration-decline"
    WITHDRAW = "celebration-withdraw"
    DRAFT_CALLBACK = "celebration-draft"
    EDIT_CALLBACK = "celebration-edited"
    WHAT = "celebration-what"
    FOR_WHOM = "celebration-for-whom"
    CHANNEL_CALLBACK = "celebration-channel-set"
    CHANNEL = "celebration-channel"


SET_CHANNEL_HOW = (
    "A coordinator can choose one with `/mentor admin celebrations channel PROGRAM NAME` "
    "in the admin channel."
)
NO_CHANNEL = (
    "Your program has no celebration channel yet, so nothing was posted. " + SET_CHANNEL_HOW
)
_REF = re.compile(r"([0-9]{1,10}):([0-9]{1,6})")


def escaped(text: str) -> str:
    """Person-written text inside mrkdwn: no accidental mentions, links or channel pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mentions(people: tuple[PairPerson, ...]) -> str:
    names = [f"<@{p.user_id}>" for p in people]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def ref(celebration: CelebrationView) -> str:
    return f"{celebration.id}:{celebration.version}"


def parse_ref(value: object, *, form: bool = False) -> tuple[int, int]:
    """`id:version` from a button (or a form's metadata); stale otherwise."""
    match = _REF.fullmatch(value) if isinstance(value, str) else None
    found = id_or_none(match.group(1)) if match else None
    if match is None or found is None or int(match.group(2)) < 1:
        raise StaleForm() if form else StaleButton()
    return found, int(match.group(2))


def _input(block: CelebrationIds, label: str, *, initial: str, limit: int, hint: str) -> dict:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block,
        "max_length": limit,
        "multiline": block == CelebrationIds.WHAT,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return {
        "type": "input",
        "block_id": block,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "hint": {"type": "plain_text", "text": hint},
    }


def build_draft_modal(
    *,
    callback: CelebrationIds,
    metadata: str,
    partners: tuple[PairPerson, ...],
    what: str = "",
    for_whom: str = "",
) -> dict[str, Any]:
    """The win in two fields; posted only when every partner approves the same words."""
    names = ", ".join(p.name for p in partners) or "your partner"
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Celebrate a win"},
        "submit": {"type": "plain_text", "text": "Send for approval"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _input(
                CelebrationIds.WHAT,
                "What changed?",
                initial=what,
                limit=WHAT_MAX,
                hint="Something concrete, e.g. the team now drafts release notes with AI tools.",
            ),
            _input(
                CelebrationIds.FOR_WHOM,
                "For whom?",
                initial=for_whom,
                limit=FOR_WHOM_MAX,
                hint="Who benefits: a team, customers, the two of you.",
            ),
            context(
                f"{names} will be asked to approve, edit or decline it. It is posted to the "
                "program's celebration channel only when all of you approve, crediting you "
                "all. Anyone can withdraw it until then."
            ),
        ],
    }


def parse_draft(state: State) -> tuple[str, str] | dict[str, str]:
    what = text_value(state, CelebrationIds.WHAT, CelebrationIds.WHAT)
    for_whom = text_value(state, CelebrationIds.FOR_WHOM, CelebrationIds.FOR_WHOM)
    errors: dict[str, str] = {}
    if len(what) < 10:
        errors[CelebrationIds.WHAT] = "Say what changed in a sentence (10 characters or more)."
    elif len(what) > WHAT_MAX:
        errors[CelebrationIds.WHAT] = f"Keep it under {WHAT_MAX} characters."
    if len(for_whom) < 2:
        errors[CelebrationIds.FOR_WHOM] = "Say who benefits (a team, customers, the two of you)."
    elif len(for_whom) > FOR_WHOM_MAX:
        errors[CelebrationIds.FOR_WHOM] = f"Keep it under {FOR_WHOM_MAX} characters."
    return errors or (what, for_whom)


def build_offer(*, user_id: str, goal_id: int, goal_text: str) -> dict[str, Any]:
    text = f"Congratulations, <@{user_id}>: you reached a goal! Celebrate this?"
    return {
        "text": text,
        "blocks": [
            section(f":trophy: {text}\n>{escaped(goal_text)}"),
            context(
                "You write the win, your partner approves it, and only then is it posted "
                "to the program's celebration channel."
            ),
            {
                "type": "actions",
                "elements": [
                    button("Celebrate this?", CelebrationIds.OFFER, str(goal_id), "primary")
                ],
            },
        ],
    }


def _win(celebration: CelebrationView) -> str:
    return (
        f"*What changed:* {escaped(celebration.what_changed)}\n"
        f"*For whom:* {escaped(celebration.for_whom)}"
    )


def build_review(celebration: CelebrationView, *, recipient: PairPerson) -> dict[str, Any]:
    """A member's copy: approve/edit/decline when they have not approved this text yet,
    else who it waits for and a way to withdraw it."""
    value = ref(celebration)
    author = celebration.person(celebration.drafted_by_id)
    mine = recipient.participant_id in celebration.approved_ids
    if mine:
        waiting = _mentions(celebration.waiting_for) or "nobody"
        text = f"Your win is waiting for {waiting} to approve it."
        buttons = [button("Withdraw", CelebrationIds.WITHDRAW, value, "danger")]
    else:
        by = f"<@{author.user_id}>" if author else "Your partner"
        edited = " (edited)" if celebration.version > 1 else ""
        text = f"{by} wants to celebrate a win of your pair{edited}. Shall we post it?"
        buttons = [
            button("Approve", CelebrationIds.APPROVE, value, "primary"),
            button("Edit", CelebrationIds.EDIT, value),
            button("Decline", CelebrationIds.DECLINE, value, "danger"),
        ]
    where = f"<#{celebration.channel_id}>" if celebration.channel_id else "the celebration channel"
    return {
        "text": text,
        "blocks": [
            section(f":tada: {text}"),
            section(_win(celebration)),
            context(
                f"It is posted in {where} only when all of you approve this text, "
                "crediting you all. Anyone can withdraw it until then."
            ),
            {"type": "actions", "elements": buttons},
        ],
    }


def build_closed_notice(celebration: CelebrationView) -> dict[str, Any]:
    closer = celebration.person(celebration.closed_by_id)
    who = f"<@{closer.user_id}>" if closer else "Your partner"
    verb = "declined" if celebration.status == CelebrationStatus.DECLINED else "withdrew"
    text = f"{who} {verb} the win you were celebrating, so it won't be posted."
    return {"text": text, "blocks": [section(f":information_source: {text}")]}


def build_public_post(celebration: CelebrationView) -> dict[str, Any]:
    people = _mentions(celebration.pair.people)
    text = f"A win from {celebration.program_name}, by {people}"
    return {
        "text": text,
        "blocks": [
            section(f":tada: *A win from {escaped(celebration.program_name)}*, by {people}"),
            section(_win(celebration)),
            context("Shared with the consent of everyone credited."),
        ],
    }


def build_no_channel_alert(program_name: str) -> dict[str, Any]:
    text = (
        f"A pair in *{escaped(program_name)}* approved a win to celebrate, but the program has "
        "no celebration channel, so nothing was posted. Choose one with "
        f"`/mentor admin celebrations channel {program_name}`."
    )
    return {"text": text, "blocks": [section(f":tada: {text}")]}


ANSWERS = {
    "drafted": "Sent to your partner for approval.",
    "approved": "Approved by all of you: it is being posted now, once.",
    "no_channel": NO_CHANNEL,
    "waiting": "You approved it; it now waits for your partner.",
    "edited": "Your edit is on its way to your partner, who approves the new text.",
    "declined": "Declined: nothing will be posted, and your partner is told.",
    "withdrawn": "Withdrawn: nothing will be posted, and your partner is told.",
    "already_approved": "Already approved by all of you: it is posted once, nothing more to do.",
    "closed": "This win was declined or withdrawn, so nothing will be posted.",
    "stale": "The text changed since this message: look for the newer one to approve.",
    "channel_usage": "Use `/mentor admin celebrations channel PROGRAM NAME` to choose where "
    "a program's wins are posted.",
    "posted": "This win is already posted, so it can no longer be withdrawn.",
}


def build_answer(result: str) -> dict[str, Any]:
    text = ANSWERS.get(result, "Done.")
    return {"text": text, "blocks": [section(text)]}


def build_no_pair() -> dict[str, Any]:
    text = "You need a current partner to celebrate a win together. Join with `/mentor join`."
    return {"text": text, "blocks": [section(text)]}


def build_channel_modal(*, program_id: int, name: str, current: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": CelebrationIds.CHANNEL,
        "filter": {"include": ["public"], "exclude_bot_users": True},
    }
    if current:
        element["initial_conversation"] = current
    return {
        "type": "modal",
        "callback_id": CelebrationIds.CHANNEL_CALLBACK,
        "private_metadata": str(program_id),
        "title": {"type": "plain_text", "text": "Celebration channel"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": CelebrationIds.CHANNEL,
                "optional": True,
                "label": {"type": "plain_text", "text": f"Where {name[:60]} celebrates wins"},
                "element": element,
                "hint": {
                    "type": "plain_text",
                    "text": "A public channel. Leave empty to stop posting wins.",
                },
            }
        ],
    }


CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,31}")  # models.Program.celebration_channel_id


def parse_channel(state: State) -> str | dict[str, str] | None:
    """The chosen channel id, None for "no channel", or a field error."""
    chosen = selected_conversation(state, CelebrationIds.CHANNEL, CelebrationIds.CHANNEL)
    if chosen is not None and not CHANNEL_ID.fullmatch(chosen):
        return {CelebrationIds.CHANNEL: "Pick a channel from the list."}
    return chosen
