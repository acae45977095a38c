"""Session agendas for 20–45 minutes where the junior leads: reverse mentoring, junior first."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TypeVar

from bot.rhythm import phrases
from bot.rhythm.text import fit, tidy
from models.enums import Role

MIN_SESSION, MAX_SESSION = 20, 45
MIN_ITEM = 3
TITLE_MAX, DETAIL_MAX = 80, 200
T = TypeVar("T")
JUNIOR_SHARES = (Fraction(1, 2), Fraction(11, 20), Fraction(3, 5))  # of the two main items


@dataclass(frozen=True)
class AgendaItem:
    """One block of the session; `lead` says who runs it (None: both together)."""

    minutes: int
    title: str
    detail: str
    lead: Role | None = None


@dataclass(frozen=True)
class Agenda:
    """The items in order; `signature` is a digest of them, so a pair never gets a repeat."""

    items: tuple[AgendaItem, ...]
    signature: str
    due_goals: tuple[tuple[str, date], ...] = ()  # goals whose target date is near: (text, date)

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.items)


@dataclass(frozen=True)
class AgendaInput:
    """What the pair brought to the table; the caller reads it from goals, actions and learnings."""

    session_minutes: int
    junior_topics: tuple[str, ...]
    senior_topics: tuple[str, ...]
    junior_goals: tuple[str, ...] = ()
    senior_goals: tuple[str, ...] = ()
    open_actions: tuple[str, ...] = ()
    last_learnings: tuple[str, ...] = ()
    period_index: int = 0
    previous_signature: str | None = None
    due_goals: tuple[tuple[str, date], ...] = ()  # (goal, target date), soonest first

    def __post_init__(self) -> None:
        if not MIN_SESSION <= self.session_minutes <= MAX_SESSION:
            raise ValueError(
                f"session_minutes must be {MIN_SESSION}..{MAX_SESSION}, got {self.session_minutes}"
            )


def build_agenda(data: AgendaInput) -> Agenda:
    """The period's agenda; if it equals the pair's previous one, the next variant instead."""
    for attempt in range(len(phrases.JUNIOR_GOAL)):
        agenda = _variant(data, data.period_index + attempt)
        if agenda.signature != data.previous_signature:
            return agenda
    raise AssertionError("every bank has two phrasings, so the second variant always differs")


def _variant(data: AgendaInput, v: int) -> Agenda:
    actions = _texts(data.open_actions)
    learnings = _texts(data.last_learnings)
    follow = _follow_up(actions, learnings, v)
    close_title, close_detail = _pick(phrases.CLOSE, v)
    if actions and learnings:
        close_detail = fit(close_detail + " Last learning: {}", learnings[0], DETAIL_MAX)
    junior_min, follow_min, senior_min, close_min = _minutes(
        data.session_minutes, follow is not None, v
    )
    items = [
        _junior_item(data, v, junior_min),
        *([AgendaItem(follow_min, *follow)] if follow else []),
        _senior_item(data, v, senior_min),
        AgendaItem(close_min, close_title, close_detail),
    ]
    due = tuple((tidy(text), on) for text, on in data.due_goals if text.strip())
    return Agenda(items=tuple(items), signature=_signature(items), due_goals=due)


def _minutes(total: int, with_follow_up: bool, v: int) -> tuple[int, int, int, int]:
    """Junior, follow-up, senior, close: short fixed ends, the junior's item the largest."""
    close = 3 if total < 30 else 4 if total < 40 else 5
    follow = (4 if total < 30 else 5 if total < 40 else 6) if with_follow_up else 0
    rest = total - close - follow
    junior = math.ceil(rest * JUNIOR_SHARES[v % len(JUNIOR_SHARES)])
    senior = rest - junior
    assert min(junior, senior) >= MIN_ITEM  # holds from 20 minutes up: 13 left, at most 8 + 5
    return junior, follow, senior, close


def _junior_item(data: AgendaInput, v: int, minutes: int) -> AgendaItem:
    topics, goals = _texts(data.junior_topics), _texts(data.junior_goals)
    subjects = [(phrases.JUNIOR_TOPIC, t) for t in topics] + [
        (phrases.JUNIOR_GOAL, g) for g in goals
    ]
    if subjects:
        bank, subject = subjects[v % len(subjects)]
        title_template, detail = _pick(bank, v)
        title = fit(title_template, subject, TITLE_MAX)
    else:
        title, detail = _pick(phrases.JUNIOR_OPEN, v)
    senior_goals = _texts(data.senior_goals)
    if senior_goals:  # what the senior wants to learn is what the junior's teaching serves
        detail = fit(
            detail + " Tie it to the senior's goal: {}", _pick(senior_goals, v), DETAIL_MAX
        )
    return AgendaItem(minutes, title, detail, Role.JUNIOR)


def _follow_up(actions: list[str], learnings: list[str], v: int) -> tuple[str, str] | None:
    if actions:
        title_template, detail = _pick(phrases.FOLLOW_ACTION, v)
        if len(actions) > 1:
            detail = fit(detail + " Also open: {}", "; ".join(actions[1:]), DETAIL_MAX)
        return fit(title_template, actions[0], TITLE_MAX), detail
    if learnings:
        title_template, detail = _pick(phrases.FOLLOW_LEARNING, v)
        return fit(title_template, learnings[0], TITLE_MAX), detail
    return None


def _senior_item(data: AgendaInput, v: int, minutes: int) -> AgendaItem:
    subject = _pick(_texts(data.senior_topics) or list(phrases.SENIOR_SUBJECTS), v)
    title_template, detail = _pick(phrases.SENIOR_TOPIC, v)
    return AgendaItem(minutes, fit(title_template, subject, TITLE_MAX), detail, Role.SENIOR)


def _pick(options: Sequence[T], v: int) -> T:
    return options[v % len(options)]


def _texts(values: tuple[str, ...]) -> list[str]:
    return [tidy(value) for value in values if value.strip()]


def _signature(items: list[AgendaItem]) -> str:
    """Stable across processes (no hash()): minutes, words and leads of every item."""
    raw = json.dumps([[i.minutes, i.title, i.detail, i.lead] for i in items], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
