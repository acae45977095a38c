"""One Bolt listener per kind of request, routing to the feature's own listener.

Bolt tries its listeners one by one, and for each it builds every argument it could inject
(ack, say, respond, the payload in eight shapes...) just to ask whether the listener
matches. With a listener per button, modal and subcommand (over a hundred), that search
cost more than most listeners themselves. Features register here with Bolt's own
decorator names (`action`, `command`, `view`); the router finds the one listener from the
request's id in a single pass, in registration order (first match wins, as in Bolt), and
builds its arguments once. A request no route takes stays unhandled, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.util.utils import get_arg_names_of_callable

Listener = Callable[..., Any]
Matcher = Callable[..., bool]
Key = str | re.Pattern[str]

ROUTE = "twoway_route"  # where the matcher leaves the chosen route for the listener
MATCHER_ARGS = frozenset({"command", "body"})  # what a command matcher may ask for


@dataclass(frozen=True)
class Route:
    key: Key
    matchers: tuple[tuple[Matcher, tuple[str, ...]], ...]  # each with the names it asks for
    listener: Listener
    arg_names: tuple[str, ...]

    def takes(self, key: str, body: dict[str, Any]) -> bool:
        """A slash command's payload is its body: `command` and `body` are the same dict."""
        matched = self.key.fullmatch(key) if isinstance(self.key, re.Pattern) else self.key == key
        return bool(matched) and all(
            matcher(**dict.fromkeys(names, body)) for matcher, names in self.matchers
        )


def _action_key(body: dict[str, Any]) -> str | None:
    if body.get("type") != "block_actions":
        return None
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first.get("action_id") if isinstance(first, dict) else None


def _view_key(body: dict[str, Any]) -> str | None:
    if body.get("type") != "view_submission":
        return None
    view = body.get("view")
    return view.get("callback_id") if isinstance(view, dict) else None


def _command_key(body: dict[str, Any]) -> str | None:
    command = body.get("command")
    return command if isinstance(command, str) and "type" not in body else None


KEYS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "action": _action_key,
    "view": _view_key,
    "command": _command_key,
}


class Router:
    """Collects listeners as Bolt's decorators would, then installs one per kind."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Route]] = {kind: [] for kind in KEYS}
        self._events: list[tuple[str, Listener]] = []

    def action(self, action_id: Key) -> Callable[[Listener], Listener]:
        return self._add("action", action_id, ())

    def view(self, callback_id: Key) -> Callable[[Listener], Listener]:
        return self._add("view", callback_id, ())

    def command(
        self, command: str, matchers: Sequence[Matcher] = ()
    ) -> Callable[[Listener], Listener]:
        named = tuple((m, tuple(get_arg_names_of_callable(m))) for m in matchers)
        for _, names in named:
            if not set(names) <= MATCHER_ARGS:
                raise TypeError(f"a command matcher may ask only for {sorted(MATCHER_ARGS)}")
        return self._add("command", command, named)

    def event(self, event_type: str) -> Callable[[Listener], Listener]:
        """Events go to Bolt as they are: few, and Bolt acknowledges them itself."""

        def register(listener: Listener) -> Listener:
            self._events.append((event_type, listener))
            return listener

        return register

    def _add(
        self, kind: str, key: Key, matchers: tuple[tuple[Matcher, tuple[str, ...]], ...]
    ) -> Callable[[Listener], Listener]:
        def register(listener: Listener) -> Listener:
            names = tuple(get_arg_names_of_callable(listener))
            self._routes[kind].append(Route(key, matchers, listener, names))
            return listener

        return register

    def route(self, kind: str, body: dict[str, Any]) -> Route | None:
        """The first route of this kind that takes the request, or None."""
        key = KEYS[kind](body)
        if key is None:
            return None
        return next((r for r in self._routes[kind] if r.takes(key, body)), None)

    def install(self, app: App) -> None:
        """One Bolt listener per kind with routes, then the events."""
        anything = re.compile(".*", re.DOTALL)
        for kind, routes in self._routes.items():
            if routes:
                decorator = getattr(app, kind)(anything, matchers=[self._matcher(kind)])
                decorator(self._dispatch)
        for event_type, listener in self._events:
            app.event(event_type)(listener)

    def _matcher(self, kind: str) -> Matcher:
        def takes(body: dict[str, Any], context: BoltContext) -> bool:
            route = self.route(kind, body)
            if route is None:
                return False
            context[ROUTE] = route
            return True

        return takes

    @staticmethod
    def _dispatch(request: BoltRequest, response: BoltResponse) -> Any:
        route: Route = request.context[ROUTE]
        return route.listener(
            **build_required_kwargs(
                logger=request.context.logger,
                required_arg_names=list(route.arg_names),
                request=request,
                response=response,
                this_func=route.listener,
                next_keys_required=False,
            )
        )
