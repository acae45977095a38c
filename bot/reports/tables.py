"""The tables behind every figure and chart of a report, as rows and as CSV text.

A withheld cell carries the words "fewer than 3 answers" instead of its number; how many
people a withheld cell comes from is not written either (1 or 2 is itself telling).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from bot.reports.figures import QUESTION_LABELS, ROLES, WITHHELD, Cell, Report, SurveyRow

Table = tuple[list[str], list[list[str]]]  # header, rows


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def value(cell: Cell, fmt: str = "{:g}") -> str:
    return cell.text(fmt) if cell.withheld or cell.value is not None else ""


def people(cell: Cell) -> str:
    return WITHHELD if cell.withheld else str(cell.people)


def summary_table(report: Report) -> Table:
    """The report's single figures, learning outcomes first, then operational metrics."""
    rows: list[list[str]] = []

    def add(section: str, figure: str, cell: Cell, fmt: str = "{:g}") -> None:
        rows.append([section, figure, value(cell, fmt), people(cell)])

    learning, operational = "learning outcomes", "operational metrics"
    add(learning, "learning-log entries", report.learning_entries)
    for status in ("achieved", "open", "dropped"):
        add(learning, f"goals {status}", report.goals.cell(status))
    for role in ROLES:
        add(learning, f"goals achieved by {role}s", report.goals_by_role[role]["achieved"])
    rows.append([operational, "sessions held", str(report.held), ""])
    rows.append([operational, "sessions expected by the cadence", f"{report.expected:g}", ""])
    add(operational, "average minutes per held session", report.average_minutes)
    add(operational, "cadence kept (% of periods with a session)", report.cadence_kept)
    for status in ("done", "open", "dropped"):
        add(operational, f"action items {status}", report.actions.cell(status))
    for role in ROLES:
        add(operational, f"action items done by {role}s", report.actions_by_role[role]["done"])
    for role in ROLES:
        add(operational, f"sessions cancelled or skipped by {role}s", report.cancellations[role])
    rows.append(
        [
            operational,
            "sessions missed with nobody named",
            str(report.unattributed_cancellations),
            "",
        ]
    )
    return ["section", "figure", "value", "people"], rows


def weeks_table(report: Report) -> Table:
    rows = [[w.starts_on.isoformat(), str(w.held), f"{w.expected:g}"] for w in report.weeks]
    return ["week_starting", "sessions_held", "sessions_expected"], rows


def _survey_rows(section: str, rows: list[SurveyRow]) -> list[list[str]]:
    return [
        [
            f"Q{r.quarter}",
            section,
            QUESTION_LABELS[r.question],
            r.group,
            value(r.cell, "{:.2f}"),
            people(r.cell),
        ]
        for r in rows
    ]


def survey_table(report: Report) -> Table:
    rows = _survey_rows("learning outcomes", report.learning_survey)
    rows += _survey_rows("operational outcomes", report.operational_survey)
    return ["quarter", "section", "question", "group", "mean_score", "answers"], rows


def completion_table(report: Report) -> Table:
    rows: list[list[str]] = []
    for item, tally, statuses in (
        ("goals", report.goals, ("achieved", "open", "dropped")),
        ("action items", report.actions, ("done", "open", "dropped")),
    ):
        for status in statuses:
            rows.append([item, status, value(tally.cell(status))])
    return ["item", "status", "count"], rows


def cancellations_table(report: Report) -> Table:
    rows = [[role, value(report.cancellations[role])] for role in ROLES]
    rows.append(["nobody named", str(report.unattributed_cancellations)])
    return ["side", "sessions_cancelled_or_skipped"], rows


def report_tables(report: Report) -> dict[str, Table]:
    """Every CSV of the report by file name; each chart's data is one of them."""
    return {
        "summary.csv": summary_table(report),
        "sessions_per_week.csv": weeks_table(report),
        "survey_scores.csv": survey_table(report),
        "completion.csv": completion_table(report),
        "cancellations.csv": cancellations_table(report),
    }


def report_csvs(report: Report) -> dict[str, str]:
    return {name: csv_text(*table) for name, table in report_tables(report).items()}
