"""Agendas: exact minutes, the junior first, never the same twice in a row, short texts."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from bot.rhythm import AgendaInput, build_agenda
from models.enums import Role

WORDS = ("design", "figma", "prompts", "tiktok", "budget", "hiring", "sql", "python", "pricing")


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 80)))  # very long
    if rng.random() < 0.05:
        return "  multi\nline\t text  "
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))


def random_input(rng: random.Random, minutes: int) -> AgendaInput:
    def texts() -> tuple[str, ...]:
        return tuple(random_text(rng) for _ in range(rng.choice([0, 0, 1, 2, 3])))

    return AgendaInput(
        session_minutes=minutes,
        junior_topics=texts(),
        senior_topics=texts(),
        junior_goals=texts(),
        senior_goals=texts(),
        open_actions=texts(),
        last_learnings=texts(),
        period_index=rng.randrange(200),
    )


def test_invariants_for_every_length_and_many_inputs() -> None:
    rng = random.Random(45)
    for minutes in range(20, 46):
        for _ in range(60):
            data = random_input(rng, minutes)

            agenda = build_agenda(data)

            items = agenda.items
            assert sum(i.minutes for i in items) == minutes == agenda.minutes
            assert 3 <= len(items) <= 4
            assert all(i.minutes >= 3 for i in items)
            assert items[0].lead == Role.JUNIOR
            assert "junior" in (items[0].title + items[0].detail).lower()
            assert items[0].minutes == max(i.minutes for i in items)
            assert any(i.lead == Role.SENIOR for i in items[1:])
            assert items[-1].lead is None
            assert "apply" in (items[-1].title + items[-1].detail).lower()
            assert len(items) == (4 if data.open_actions or data.last_learnings else 3)
            assert all(len(i.title) <= 80 and len(i.detail) <= 200 for i in items)
            assert all("\n" not in i.title + i.detail for i in items)
            assert build_agenda(data) == agenda


def test_follow_up_names_the_open_action() -> None:
    data = AgendaInput(
        30, ("prompting",), ("budgets",), open_actions=("Ship the demo", "Read the RFC")
    )

    follow_up = build_agenda(data).items[1]

    assert "Ship the demo" in follow_up.title
    assert "Read the RFC" in follow_up.detail


def test_junior_topic_leads_and_senior_topic_follows() -> None:
    data = AgendaInput(25, ("Figma auto-layout",), ("How budgets get approved",))

    agenda = build_agenda(data)

    assert "Figma auto-layout" in agenda.items[0].title
    assert "How budgets get approved" in agenda.items[1].title
    assert agenda.items[1].lead == Role.SENIOR


def test_no_two_consecutive_agendas_are_equal() -> None:
    rng = random.Random(3)
    for _ in range(40):
        data = random_input(rng, rng.randint(20, 45))
        previous: str | None = None
        for period in range(20):
            agenda = build_agenda(replace(data, period_index=period, previous_signature=previous))
            assert agenda.signature != previous
            previous = agenda.signature


def test_equal_previous_signature_moves_to_the_next_variant() -> None:
    data = AgendaInput(30, ("git bisect",), (), period_index=7)
    first = build_agenda(data)

    again = build_agenda(replace(data, previous_signature=first.signature))

    assert again.signature != first.signature
    assert again.items[0].title != first.items[0].title
    assert build_agenda(replace(data, previous_signature="unrelated")) == first


def test_period_index_varies_the_prompts() -> None:
    data = AgendaInput(30, ("one topic",), ("one context",), open_actions=("a",))

    titles = {build_agenda(replace(data, period_index=i)).items[0].title for i in range(5)}

    assert len(titles) == 5


def test_signature_is_stable_across_processes() -> None:
    data = AgendaInput(20, ("topic",), ("context",))

    assert build_agenda(data).signature == build_agenda(replace(data)).signature
    assert len(build_agenda(data).signature) == 16


def test_long_user_text_is_truncated_with_an_ellipsis() -> None:
    long = "x" * 500
    data = AgendaInput(45, (long,), (long,), senior_goals=(long,), open_actions=(long, long))

    agenda = build_agenda(data)

    for item in agenda.items[:3]:
        assert len(item.title) <= 80
        assert item.title.endswith("…")
    assert agenda.items[0].detail.endswith("…")
    assert len(agenda.items[0].detail) <= 200


def test_empty_topics_still_give_a_junior_led_agenda() -> None:
    agenda = build_agenda(AgendaInput(20, (" ",), ()))

    assert [i.lead for i in agenda.items] == [Role.JUNIOR, Role.SENIOR, None]


@pytest.mark.parametrize("minutes", [19, 46, 0])
def test_session_length_must_be_20_to_45(minutes: int) -> None:
    with pytest.raises(ValueError, match="session_minutes"):
        AgendaInput(minutes, ("a",), ("b",))
