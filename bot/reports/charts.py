"""The report's charts as PNG bytes (matplotlib, headless Agg backend, no pyplot state).

Each chart is a `Figure` of its own, drawn on an Agg canvas, so charts can be drawn from
several threads at once. Sizes suit Slack's preview (about 800 px wide): large fonts,
titles and labelled axes. Withheld values are not drawn; the chart says why.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from bot.reports.figures import QUESTION_LABELS, ROLES, WITHHELD, Report, SurveyRow
from bot.services.surveys import LEARNING_QUESTIONS, OPERATIONAL_QUESTIONS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SIZE = (10, 5.6)
DPI = 90
COLOURS = {"all": "#4C72B0", "senior": "#DD8452", "junior": "#55A868", "expected": "#8C8C8C"}


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _figure(title: str) -> Figure:
    # matplotlib is imported here, not at start-up: it costs every process seconds and only
    # the reports draw. The Agg backend is explicit: never a display, whatever the env says.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    figure.suptitle(title, fontsize=16, fontweight="bold")
    return figure


def sessions_chart(report: Report) -> bytes:
    """Sessions held per week against the number the cadence expects."""
    figure = _figure(f"Sessions per week: held vs expected ({report.program.name})")
    axes = figure.add_subplot()
    x = list(range(len(report.weeks)))
    axes.bar(x, [w.held for w in report.weeks], color=COLOURS["all"], label="held")
    axes.plot(
        x,
        [w.expected for w in report.weeks],
        color=COLOURS["expected"],
        linewidth=2.5,
        label="expected by the cadence",
    )
    step = max(1, -(-len(x) // 8))  # at most 8 dates: readable in a preview
    axes.set_xticks(x[::step], [w.starts_on.strftime("%d %b") for w in report.weeks][::step])
    axes.set_xlabel("week starting", fontsize=13)
    axes.set_ylabel("sessions", fontsize=13)
    axes.tick_params(labelsize=11)
    axes.legend(fontsize=12, loc="upper left")
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


def _survey_axes(axes: object, rows: list[SurveyRow], question: str, quarters: list[int]) -> None:
    groups = ("all", *ROLES)
    width = 0.8 / len(groups)
    notes = 0
    for g, group in enumerate(groups):
        for q, quarter in enumerate(quarters):
            row = next(
                (r for r in rows if (r.quarter, r.question, r.group) == (quarter, question, group)),
                None,
            )
            x = q + (g - 1) * width
            value = row.cell.shown() if row else None
            if value is not None:
                axes.bar(x, value, width, color=COLOURS[group], label=group if q == 0 else None)  # type: ignore[attr-defined]
            elif row is not None and row.cell.withheld:
                notes += 1
                axes.text(x, 0.15, "withheld", rotation=90, ha="center", va="bottom", fontsize=8)  # type: ignore[attr-defined]
    axes.set_title(QUESTION_LABELS[question], fontsize=13)  # type: ignore[attr-defined]
    axes.set_ylim(0, 5.2)  # type: ignore[attr-defined]
    axes.set_xticks(range(len(quarters)), [f"Q{q}" for q in quarters], fontsize=11)  # type: ignore[attr-defined]
    axes.set_xlim(-0.6, len(quarters) - 0.4)  # type: ignore[attr-defined]
    axes.grid(axis="y", alpha=0.3)  # type: ignore[attr-defined]


def survey_chart(report: Report, *, operational: bool = False) -> bytes:
    """Mean Likert scores per quarter, overall and by role, one panel per question."""
    rows = report.operational_survey if operational else report.learning_survey
    questions = OPERATIONAL_QUESTIONS if operational else LEARNING_QUESTIONS
    what = "operational outcomes" if operational else "learning outcomes"
    figure = _figure(f"Survey scores per quarter by role: {what}")
    grid = figure.subplots(1, len(questions), sharey=True, squeeze=False)[0]
    for axes, question in zip(grid, questions, strict=True):
        _survey_axes(axes, rows, question, report.quarters)
    grid[0].set_ylabel("mean score (1 = low, 5 = high)", fontsize=12)
    handles, labels = grid[0].get_legend_handles_labels()
    for axes in grid[1:]:
        more_handles, more_labels = axes.get_legend_handles_labels()
        for handle, label in zip(more_handles, more_labels, strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if handles:
        grid[-1].legend(handles, labels, loc="upper right", fontsize=11)
    withheld = any(r.cell.withheld for r in rows)
    figure.supxlabel(
        "quarter" + (f"  (bars marked withheld: {WITHHELD})" if withheld else ""), fontsize=12
    )
    return _png(figure)


LEGEND = {"achieved": "achieved / done", "open": "open", "dropped": "dropped"}


def completion_chart(report: Report) -> bytes:
    """Goals and action items by status, as shares of each."""
    figure = _figure("Goal and action-item completion")
    axes = figure.add_subplot()
    bars = (
        ("Goals", report.goals, ("achieved", "open", "dropped")),
        ("Action items", report.actions, ("done", "open", "dropped")),
    )
    colours = {"achieved": "#55A868", "done": "#55A868", "open": "#CCB974", "dropped": "#C44E52"}
    for y, (label, tally, statuses) in enumerate(bars):
        if tally.owners and tally.cell(statuses[0]).withheld:
            axes.text(1, y, f"{label}: {WITHHELD}", va="center", fontsize=12)
            continue
        left = 0.0
        for status in statuses:
            count = tally.counts.get(status, 0)
            share = 100 * count / tally.total if tally.total else 0
            axes.barh(
                y,
                share,
                left=left,
                color=colours[status],
                label=LEGEND[status] if y == 0 else None,
            )
            if share >= 8:
                axes.text(
                    left + share / 2, y, f"{status} {count}", ha="center", va="center", fontsize=11
                )
            left += share
    axes.set_yticks(range(len(bars)), [b[0] for b in bars], fontsize=13)
    axes.set_xlim(0, 100)
    axes.set_xlabel("share of items (%)", fontsize=13)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=11, loc="lower right")
    return _png(figure)


def all_charts(report: Report) -> dict[str, bytes]:
    """Every chart of the report by file name, in the order they are posted."""
    return {
        "sessions_per_week.png": sessions_chart(report),
        "survey_learning.png": survey_chart(report),
        "survey_operational.png": survey_chart(report, operational=True),
        "completion.png": completion_chart(report),
    }


CHART_TITLES = {
    "sessions_per_week.png": "Sessions per week: held vs expected",
    "survey_learning.png": "Survey scores per quarter by role: learning outcomes",
    "survey_operational.png": "Survey scores per quarter by role: operational outcomes",
    "completion.png": "Goal and action-item completion",
}


def one_chart(report: Report, name: str) -> bytes:
    """One chart by file name (the outbox renders each upload on its own)."""
    draw = {
        "sessions_per_week.png": sessions_chart,
        "survey_learning.png": survey_chart,
        "survey_operational.png": lambda r: survey_chart(r, operational=True),
        "completion.png": completion_chart,
    }
    return draw[name](report)
