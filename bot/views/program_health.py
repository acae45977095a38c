"""`/mentor admin status`: each program's health in a few lines, and up to three insights
with a button that does what it says. Counts only: no text anyone wrote ever appears."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.clock import zone
from bot.commands import SLASH_COMMAND
from bot.services.insights import Insight, InsightKind
from bot.services.program_health import ProgramHealth
from bot.views.blocks import button, clip, context, section
from models.enums import ParticipantStatus, Role

MAX_PROGRAMS = 8  # per status message: each takes up to 6 blocks, Block Kit allows 50


class HealthIds(StrEnum):
    INVITE_SENIORS = "health_invite_seniors"
    INVITE_JUNIORS = "health_invite_juniors"
    REMIND_STALLED = "health_remind_stalled"
    REMIND_SURVEY = "health_remind_survey"


INVITE_IDS = {Role.SENIOR: HealthIds.INVITE_SENIORS, Role.JUNIOR: HealthIds.INVITE_JUNIORS}


def invite_role(action_id: object) -> Role:
    """The side an invite button is for."""
    return Role.SENIOR if action_id == HealthIds.INVITE_SENIORS.value else Role.JUNIOR


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def local_day(moment: datetime, timezone: str) -> str:
    return moment.astimezone(zone(timezone)).strftime("%a %d %b %Y")


def _people(health: ProgramHealth) -> str:
    parts = []
    for role in (Role.JUNIOR, Role.SENIOR):
        counts = health.people.get(role, {})
        shown = [
            f"{counts[status]} {status.value}" for status in ParticipantStatus if counts.get(status)
        ]
        parts.append(f"{role.value}s: {', '.join(shown) if shown else 'none'}")
    return "*People* — " + " · ".join(parts)


def _waiting(health: ProgramHealth) -> str:
    if not health.waiting:
        return "*Waiting for a partner* — nobody."
    lines = [f"{_plural(w.count, w.role.value)} ({w.why})" for w in health.waiting[:6]]
    more = len(health.waiting) - 6
    return (
        "*Waiting for a partner* — " + "; ".join(lines) + (f"; and {more} more" if more > 0 else "")
    )


def _pairs(health: ProgramHealth) -> str:
    text = (
        f"*Pairs* — {health.on_track} on track · {health.at_risk} at risk (one missed period) · "
        f"{len(health.stalled)} stalled (two or more)"
    )
    if health.paused_pairs:
        text += f" · {health.paused_pairs} paused"
    if health.sessions_expected:
        text += (
            f"\n*Sessions this period* — {health.sessions_held} held of "
            f"{health.sessions_expected} expected"
        )
        if health.average_minutes is not None:
            text += f", {health.average_minutes} minutes on average"
    return text


def _surveys_and_next(health: ProgramHealth, timezone: str) -> str:
    lines = []
    for survey in health.surveys:
        lines.append(
            f"*Survey open* — {round(100 * survey.rate)} % answered ({survey.answered} of "
            f"{survey.asked}), closes {local_day(survey.closes_at, timezone)}"
        )
    if not health.surveys:
        lines.append("*Surveys* — none open.")
    lines.append(
        f"*Failed deliveries* — {health.failed_deliveries}"
        + (" (listed by `twoway deliveries --status failed`)" if health.failed_deliveries else "")
    )
    upcoming = []
    if health.next_rotation_on:
        upcoming.append(f"rotation preview on {health.next_rotation_on.strftime('%a %d %b %Y')}")
    if health.next_survey_at:
        upcoming.append(f"next survey around {local_day(health.next_survey_at, timezone)}")
    if health.previews_waiting:
        upcoming.append(
            f"{_plural(len(health.previews_waiting), 'match preview')} waiting for your decision"
        )
    lines.append("*Next* — " + ("; ".join(upcoming) if upcoming else "nothing scheduled."))
    return "\n".join(lines)


def insight_block(insight: Insight) -> dict[str, Any]:
    if insight.kind == InsightKind.INVITE and insight.role is not None:
        action = INVITE_IDS[insight.role]
    elif insight.kind == InsightKind.REMIND_STALLED:
        action = HealthIds.REMIND_STALLED
    else:
        action = HealthIds.REMIND_SURVEY
    block = section(clip(f":bulb: {insight.text}", 3000))
    block["accessory"] = button(insight.button, action, str(insight.target))
    return block


def program_blocks(
    health: ProgramHealth, insights: list[Insight], *, timezone: str
) -> list[dict[str, Any]]:
    """One program: a title, four short sections, then its insights."""
    title = f"*{health.name}* — {health.status.value}" + (
        f", round {health.current_round}" if health.current_round else ", not matched yet"
    )
    return [
        section(clip(f"{title}\n{_people(health)}\n{_waiting(health)}", 3000)),
        section(clip(_pairs(health), 3000)),
        section(clip(_surveys_and_next(health, timezone), 3000)),
        *[insight_block(i) for i in insights],
    ]


def build_status(
    found: list[tuple[ProgramHealth, list[Insight]]], *, timezone: str, more: int = 0
) -> dict[str, Any]:
    """The status answer (ephemeral, in the admin channel)."""
    if not found:
        return {
            "response_type": "ephemeral",
            "text": "No open program yet. Create one with `/mentor admin program create`.",
        }
    blocks: list[dict[str, Any]] = []
    for health, insights in found[:MAX_PROGRAMS]:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(program_blocks(health, insights, timezone=timezone))
    hidden = more + max(0, len(found) - MAX_PROGRAMS)
    if hidden:
        blocks.append(
            context(f"And {_plural(hidden, 'more program')}: `{SLASH_COMMAND} admin status NAME`.")
        )
    names = ", ".join(h.name for h, _ in found[:MAX_PROGRAMS])
    return {
        "response_type": "ephemeral",
        "text": f"Program health: {names}",
        "blocks": blocks[:50],
    }


def build_reminders_sent(*, what: str, planned: int, already: int) -> dict[str, Any]:
    if planned:
        text = f":white_check_mark: {_plural(planned, 'reminder')} on the way to {what}."
        if already:
            text += f" ({already} had one already and get no second.)"
    elif already:
        text = f"Nothing to send: {what} were reminded already (each is reminded once)."
    else:
        text = f"Nothing to send: no {what} any more."
    return {"response_type": "ephemeral", "replace_original": False, "text": text}


def parse_program_name(args: list[str]) -> str | None:
    """The typed name (checked against the programs once the caller is let through)."""
    return " ".join(args).strip() or None


NOT_STALLED = {
    "response_type": "ephemeral",
    "replace_original": False,
    "text": "This pair is not stalled any more (they met since, or ended): nothing to send.",
}
