"""The match preview a coordinator confirms, re-runs or cancels, and its CSV attachment."""

from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass
from typing import Any

from bot.errors import InvalidInput
from bot.matching.reasons import fill_reasons
from bot.services.match_previews import MatchPreview, PreviewPair
from bot.views.blocks import button, context, divider, header, section
from bot.views.payloads import id_or_none

__all__ = [
    "PAIRS_SHOWN",
    "RERUNS",
    "UNMATCHED_SHOWN",
    "MatchIds",
    "MatchPreview",
    "PreviewClick",
    "PreviewPair",
    "build_decision",
    "build_match_preview",
    "build_preview_csv",
    "needs_csv",
    "parse_preview_click",
    "preview_csv_file",
]

PAIRS_SHOWN = 20
UNMATCHED_SHOWN = 25


class MatchIds(enum.StrEnum):
    CONFIRM = "match-confirm"
    RERUN = "match-rerun"
    RERUN_TRIOS = "match-rerun-trios"
    RERUN_SAME_ROLE = "match-rerun-same-role"
    CANCEL = "match-cancel"


RERUNS = (MatchIds.RERUN, MatchIds.RERUN_TRIOS, MatchIds.RERUN_SAME_ROLE)


@dataclass(frozen=True)
class PreviewClick:
    """A click on a preview's button: which run, and the message clicked (to edit it)."""

    run_id: int
    clicked: tuple[str, str] | None  # (channel, ts)
    allow_trios: bool = False
    allow_same_role: bool = False


def parse_preview_click(body: dict[str, Any], action: dict[str, Any]) -> PreviewClick:
    """The run id from the button's value, and the message the button was on."""
    run_id = id_or_none(action.get("value"))
    if run_id is None:
        raise InvalidInput("That preview button is not one I know.")
    container = body.get("container") or {}
    clicked = (
        (str(container["channel_id"]), str(container["message_ts"]))
        if container.get("message_ts") and container.get("channel_id")
        else None
    )
    action_id = action.get("action_id")
    return PreviewClick(
        run_id=run_id,
        clicked=clicked,
        allow_trios=action_id == MatchIds.RERUN_TRIOS,
        allow_same_role=action_id == MatchIds.RERUN_SAME_ROLE,
    )


def _pair_line(pair: PreviewPair) -> str:
    third = f" + <@{pair.third}>" if pair.third else ""
    reasons = (
        fill_reasons(pair.reasons[:3], junior=f"<@{pair.junior}>", senior=f"<@{pair.senior}>")
        or "They complement each other's topics."
    )
    return (
        f"<@{pair.junior}> ({pair.junior_department}) ↔ <@{pair.senior}> ({pair.senior_department}){third}"
        f"\n_{reasons}_"
    )


def build_match_preview(preview: MatchPreview) -> dict[str, Any]:
    value = str(preview.run_id)
    kind = "Rotation preview" if preview.rotation else "Match preview"
    blocks: list[dict[str, Any]] = [
        header(f"{kind}: {preview.program_name}, round {preview.round}"),
        section(
            f"*{len(preview.pairs)} pairs* proposed · {len(preview.unmatched)} unmatched. "
            "Each pair says why they fit. Nothing has been sent to anyone yet."
            + (
                "\nConfirming ends the current round's pairs with a thank-you."
                if preview.rotation
                else ""
            )
        ),
    ]
    for pair in preview.pairs[:PAIRS_SHOWN]:
        blocks.append(section(_pair_line(pair)))
    if len(preview.pairs) > PAIRS_SHOWN:
        blocks.append(
            context(
                f"…and {len(preview.pairs) - PAIRS_SHOWN} more pairs: every pair is in the attached CSV."
            )
        )
    if preview.unmatched:
        lines = "\n".join(
            f"• <@{u['key']}> ({u['role']}): {u['reason']}"
            for u in preview.unmatched[:UNMATCHED_SHOWN]
        )
        more = (
            f"\n…and {len(preview.unmatched) - UNMATCHED_SHOWN} more (see the CSV)."
            if len(preview.unmatched) > UNMATCHED_SHOWN
            else ""
        )
        blocks += [
            divider(),
            section(
                "*Unmatched* — they stay on the wait-list for the next round unless you allow "
                f"trios or same-role pairs below:\n{lines}{more}"
            ),
        ]
    elements = [
        button(
            "Confirm",
            MatchIds.CONFIRM,
            value,
            "primary",
            {
                "title": {"type": "plain_text", "text": "Start these pairs?"},
                "text": {
                    "type": "mrkdwn",
                    "text": f"{len(preview.pairs)} pairs get their introduction in a group DM now.",
                },
                "confirm": {"type": "plain_text", "text": "Confirm"},
                "deny": {"type": "plain_text", "text": "Not yet"},
            },
        ),
        button("Re-run", MatchIds.RERUN, value),
    ]
    if preview.unmatched and not preview.trios_allowed:
        elements.append(button("Re-run allowing trios", MatchIds.RERUN_TRIOS, value))
    if preview.unmatched and not preview.same_role_allowed:
        elements.append(button("Re-run allowing same-role pairs", MatchIds.RERUN_SAME_ROLE, value))
    elements.append(button("Cancel", MatchIds.CANCEL, value, "danger"))
    blocks.append(
        {"type": "actions", "block_id": f"match-actions-{preview.run_id}", "elements": elements}
    )
    return {
        "text": f"{kind} for {preview.program_name}: {len(preview.pairs)} pairs",
        "blocks": blocks,
    }


def needs_csv(preview: MatchPreview) -> bool:
    """The message shows the first pairs and unmatched people; the CSV holds them all."""
    return len(preview.pairs) > PAIRS_SHOWN or len(preview.unmatched) > UNMATCHED_SHOWN


def preview_csv_file(preview: MatchPreview) -> dict[str, str]:
    """Filename, title and content of the CSV shared beside a long preview."""
    return {
        "filename": f"match-preview-round-{preview.round}.csv",
        "title": f"{preview.program_name}: every proposed pair, round {preview.round}",
        "content": build_preview_csv(preview),
    }


def build_preview_csv(preview: MatchPreview) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["junior", "junior_department", "senior", "senior_department", "third", "score", "reasons"]
    )
    for pair in preview.pairs:
        writer.writerow(
            [
                pair.junior,
                pair.junior_department,
                pair.senior,
                pair.senior_department,
                pair.third or "",
                pair.score,
                " | ".join(pair.reasons),
            ]
        )
    for person in preview.unmatched:
        writer.writerow(
            [
                person["key"] if person["role"] == "junior" else "",
                "",
                person["key"] if person["role"] != "junior" else "",
                "",
                "",
                "",
                f"unmatched: {person['reason']}",
            ]
        )
    return out.getvalue()


def build_decision(text: str) -> dict[str, Any]:
    """What the preview message becomes once decided (its buttons go away)."""
    return {"text": text, "blocks": [section(text)]}
