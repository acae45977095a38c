"""The impact report's figures, computed from `ReportInputs` alone (pure, no session).

Learning outcomes (what people say they gained) and operational metrics (what the pairs
did) are kept in two sections. The small-group rule holds for every figure built from
what people answered or did: a cell drawn from 1 or 2 people is withheld and says so, and a
split by role is withheld whole when one of its roles would be (the other role and the
total would give the small one away).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.rhythm.cadence import BLOCK_DAYS, period_of, periods_between
from bot.services.report_data import ProgramFacts, ReportInputs, StatusCount
from bot.services.surveys import LEARNING_QUESTIONS, MIN_ANSWERS, OPERATIONAL_QUESTIONS
from models.enums import Cadence, SessionStatus

WITHHELD = "fewer than 3 answers"
QUARTER_DAYS = 91  # 13 weeks, as the surveys count them
ROLES = ("senior", "junior")
CANCELLED = (str(SessionStatus.SKIPPED), str(SessionStatus.MISSED))
PER_WEEK = {"weekly": 1.0, "biweekly": 0.5, "monthly": 12 / 52}
QUESTION_LABELS = {
    "psychological_safety": "Psychological safety",
    "dialogue": "Dialogue quality",
    "adaptability": "Adaptability",
    "learning": "How much I learned",
    "tools_adopted": "Tools adopted",
    "processes_changed": "Processes changed",
    "cross_team_work": "Cross-team work started",
}


@dataclass(frozen=True)
class Cell:
    """A number and how many people it comes from; withheld from 1 or 2 people."""

    value: float | None
    people: int
    forced: bool = False  # withheld because a sibling in its split would be

    @property
    def withheld(self) -> bool:
        return self.forced or 0 < self.people < MIN_ANSWERS

    def shown(self) -> float | None:
        return None if self.withheld else self.value

    def text(self, fmt: str = "{:g}") -> str:
        if self.withheld:
            return WITHHELD
        if self.value is None:
            return "no answers yet"
        return fmt.format(self.value)


def split(cells: dict[str, Cell]) -> dict[str, Cell]:
    """A split by role, withheld whole when any part of it is."""
    if any(c.withheld for c in cells.values()):
        return {k: Cell(c.value, c.people, forced=True) for k, c in cells.items()}
    return cells


@dataclass(frozen=True)
class WeekRow:
    starts_on: date
    held: int
    expected: float


@dataclass(frozen=True)
class SurveyRow:
    quarter: int
    question: str
    group: str  # "all", "senior" or "junior"
    cell: Cell  # the mean score, 1..5


@dataclass(frozen=True)
class Tally:
    """Goals or action items by status, with how many people own them."""

    counts: dict[str, int]
    owners: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cell(self, status: str) -> Cell:
        return Cell(float(self.counts.get(status, 0)), self.owners)


@dataclass(frozen=True)
class Report:
    program: ProgramFacts
    quarter: int | None
    starts_on: date
    ends_on: date  # exclusive
    as_of: datetime
    people: dict[str, int]  # enrolled by role
    pairs: int
    # learning outcomes
    learning_survey: list[SurveyRow]
    learning_entries: Cell
    goals: Tally
    goals_by_role: dict[str, dict[str, Cell]]
    # operational metrics
    weeks: list[WeekRow]
    held: int
    expected: float
    average_minutes: Cell
    cadence_kept: Cell  # share of completed cadence periods with a held session, in %
    actions: Tally
    actions_by_role: dict[str, dict[str, Cell]]
    operational_survey: list[SurveyRow]
    cancellations: dict[str, Cell]  # by the side that cancelled or skipped
    unattributed_cancellations: int = 0
    quarters: list[int] = field(default_factory=list)

    @property
    def title(self) -> str:
        scope = f"quarter {self.quarter}" if self.quarter else "whole program so far"
        return f"Impact report: {self.program.name} ({scope})"


def quarter_count(program: ProgramFacts) -> int:
    return max(1, -(-program.length_weeks * 7 // QUARTER_DAYS))


def quarter_of(program: ProgramFacts, day: date) -> int:
    return max(1, (day - program.starts_on).days // QUARTER_DAYS + 1)


def _window(program: ProgramFacts, quarter: int | None, as_of: datetime) -> tuple[date, date]:
    end_of_program = program.starts_on + timedelta(weeks=program.length_weeks)
    start, end = program.starts_on, end_of_program
    if quarter is not None:
        start = program.starts_on + timedelta(days=QUARTER_DAYS * (quarter - 1))
        end = min(end_of_program, start + timedelta(days=QUARTER_DAYS))
    return start, max(start, min(end, as_of.date() + timedelta(days=1)))


def _inside(at: datetime | None, start: date, end: date) -> bool:
    return at is not None and start <= at.date() < end


def _weeks(inputs: ReportInputs, start: date, end: date) -> list[WeekRow]:
    count = max(1, -(-(end - start).days // 7))
    held = [0] * count
    for s in inputs.sessions:
        if s.status == SessionStatus.HELD and _inside(s.at, start, end):
            held[(s.at.date() - start).days // 7] += 1
    rate = PER_WEEK.get(inputs.program.cadence, 0.5)
    expected = [0.0] * count
    for pair in inputs.pairs:
        if pair.started_at is None:
            continue
        first = max(pair.started_at.date(), start)
        last = min(pair.ended_at.date(), end) if pair.ended_at else end
        for week in range((first - start).days // 7, count):
            week_start = start + timedelta(days=7 * week)
            if week_start >= last:
                break
            expected[week] += rate
    return [
        WeekRow(start + timedelta(days=7 * i), held[i], round(expected[i], 1)) for i in range(count)
    ]


def _period_index(cadence: Cadence, anchor: date, day: date) -> int:
    if cadence in BLOCK_DAYS:
        return (day - anchor).days // BLOCK_DAYS[cadence]
    return period_of(cadence, anchor=anchor, on=day).index


def _completed(cadence: Cadence, anchor: date, start: date, last: date) -> set[int]:
    """Indexes of the pair's cadence periods overlapping [start, last) and over by `last`."""
    if last <= max(start, anchor):
        return set()
    if cadence in BLOCK_DAYS:  # arithmetic: a year of 5,000 pairs has 130,000 periods
        block = BLOCK_DAYS[cadence]
        first = max(0, (start - anchor).days // block)
        return set(range(first, (last - anchor).days // block))
    periods = periods_between(cadence, anchor=anchor, start=start, end=last)
    return {p.index for p in periods if p.ends_on <= last}


def _cadence_kept(inputs: ReportInputs, start: date, end: date, today: date) -> Cell:
    """The share of completed cadence periods in which the pair held a session."""
    cadence = Cadence(inputs.program.cadence)
    held_in: dict[int, set[int]] = defaultdict(set)
    anchors = {p.id: p.started_at.date() for p in inputs.pairs if p.started_at}
    for s in inputs.sessions:
        anchor = anchors.get(s.pair_id)
        if anchor and s.status == SessionStatus.HELD and s.at.date() >= anchor:
            held_in[s.pair_id].add(_period_index(cadence, anchor, s.at.date()))
    periods = kept = people = 0
    for pair in inputs.pairs:
        anchor = anchors.get(pair.id)
        if anchor is None:
            continue
        last = min(end, today, pair.ended_at.date() if pair.ended_at else end)
        done = _completed(cadence, anchor, start, last)
        if done:
            people += 3 if pair.third_id else 2
        periods += len(done)
        kept += len(done.intersection(held_in[pair.id]))
    return Cell(round(100 * kept / periods, 1) if periods else None, people)


def _survey_quarter(inputs: ReportInputs, kind: str, period: str, opens_at: datetime) -> int:
    if kind == "quarterly" and period.removeprefix("q").isdigit():
        return int(period.removeprefix("q"))
    return quarter_of(inputs.program, (opens_at - timedelta(days=1)).date())


def _survey_rows(
    inputs: ReportInputs, roles: dict[int, str], quarters: list[int], questions: tuple[str, ...]
) -> list[SurveyRow]:
    scores: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    people: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for answer in inputs.answers:
        quarter = _survey_quarter(inputs, answer.kind, answer.period, answer.opens_at)
        if quarter not in quarters:
            continue
        role = roles.get(answer.participant_id, "")
        for question, value in answer.scores.items():
            for group in ("all", role):
                scores[(quarter, question, group)].append(value)
                people[(quarter, question, group)].add(answer.participant_id)

    def cell(key: tuple[int, str, str]) -> Cell:
        values = scores.get(key, [])
        mean = round(sum(values) / len(values), 2) if values else None
        return Cell(mean, len(people.get(key, ())))

    rows: list[SurveyRow] = []
    for quarter in quarters:
        for question in questions:
            rows.append(SurveyRow(quarter, question, "all", cell((quarter, question, "all"))))
            by_role = split({r: cell((quarter, question, r)) for r in ROLES})
            rows.extend(SurveyRow(quarter, question, r, c) for r, c in by_role.items())
    return rows


def _tally(counts: list[StatusCount], owners: set[int] | None = None) -> Tally:
    by_status: dict[str, int] = defaultdict(int)
    who: set[int] = set()
    for row in counts:
        if owners is None or row.owner_id in owners:
            by_status[row.status] += row.count
            who.add(row.owner_id)
    return Tally(dict(by_status), len(who))


def _by_role(
    counts: list[StatusCount], roles: dict[int, str], done: str
) -> dict[str, dict[str, Cell]]:
    tallies = {r: _tally(counts, {p for p, role in roles.items() if role == r}) for r in ROLES}
    cells = split({r: tallies[r].cell(done) for r in ROLES})
    totals = split({r: Cell(float(tallies[r].total), tallies[r].owners) for r in ROLES})
    return {r: {done: cells[r], "total": totals[r]} for r in ROLES}


def _cancellations(
    inputs: ReportInputs, roles: dict[int, str], start: date, end: date
) -> tuple[dict[str, Cell], int]:
    counts: dict[str, int] = defaultdict(int)
    who: dict[str, set[int]] = defaultdict(set)
    unattributed = 0
    for s in inputs.sessions:
        if s.status not in CANCELLED or not _inside(s.at, start, end):
            continue
        if s.cancelled_by_id is None:
            unattributed += 1
            continue
        role = roles.get(s.cancelled_by_id, "")
        counts[role] += 1
        who[role].add(s.cancelled_by_id)
    return split({r: Cell(float(counts[r]), len(who[r])) for r in ROLES}), unattributed


def compute_report(inputs: ReportInputs, *, quarter: int | None, as_of: datetime) -> Report:
    """Every figure of the report of `inputs.program`, for one quarter or the whole program."""
    program = inputs.program
    start, end = _window(program, quarter, as_of)
    roles = {p.id: p.role for p in inputs.people}
    last_quarter = min(quarter_count(program), quarter_of(program, as_of.date()))
    quarters = [quarter] if quarter else list(range(1, last_quarter + 1))
    held_minutes = [
        (s.minutes, s.pair_id)
        for s in inputs.sessions
        if s.status == SessionStatus.HELD and s.minutes and _inside(s.at, start, end)
    ]
    sizes = {p.id: 3 if p.third_id else 2 for p in inputs.pairs}
    minutes_people = sum(sizes.get(pair_id, 2) for pair_id in {p for _, p in held_minutes})
    entries = [pid for pid, at in inputs.learnings if _inside(at, start, end)]
    weeks = _weeks(inputs, start, end)
    cancellations, unattributed = _cancellations(inputs, roles, start, end)
    people = defaultdict(int)
    for person in inputs.people:
        people[person.role] += 1
    return Report(
        program=program,
        quarter=quarter,
        starts_on=start,
        ends_on=end,
        as_of=as_of,
        people=dict(people),
        pairs=len(inputs.pairs),
        learning_survey=_survey_rows(inputs, roles, quarters, LEARNING_QUESTIONS),
        learning_entries=Cell(float(len(entries)), len(set(entries))),
        goals=_tally(inputs.goals),
        goals_by_role=_by_role(inputs.goals, roles, "achieved"),
        weeks=weeks,
        held=sum(w.held for w in weeks),
        expected=round(sum(w.expected for w in weeks), 1),
        average_minutes=Cell(
            round(sum(m for m, _ in held_minutes) / len(held_minutes), 1) if held_minutes else None,
            minutes_people,
        ),
        cadence_kept=_cadence_kept(inputs, start, end, as_of.date()),
        actions=_tally(inputs.actions),
        actions_by_role=_by_role(inputs.actions, roles, "done"),
        operational_survey=_survey_rows(inputs, roles, quarters, OPERATIONAL_QUESTIONS),
        cancellations=cancellations,
        unattributed_cancellations=unattributed,
        quarters=quarters,
    )
