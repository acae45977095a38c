"""The delivery report (edited in place as copies go) and `/mentor admin announcements`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.views.announcements import AUDIENCE_WORDS, AnnounceIds, Summary
from bot.views.blocks import button, clip, section
from models.announcement import Audience

FAILURE_WORDS = {
    "user_disabled": "deactivated account",
    "account_inactive": "deactivated account",
    "user_not_found": "unknown person",
    "cannot_dm_bot": "a bot",
    "channel_not_found": "channel not found",
    "is_archived": "archived channel",
    "not_in_channel": "the bot is not in that channel",
}


def failure_words(reason: str) -> str:
    code = reason.rsplit(": ", 1)[-1].strip()
    words = FAILURE_WORDS.get(code)
    return f"{words} (`{code}`)" if words else f"`{clip(reason, 80)}`"


def _tally(items: dict[str, int]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in sorted(items.items(), key=lambda i: -i[1]))


@dataclass(frozen=True)
class Tally:
    sent: int
    pending: int
    uncertain: int
    cancelled: int
    skipped: dict[str, int]
    failed: dict[str, int]


def build_report(
    summary: Summary, tally: Tally, *, kind_word: str = "Announcement"
) -> dict[str, Any]:
    """The delivery report, edited in place as copies go; final once nothing is pending."""
    state = {
        "scheduled": f"scheduled, {summary.when}",
        "sending": "sending…",
        "done": "done",
        "cancelled": "cancelled",
        "draft": "not sent",
    }.get(summary.status, summary.status)
    head = (
        f":mega: *{kind_word}* for *{summary.program}* to {AUDIENCE_WORDS[summary.audience]}: "
        f"{state}"
    )
    lines = [f"*Sent:* {tally.sent} of {summary.recipients}"]
    if tally.pending:
        lines.append(f"*Still to go:* {tally.pending}")
    skipped = sum(tally.skipped.values())
    if skipped:
        lines.append(f"*Skipped:* {skipped} ({_tally(tally.skipped)})")
    failed = sum(tally.failed.values())
    if failed:
        words: dict[str, int] = {}
        for reason, n in tally.failed.items():
            words[failure_words(reason)] = words.get(failure_words(reason), 0) + n
        lines.append(f"*Failed:* {failed} ({_tally(words)})")
    if tally.uncertain:
        lines.append(
            f"*Uncertain:* {tally.uncertain} (cut off mid-send; may or may not have arrived, "
            "not sent again)"
        )
    if tally.cancelled:
        lines.append(f"*Not sent (cancelled):* {tally.cancelled}")
    blocks = [section(head), section("\n".join(lines))]
    if summary.status in ("scheduled", "sending") and tally.pending:
        blocks.append(
            {
                "type": "actions",
                "block_id": "announce-decision",
                "elements": [
                    button(
                        "Cancel what has not gone",
                        AnnounceIds.CANCEL.value,
                        str(summary.announcement_id),
                        style="danger",
                    )
                ],
            }
        )
    text = f"{head}. " + "; ".join(line.replace("*", "") for line in lines)
    return {"text": clip(text, 3000), "blocks": blocks}


def build_list(rows: list[tuple[Summary, Tally]]) -> str:
    """`/mentor admin announcements`: recent ones, newest first, with their state and counts."""
    if not rows:
        return "No announcements yet. Start one with `/mentor admin announce`."
    lines = ["*Recent announcements and invitations*"]
    for summary, tally in rows:
        kind = "Invitation" if summary.audience == Audience.INVITEES else "Announcement"
        extra = f", {sum(tally.failed.values())} failed" if tally.failed else ""
        skipped = f", {sum(tally.skipped.values())} skipped" if tally.skipped else ""
        lines.append(
            f"• #{summary.announcement_id} {kind} for *{summary.program}* to "
            f"{AUDIENCE_WORDS[summary.audience]}: {summary.status}, "
            f"{tally.sent}/{summary.recipients} sent{skipped}{extra}"
        )
    return clip("\n".join(lines), 3000)
