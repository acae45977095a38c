"""The coordinators' part of the App Home: each program at a glance, with buttons for its
status, its impact report, its next round and an announcement; match previews waiting."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.commands import SLASH_COMMAND
from bot.services.insights import Insight
from bot.services.program_health import ProgramHealth
from bot.views.blocks import button, clip, context, divider, header, section
from bot.views.program_health import program_blocks

PER_PROGRAM = 2  # a section and its buttons
MODAL_BLOCKS = 100


class CoordinatorHomeIds(StrEnum):
    STATUS = "home_coord_status"
    REPORT = "home_coord_report"
    MATCH = "home_coord_match"
    ANNOUNCE = "home_coord_announce"


TITLES: dict[CoordinatorHomeIds, str] = {
    CoordinatorHomeIds.REPORT: "Impact report",
    CoordinatorHomeIds.MATCH: "Next round",
    CoordinatorHomeIds.ANNOUNCE: "Announcement",
}


def _glance(health: ProgramHealth, admin_channel_id: str | None) -> str:
    surveys = len(health.surveys)
    lines = [
        f"*{health.name}* — {health.status.value}"
        + (f", round {health.current_round}" if health.current_round else ""),
        f"Pairs: {health.on_track} on track · {health.at_risk} at risk · "
        f"{len(health.stalled)} stalled",
        f"Waiting for a partner: {sum(w.count for w in health.waiting)} · Surveys open: {surveys}",
    ]
    if health.previews_waiting:
        where = f" in <#{admin_channel_id}>" if admin_channel_id else ""
        count = len(health.previews_waiting)
        lines.append(
            f":inbox_tray: {count} match preview{'s' if count != 1 else ''} waiting for "
            f"your decision{where}"
        )
    return clip("\n".join(lines), 3000)


def _buttons(program_id: int) -> dict[str, Any]:
    value = str(program_id)
    return {
        "type": "actions",
        "block_id": f"home-coord-{program_id}",
        "elements": [
            button("Status", CoordinatorHomeIds.STATUS, value, style="primary"),
            button("Report", CoordinatorHomeIds.REPORT, value),
            button("Match", CoordinatorHomeIds.MATCH, value),
            button("Announce", CoordinatorHomeIds.ANNOUNCE, value),
        ],
    }


def programs_fitting(room: int) -> int:
    """How many programs fit in `room` blocks beside the title and a closing line."""
    return max(0, (room - 3) // PER_PROGRAM)


def build_coordinator_section(
    healths: list[ProgramHealth], *, admin_channel_id: str | None, room: int, total: int
) -> list[dict[str, Any]]:
    """At most `room` blocks (the Home holds 100): programs past the room are counted."""
    if room < 4:
        return []
    blocks: list[dict[str, Any]] = [divider(), header("Your programs, as coordinator")]
    if not healths:
        blocks.append(
            section(f"No open program. Create one with `{SLASH_COMMAND} admin program create`.")
        )
        return blocks
    shown = healths[: programs_fitting(room)]
    for health in shown:
        blocks.append(section(_glance(health, admin_channel_id)))
        blocks.append(_buttons(health.program_id))
    if total > len(shown):
        blocks.append(
            context(
                f"And {total - len(shown)} more: `{SLASH_COMMAND} admin status` in the "
                "admin channel lists them all."
            )
        )
    return blocks


def _modal(title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": clip(title, 24)},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[:MODAL_BLOCKS],
    }


def build_status_modal(
    health: ProgramHealth, insights: list[Insight], *, timezone: str
) -> dict[str, Any]:
    """The status, privately; suggestions name the command whose buttons act on them."""
    blocks = program_blocks(health, [], timezone=timezone)
    for insight in insights:
        blocks.append(section(clip(f":bulb: {insight.text}", 3000)))
    if insights:
        blocks.append(
            context(
                f"`{SLASH_COMMAND} admin status {health.name}` in the admin channel shows "
                "these suggestions with a button that does each."
            )
        )
    return _modal("Program health", blocks)


STARTED: dict[CoordinatorHomeIds, tuple[str, str]] = {
    CoordinatorHomeIds.REPORT: (
        "Building the impact report for *{program}*. It will appear in {where} in a moment, "
        "with its charts in the thread.",
        "Totals only, never from fewer than 3 people; no text anyone wrote.",
    ),
    CoordinatorHomeIds.MATCH: (
        "Matching *{program}*… the preview will appear in {where}.",
        "Nothing reaches anyone until a coordinator presses Confirm on it.",
    ),
}


def build_started(
    action: CoordinatorHomeIds, *, program_name: str, admin_channel_id: str | None
) -> dict[str, Any]:
    """Report / Match: the result is on its way to the admin channel (matching a big
    program takes a while)."""
    text, fine_print = STARTED[action]
    where = f"<#{admin_channel_id}>" if admin_channel_id else "the admin channel"
    return _modal(
        TITLES[action],
        [
            section(f":hourglass_flowing_sand: {text.format(program=program_name, where=where)}"),
            context(fine_print),
        ],
    )


def build_home_note(action: CoordinatorHomeIds, text: str) -> dict[str, Any]:
    """What a Home button has to say instead (nothing to match, no admin channel yet…)."""
    return _modal(TITLES[action], [section(clip(text, 3000))])
