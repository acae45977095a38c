"""When reflection surveys open: quarters, rotation ends, and the 7-day rule (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from bot.rhythm.people import Availability, work_windows
from bot.services.programs import ends_on, round_starts_on
from models import Program, Survey
from models.enums import SurveyKind

QUARTER = timedelta(weeks=13)
OPEN_FOR = timedelta(days=14)
OPENS_AT = time(9)  # UTC; each person's DM then waits for their own working hours
MERGE_WINDOW = timedelta(days=7)
SHORTEST_LAST_QUARTER = timedelta(weeks=4)


def at_opening(day: date) -> datetime:
    return datetime.combine(day, OPENS_AT, tzinfo=UTC)


def quarter_ends(program: Program) -> list[tuple[int, date]]:
    """(k, the day quarter k ends) for the whole program; the last quarter ends with it."""
    last_day = ends_on(program)
    found: list[tuple[int, date]] = []
    k = 1
    while (end := program.starts_on + QUARTER * k) < last_day:
        found.append((k, end))
        k += 1
    previous = found[-1][1] if found else program.starts_on
    if not found or last_day - previous >= SHORTEST_LAST_QUARTER:
        found.append((k, last_day))
    return found


def scheduled_rotations(program: Program) -> list[datetime]:
    """The planned rotation dates (the program's own end is not a rotation)."""
    found, r = [], 2
    while (start := round_starts_on(program, r)) < ends_on(program):
        found.append(at_opening(start))
        r += 1
    return found


def survey_window(program: Program, survey: Survey) -> tuple[datetime, datetime]:
    """The quarter or round a survey looks back on, as [start, end) in UTC."""
    number = int(survey.period.removeprefix("q").removeprefix("round-"))
    if survey.kind == SurveyKind.QUARTERLY:
        start = program.starts_on + QUARTER * (number - 1)
        end = at_opening(min(program.starts_on + QUARTER * number, ends_on(program)))
    else:  # the round, up to the moment it actually ended
        start, end = round_starts_on(program, number), survey.opens_at
    return datetime.combine(start, time(0), tzinfo=UTC), end


def _near(moment: datetime, others: Iterable[datetime]) -> bool:
    return any(abs(moment - other) <= MERGE_WINDOW for other in others)


def due_surveys(
    program: Program,
    *,
    now: datetime,
    rounds_ended: dict[int, datetime],
    existing: list[tuple[SurveyKind, str, datetime]],
) -> list[tuple[SurveyKind, str, datetime]]:
    """The (kind, period, opens_at) of surveys that opened by `now`, are still open, and are
    missing: rotation ends first, so that a quarter end next to one gives way to it."""
    have = {(kind, period) for kind, period, _ in existing}
    quarterlies = [at for kind, _, at in existing if kind == SurveyKind.QUARTERLY]
    rotations = [at for kind, _, at in existing if kind == SurveyKind.ROTATION_END]
    due: list[tuple[SurveyKind, str, datetime]] = []
    ended = dict(rounds_ended)
    for r in range(1, program.current_round):  # rounds the program moved past
        ended.setdefault(r, min(at_opening(round_starts_on(program, r + 1)), now))
    for r, opens_at in sorted(ended.items()):
        period = f"round-{r}"
        if (SurveyKind.ROTATION_END, period) in have or not opens_at <= now < opens_at + OPEN_FOR:
            continue
        if _near(opens_at, quarterlies):
            continue  # a quarterly survey went out days ago: that one counts for this round
        due.append((SurveyKind.ROTATION_END, period, opens_at))
        rotations.append(opens_at)
    scheduled = scheduled_rotations(program)
    for k, end in quarter_ends(program):
        period, quarter_end = f"q{k}", at_opening(end)
        if (SurveyKind.QUARTERLY, period) in have or _near(quarter_end, rotations):
            continue
        opens_at = quarter_end + MERGE_WINDOW if _near(quarter_end, scheduled) else quarter_end
        if opens_at <= now < opens_at + OPEN_FOR:
            due.append((SurveyKind.QUARTERLY, period, opens_at))
    return due


def first_working_moment(at: datetime, person: Availability) -> datetime:
    """`at` itself when it falls in the person's working hours, else their next work start."""
    for start, end in work_windows(person, start=at, end=at + timedelta(days=5)):
        if end > at:
            return max(start, at)
    return at  # pragma: no cover - a week always holds a working day


def availability(timezone: str, start: time | None, end: time | None) -> Availability:
    try:
        return Availability(
            timezone=timezone, work_start=start or time(9), work_end=end or time(17)
        )
    except ValueError:
        return Availability(timezone="UTC")
