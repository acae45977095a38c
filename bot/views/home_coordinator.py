"""The coordinators' part of the App Home: each program at a glance, with buttons that open
its status or say exactly which command does the rest; match previews waiting."""

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


HINTS: dict[CoordinatorHomeIds, tuple[str, str]] = {
    CoordinatorHomeIds.REPORT: (
        "admin report",
        "posts the program's impact report (totals only, never from fewer than 3 people)",
    ),
    CoordinatorHomeIds.MATCH: (
        "admin match",
        "previews the next round's pairs; nothing is sent until you press Confirm",
    ),
    CoordinatorHomeIds.ANNOUNCE: (
        "admin announce",
        "opens a form to write an announcement to the program's participants",
    ),
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


def build_command_modal(
    action: CoordinatorHomeIds, *, program_name: str, admin_channel_id: str | None
) -> dict[str, Any]:
    words, what = HINTS[action]
    where = f"<#{admin_channel_id}>" if admin_channel_id else "the admin channel"
    command = f"{SLASH_COMMAND} {words} {program_name}"
    return _modal(
        clip(f"{words.split()[-1].capitalize()}: {program_name}", 24),
        [
            section(f"Type this in {where}:\n```{command}```\nIt {what}."),
            context("Coordinator commands work only in the admin channel, among coordinators."),
        ],
    )
