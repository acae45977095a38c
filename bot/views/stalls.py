"""A gentle note to a pair that stopped meeting, and the one alert coordinators get."""

from __future__ import annotations

from typing import Any

from bot.services.pairs import PairDetails
from bot.views.blocks import section
from bot.views.rhythm import RhythmIds, button_value
from models.enums import Cadence

WEEKS_PER_PERIOD = {Cadence.WEEKLY: 1, Cadence.BIWEEKLY: 2}


def quiet_for(cadence: Cadence, missed: int) -> str:
    """How long a pair has gone without meeting, in weeks or months rather than "periods"."""
    if cadence == Cadence.MONTHLY:
        return f"{missed} months"
    weeks = missed * WEEKS_PER_PERIOD.get(cadence, 2)
    return f"{weeks} weeks"


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
