"""What coordinators read about reports and exports in Slack (pure builders and a parser)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.errors import InvalidInput
from bot.reports.figures import Report
from bot.reports.tables import summary_table
from bot.views.blocks import context, header, section

REPORT_USAGE = (
    "Usage: `/mentor admin report [program] [quarter]`, e.g. `/mentor admin report Spring q2`. "
    "Without a quarter the report covers the whole program so far."
)
EXPORT_USAGE = "Usage: `/mentor admin export [program]`."
_QUARTER = re.compile(r"^q?(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class ReportRequest:
    program: str | None
    quarter: int | None
    bad_quarter: str | None = None  # refused after the coordinator check, not before


def parse_quarter(word: str | None) -> int | None:
    """`q2`, `Q2` or `2` -> 2; None for no word; InvalidInput for anything else."""
    if word is None or not word.strip():
        return None
    found = _QUARTER.match(word.strip())
    if not found or int(found.group(1)) < 1:
        raise InvalidInput(f"“{word[:20]}” is not a quarter. Write it as q1, q2, q3…")
    return int(found.group(1))


def parse_report_args(args: list[str]) -> ReportRequest:
    """The words after `report`: a program name (may hold spaces), then maybe a quarter."""
    words = [w for w in args if w]
    if words and _QUARTER.match(words[-1]):
        word = words.pop()
        if int(_QUARTER.match(word).group(1)) < 1:  # type: ignore[union-attr]
            return ReportRequest(" ".join(words) or None, None, bad_quarter=word)
        return ReportRequest(" ".join(words) or None, parse_quarter(word))
    return ReportRequest(" ".join(words) or None, None)


def build_building(*, what: str, program: str) -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "text": f":hourglass_flowing_sand: Building the {what} for *{program}*… "
        "it will appear in this channel in a moment.",
    }


def _lines(rows: list[list[str]], section_name: str) -> str:
    return "\n".join(
        f"• {figure}: *{value or '-'}*" for sec, figure, value, _ in rows if sec == section_name
    )


def build_report_post(report: Report) -> dict[str, Any]:
    """The report's message in the admin channel; the charts follow in its thread."""
    _, rows = summary_table(report)
    enrolled = ", ".join(f"{n} {role}s" for role, n in sorted(report.people.items())) or "nobody"
    blocks = [
        header(report.title),
        context(
            f"{report.starts_on:%d %b %Y} to {report.ends_on:%d %b %Y} · {enrolled} · "
            f"{report.pairs} pairs · figures from fewer than 3 people are withheld"
        ),
        section("*Learning outcomes*\n" + _lines(rows, "learning outcomes")),
        section("*Operational metrics*\n" + _lines(rows, "operational metrics")),
        context(
            "Survey scores by quarter and role, sessions per week and completion: see the charts in the thread."
        ),
    ]
    return {"text": report.title, "blocks": blocks}


def build_export_comment(program: str) -> str:
    return (
        f"Export of *{program}*: participants, pairs, sessions, goal and action-item counts "
        "per pair, survey aggregates. No private texts are included."
    )
