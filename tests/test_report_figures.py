"""The report's figures (pure): the small-group rule cell by cell and split by split, the
cadence arithmetic, sessions per week and cancellations counted per side."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.reports.figures import WITHHELD, Cell, compute_report, split
from bot.reports.tables import report_tables
from bot.services.report_data import (
    PairRow,
    PersonRow,
    ProgramFacts,
    ReportInputs,
    SessionRow,
    StatusCount,
    SurveyAnswer,
)

START = date(2026, 1, 5)  # a Monday
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
PROGRAM = ProgramFacts(1, 1, "Unit", "active", START, 26, "weekly", 30)


def _inputs(seniors: int, juniors: int, answered: dict[str, int], **more: object) -> ReportInputs:
    people = [PersonRow(i, "senior", "A", "active") for i in range(seniors)]
    people += [PersonRow(100 + i, "junior", "B", "active") for i in range(juniors)]
    pairs = [
        PairRow(i + 1, 1, i, 100 + i, None, "active", T0, None)
        for i in range(min(seniors, juniors))
    ]
    answers = []
    for role, count in answered.items():
        base = 0 if role == "senior" else 100
        score = 2 if role == "senior" else 4
        answers += [
            SurveyAnswer(base + i, "quarterly", "q1", T0 + timedelta(weeks=13), {"dialogue": score})
            for i in range(count)
        ]
    values: dict[str, object] = {
        "program": PROGRAM,
        "people": people,
        "pairs": pairs,
        "sessions": [],
        "learnings": [],
        "goals": [],
        "actions": [],
        "answers": answers,
    } | more
    return ReportInputs(**values)  # type: ignore[arg-type]


def _dialogue(report: object, quarter: int = 1) -> dict[str, Cell]:
    return {
        r.group: r.cell
        for r in report.learning_survey  # type: ignore[attr-defined]
        if r.question == "dialogue" and r.quarter == quarter
    }


def test_a_split_by_role_is_withheld_whole_when_one_role_has_two_answers() -> None:
    report = compute_report(
        _inputs(3, 3, {"senior": 2, "junior": 3}), quarter=1, as_of=T0 + timedelta(weeks=15)
    )
    cells = _dialogue(report)
    assert cells["all"].shown() == 3.2  # (2 + 2 + 4 + 4 + 4) / 5
    assert cells["senior"].withheld
    assert cells["junior"].withheld  # with the total it would give the seniors' mean away
    assert cells["junior"].text() == WITHHELD
    rows = report_tables(report)["survey_scores.csv"][1]
    dialogue = [r for r in rows if r[2] == "Dialogue quality"]
    assert [r[3:] for r in dialogue] == [
        ["all", "3.20", "5"],
        ["senior", WITHHELD, WITHHELD],
        ["junior", WITHHELD, WITHHELD],
    ]


def test_three_answers_on_each_side_are_shown_and_none_is_not_withheld() -> None:
    report = compute_report(
        _inputs(3, 3, {"senior": 3, "junior": 3}), quarter=1, as_of=T0 + timedelta(weeks=15)
    )
    cells = _dialogue(report)
    assert (cells["senior"].shown(), cells["junior"].shown(), cells["all"].shown()) == (2, 4, 3)
    assert split({"a": Cell(None, 0), "b": Cell(5.0, 4)})["b"].shown() == 5.0
    assert Cell(None, 0).text() == "no answers yet"
    alone = compute_report(_inputs(3, 3, {"junior": 2}), quarter=1, as_of=T0 + timedelta(weeks=15))
    assert _dialogue(alone)["all"].withheld


def test_sessions_per_week_cadence_kept_and_cancellations_per_side() -> None:
    held = [
        SessionRow(pair, "held", T0 + timedelta(weeks=w, days=1), 30, None)
        for pair in (1, 2, 3)
        for w in range(4)
        if (pair, w) not in {(1, 1), (2, 2), (3, 3)}
    ]
    skipped = [
        SessionRow(1, "skipped", T0 + timedelta(weeks=1, days=1), None, 0),
        SessionRow(2, "skipped", T0 + timedelta(weeks=2, days=1), None, 1),
        SessionRow(3, "skipped", T0 + timedelta(weeks=3, days=1), None, 2),
    ]
    goals = [StatusCount(i, 1, "achieved" if i < 2 else "open", 1) for i in range(3)]
    inputs = _inputs(3, 3, {}, sessions=held + skipped, goals=goals)
    report = compute_report(inputs, quarter=None, as_of=T0 + timedelta(weeks=4))
    assert [w.held for w in report.weeks] == [3, 2, 2, 2, 0]
    assert [w.expected for w in report.weeks][:4] == [3, 3, 3, 3]
    assert report.held == 9
    assert report.cadence_kept.shown() == 75.0  # 12 weeks completed, 9 with a session
    assert report.cancellations["senior"].shown() == 3  # by three different seniors
    assert report.cancellations["junior"].shown() == 0
    assert report.average_minutes.shown() == 30
    assert report.goals.cell("achieved").shown() == 2
    assert report.goals_by_role["junior"]["achieved"].shown() == 0
