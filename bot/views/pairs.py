"""What a pair sees: the introduction, the end-of-round thank-you, and `/mentor pair`."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from bot.clock import zone
from bot.matching.reasons import fill_reasons
from bot.services.pairs import PairDetails, PairPerson
from bot.views.blocks import button, context, divider, header, section
from bot.views.state import State, text_value
from models.enums import Role

TAKEAWAY_MAX = 1000


class PairIds(enum.StrEnum):
    OPEN_GOALS = "pair-open-goals"
    OPEN_TAKEAWAY = "pair-open-takeaway"
    TAKEAWAY_CALLBACK = "pair-takeaway"
    TAKEAWAY_TEXT = "pair-takeaway-text"


ROLE_LINE = {
    Role.JUNIOR: "shares digital fluency, current trends and fresh eyes",
    Role.SENIOR: "shares institutional memory, strategic context and career guidance",
}

GROUND_RULES = (
    "*Ground rules*\n"
    "• *Confidential:* what you say and write here stays between you.\n"
    "• *Specific and respectful feedback:* what happened, its effect, a suggestion.\n"
    "• *Protected time:* keep your sessions; reschedule rather than skip.\n"
    "• *The junior leads the agenda:* that is what makes it reverse mentoring."
)


def _topics(items: tuple[str, ...]) -> str:
    return ", ".join(items) if items else "—"


def _person_text(person: PairPerson) -> str:
    return (
        f"*<@{person.user_id}>* · {person.role.value}, {person.department} — {ROLE_LINE[person.role]}\n"
        f"Can share: {_topics(person.can_share)}\nWants to learn: {_topics(person.wants_to_learn)}"
    )


def build_intro(pair: PairDetails) -> dict[str, Any]:
    mentions = " and ".join(f"<@{p.user_id}>" for p in pair.people)
    reasons = (
        fill_reasons(
            pair.reasons,
            junior=f"<@{pair.people[0].user_id}>",
            senior=f"<@{pair.people[-1].user_id}>",
        )
        or "You complement each other's topics."
    )
    rotation = (
        f"This round runs until {pair.next_rotation_on:%d %B %Y}."
        if pair.next_rotation_on
        else "This round runs until the end of the program."
    )
    return {
        "text": f"Meet your reverse-mentoring partner: {mentions}",
        "blocks": [
            header(f"Welcome to {pair.program_name}, round {pair.round} :handshake:"),
            section(f"{mentions}: you are paired for this round of reverse mentoring."),
            *(section(_person_text(p)) for p in pair.people),
            section(f"*Why you were matched*\n{reasons}"),
            divider(),
            section(GROUND_RULES),
            section(
                f"*First step:* each of you sets 1–3 goals with a measurable indicator. "
                f"Sessions last {pair.session_minutes} minutes."
            ),
            {
                "type": "actions",
                "block_id": "pair-intro-actions",
                "elements": [
                    button("Set my goals", PairIds.OPEN_GOALS, str(pair.id), style="primary")
                ],
            },
            context(rotation),
        ],
    }


def build_farewell(pair: PairDetails) -> dict[str, Any]:
    mentions = " and ".join(f"<@{p.user_id}>" for p in pair.people)
    return {
        "text": f"Thank you, {mentions}: this round of {pair.program_name} has ended.",
        "blocks": [
            section(
                f":sparkles: Thank you, {mentions}! This round of *{pair.program_name}* ends here, "
                "and you'll each meet a new partner for the next one."
            ),
            section(
                "*What did you take away?* One sentence is enough; it goes to your own "
                "learning log and stays private unless you share it."
            ),
            {
                "type": "actions",
                "block_id": "pair-farewell-actions",
                "elements": [button("Write my takeaway", PairIds.OPEN_TAKEAWAY, str(pair.id))],
            },
        ],
    }


def build_takeaway_modal(pair_id: int) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": PairIds.TAKEAWAY_CALLBACK,
        "private_metadata": str(pair_id),
        "title": {"type": "plain_text", "text": "My takeaway"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": PairIds.TAKEAWAY_TEXT,
                "label": {"type": "plain_text", "text": "What will you take away from this round?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": PairIds.TAKEAWAY_TEXT,
                    "multiline": True,
                    "max_length": TAKEAWAY_MAX,
                },
            }
        ],
    }


def parse_takeaway(state: State) -> str | dict[str, str]:
    """The takeaway text, or `{block_id: message}` for `response_action: errors`."""
    text = text_value(state, PairIds.TAKEAWAY_TEXT, PairIds.TAKEAWAY_TEXT)
    if len(text.split()) < 2:
        return {PairIds.TAKEAWAY_TEXT: "A few words, please: what will you keep from this round?"}
    if len(text) > TAKEAWAY_MAX:
        return {PairIds.TAKEAWAY_TEXT: f"Please keep it under {TAKEAWAY_MAX} characters."}
    return text


def _local(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(zone(timezone)).strftime("%d %b %Y") if moment else "—"


def build_my_pairs(pairs: list[PairDetails], *, user_id: str) -> dict[str, Any]:
    if not pairs:
        return {
            "response_type": "ephemeral",
            "text": "You have no partner right now.",
            "blocks": [
                section(
                    "You have no partner right now. If you've joined a program, you'll be "
                    "paired at the next matching round. Not joined yet? Try `/mentor join`."
                )
            ],
        }
    blocks: list[dict[str, Any]] = [header("Your reverse-mentoring pairs")]
    for pair in pairs[:20]:
        me = pair.person(user_id)
        tz = me.timezone if me else "UTC"
        partners = ", ".join(
            f"<@{p.user_id}> ({p.role.value}, {p.department})" for p in pair.partners_of(user_id)
        )
        rotation = (
            f"{pair.next_rotation_on:%d %b %Y}" if pair.next_rotation_on else "end of program"
        )
        paused = " · :double_vertical_bar: paused" if pair.status.value == "paused" else ""
        blocks.append(
            section(
                f"*{pair.program_name}* · round {pair.round}{paused}\nWith {partners}\n"
                f"Together since {_local(pair.started_at, tz)} · next rotation: {rotation}"
            )
        )
    return {
        "response_type": "ephemeral",
        "text": f"You are in {len(pairs)} pair(s).",
        "blocks": blocks,
    }


def build_pair_paused_alert(pair: PairDetails, *, reason: str) -> dict[str, Any]:
    """For coordinators: ids and Slack's error code only, nothing the pair wrote."""
    mentions = " & ".join(f"<@{p.user_id}>" for p in pair.people)
    text = (
        f":warning: I paused the pair {mentions} in *{pair.program_name}*: Slack can no longer "
        f"deliver to them (`{reason}`). Nothing more is sent to this pair until it is resolved "
        "(for example, a deactivated account or an archived channel)."
    )
    return {"text": text, "blocks": [section(text)]}


def build_help_request_alert(pair: PairDetails, *, asked_by: str) -> dict[str, Any]:
    """For coordinators: who asked, in which pair; nothing the pair wrote."""
    others = " & ".join(f"<@{p.user_id}>" for p in pair.people if p.user_id != asked_by)
    text = (
        f":raising_hand: <@{asked_by}> asked for help with their pair ({others}) in "
        f"*{pair.program_name}*. Please reach out to them directly."
    )
    return {"text": text, "blocks": [section(text)]}
