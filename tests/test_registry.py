"""The feature registry: found by scanning `handlers`, read by the app, the tick and help."""

from __future__ import annotations

import threading

import pytest

from bot.commands import Subcommand
from bot.outbox.message import Post
from bot.registry import Feature, Features
from handlers import discover_features
from handlers.executor import TrackedExecutor


def _render(context: object, delivery: object) -> Post:
    return Post(text="x", blocks=[], channel="C1")


def test_every_feature_is_found_with_what_it_declares() -> None:
    features = discover_features()
    names = [f.name for f in features.all]
    for expected in ("enrolment", "matching", "rhythm", "checkins", "surveys", "help"):
        assert expected in names
    assert features.registration_order()[-1].name == "help"  # takes what no feature claimed
    kinds = features.renderers()
    for kind in ("pair_intro", "session_nudge", "checkin", "survey"):
        assert kind in kinds
    planners = [name for name, _ in features.planners()]
    assert planners.index("pauses_ended") < planners.index("rotation_previews")
    assert len(planners) == len(set(planners))


def test_help_lists_participants_first_then_coordinators() -> None:
    commands = discover_features().commands()
    flags = [c.coordinators_only for c in commands]
    assert flags == sorted(flags)
    assert commands[0].usage == "help"


def test_two_features_cannot_render_the_same_kind() -> None:
    one = Feature(name="one", renderers={"note": _render})
    two = Feature(name="two", renderers={"note": _render})
    with pytest.raises(ValueError, match="note"):
        Features([one, two])


def test_feature_names_are_unique_and_ordered() -> None:
    with pytest.raises(ValueError, match="share a name"):
        Features([Feature(name="a"), Feature(name="a")])
    ordered = Features(
        [
            Feature(name="late", order=50, commands=(Subcommand("b", "B"),)),
            Feature(name="early", order=10, commands=(Subcommand("a", "A"),)),
        ]
    )
    assert [c.usage for c in ordered.commands()] == ["a", "b"]


def test_tracked_executor_waits_for_running_listeners() -> None:
    executor = TrackedExecutor(max_workers=2)
    release = threading.Event()
    finished: list[int] = []

    def listener(n: int) -> None:
        release.wait(5)
        finished.append(n)

    executor.submit(listener, 1)
    executor.submit(listener, 2)
    assert executor.pending == 2
    with pytest.raises(TimeoutError):
        executor.wait_idle(timeout=0.05)
    release.set()
    executor.wait_idle(timeout=5)
    assert sorted(finished) == [1, 2]
    assert executor.pending == 0
    executor.shutdown()
