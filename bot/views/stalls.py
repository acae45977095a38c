"""A gentle note to a pair that stopped meeting, and the one alert coordinators get."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.services.pairs import PairDetails
from bot.services.stalls import ALERT_AFTER
from bot.views.blocks import button, clip, section
from bot.views.rhythm import RhythmIds, button_value
from models.enums import Cadence

WEEKS_PER_PERIOD = {Cadence.WEEKLY: 1, Cadence.BIWEEKLY: 2}


def quiet_for(cadence: Cadence, missed: int) -> str:
    """How long a pair has gone without meeting, in weeks or months rather than "periods"."""
    if cadence == Cadence.MONTHLY:
        return f"{missed} months"
    weeks = missed * WEEKS_PER_PERIOD.get(cadence, 2)
    return f"{weeks} weeks"


MAX_DIGEST_LINES = 45  # a digest page is planned with fewer; Block Kit allows 50 blocks


def build_stall_note(pair: PairDetails, *, period_key: str, missed: int) -> dict[str, Any]:
    mentions = " and ".join(f"<@{p.user_id}>" for p in pair.people)
    text = (
        f":seedling: {mentions}, you haven't had a session in {quiet_for(pair.cadence, missed)}. "
        "Busy weeks happen! Even 20 minutes keeps the momentum. Pick a time, or tell us if something's in the way."
    )
    value = button_value(pair.id, period_key)
    return {
        "text": "It's been a while since your last session",
        "blocks": [
            section(text),
            {
                "type": "actions",
                "block_id": f"stall-{pair.id}-{period_key}",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Pick a time"},
                        "action_id": RhythmIds.PICK_TIME,
                        "value": value,
                        "style": "primary",
                    },
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Need help"},
                        "action_id": RhythmIds.HELP,
                        "value": value,
                    },
                ],
            },
        ],
    }


def build_stall_alert(
    pair: PairDetails, *, missed: int, last_answered: str | None, skips: dict[str, int]
) -> dict[str, Any]:
    """Ids and counts only: nothing the pair wrote."""
    mentions = " & ".join(f"<@{p.user_id}> ({p.role.value})" for p in pair.people)
    who = f"<@{last_answered}>" if last_answered else "nobody yet"
    skipped = ", ".join(f"<@{user}> {count}" for user, count in skips.items() if count) or "none"
    text = (
        f":hourglass: The pair {mentions} in *{pair.program_name}* has gone "
        f"{quiet_for(pair.cadence, missed)} without a session ({missed} missed in a row). "
        "Last to answer: "
        f"{who}. Skips so far: {skipped}. A friendly word from you may help."
    )
    return {"text": text, "blocks": [section(text)]}


class StallDigestIds(StrEnum):
    REMIND = "stall_digest_remind"


@dataclass(frozen=True)
class DigestEntry:
    pair: PairDetails
    missed: int
    last_answered: str | None
    skips: dict[str, int]


def _digest_line(entry: DigestEntry) -> str:
    mentions = " & ".join(f"<@{p.user_id}> ({p.role.value})" for p in entry.pair.people)
    who = f"<@{entry.last_answered}>" if entry.last_answered else "nobody yet"
    skipped = (
        ", ".join(f"<@{user}> {count}" for user, count in entry.skips.items() if count) or "none"
    )
    return clip(
        f"{mentions} in *{entry.pair.program_name}*: {entry.missed} periods without a session. "
        f"Last to answer: {who}. Skips so far: {skipped}.",
        3000,
    )


def build_stall_digest(
    entries: list[DigestEntry], *, page: int, pages: int, total: int
) -> dict[str, Any]:
    """This tick's stalled pairs in one message, a Remind button per pair (ids and counts
    only). One pair reads like the single alert it replaces."""
    if len(entries) == 1 and pages == 1:
        only = entries[0]
        text = build_stall_alert(
            only.pair, missed=only.missed, last_answered=only.last_answered, skips=only.skips
        )["text"]
    else:
        part = f" (part {page} of {pages})" if pages > 1 else ""
        text = (
            f":hourglass: {total} pairs have gone {ALERT_AFTER} or more periods without a "
            f"session{part}. A friendly word from you may help: each button sends that pair "
            "one gentle reminder."
        )
    blocks: list[dict[str, Any]] = [section(text)]
    for entry in entries[:MAX_DIGEST_LINES]:
        block = section(_digest_line(entry), block_id=f"stall-digest-{entry.pair.id}")
        block["accessory"] = button("Remind them", StallDigestIds.REMIND, str(entry.pair.id))
        blocks.append(block)
    return {"text": text, "blocks": blocks}


def build_stall_reminder(pair: PairDetails, *, period_key: str) -> dict[str, Any]:
    """The reminder a coordinator sends a stalled pair: the note's buttons, warmer words."""
    mentions = " and ".join(f"<@{p.user_id}>" for p in pair.people)
    note = build_stall_note(pair, period_key=period_key, missed=0)
    text = (
        f":wave: {mentions}, the program coordinators are checking in: your sessions paused "
        "a while ago. A short one this week is plenty. Pick a time, or tell us what's in the way."
    )
    return {
        "text": "The coordinators are checking in",
        "blocks": [section(text), note["blocks"][1]],
    }
