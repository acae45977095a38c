"""Features declare themselves; the app, the scheduler and `/mentor help` read the registry.

A feature is one object naming its Bolt listeners (a `register(app)` function), its
`/mentor` subcommands, the outbox renderers for the kinds of message it starts and the
planners the scheduler runs each tick. Adding a feature adds a module that exposes a
`FEATURE`; no central file names it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.commands import Subcommand
from bot.outbox.render import Renderer

if TYPE_CHECKING:
    from bot.runtime import Runtime

Planner = Callable[["Runtime", datetime], int]
"""A step of a tick, as of `now`; returns how many things it planned or changed."""


@dataclass(frozen=True)
class Feature:
    name: str
    register: Callable[[Any], None] | None = None  # wires the feature's Bolt listeners
    commands: tuple[Subcommand, ...] = ()
    renderers: Mapping[str, Renderer] = field(default_factory=dict)
    planners: tuple[tuple[str, Planner], ...] = ()
    order: int = 100  # listing, registration and planning order (lower first)
    fallback: bool = False  # registered after every other feature (takes what none claimed)
    # Kinds of its messages that must never reach Slack twice: interrupted mid-call, such a
    # row is reported as uncertain instead of sent again (bot/outbox/engine.py).
    at_most_once: frozenset[str] = frozenset()


class Features:
    """The registry: every feature of this process, in order."""

    def __init__(self, features: Iterable[Feature] = ()) -> None:
        self.all: tuple[Feature, ...] = tuple(sorted(features, key=lambda f: (f.order, f.name)))
        names = [f.name for f in self.all]
        if len(names) != len(set(names)):
            raise ValueError(f"two features share a name: {names}")
        self._renderers: dict[str, Renderer] = {}
        for feature in self.all:
            for kind, renderer in feature.renderers.items():
                if kind in self._renderers:
                    raise ValueError(f"two features render the delivery kind {kind!r}")
                self._renderers[kind] = renderer

    def renderers(self) -> Mapping[str, Renderer]:
        """Every kind of outbox row and the function that renders it."""
        return self._renderers

    def planners(self) -> list[tuple[str, Planner]]:
        return [planner for feature in self.all for planner in feature.planners]

    def commands(self) -> list[Subcommand]:
        """Subcommands as `/mentor help` lists them: participants' first, then coordinators'."""
        listed = [c for feature in self.all for c in feature.commands]
        return [c for c in listed if not c.coordinators_only] + [
            c for c in listed if c.coordinators_only
        ]

    def registration_order(self) -> list[Feature]:
        return [f for f in self.all if not f.fallback] + [f for f in self.all if f.fallback]
