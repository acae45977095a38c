"""The playground's moving parts: the emulator as Slack, the real app, a settable clock.

`Playground` is what the page talks to. Everything a person does goes into the app as
the signed request Slack would send; everything shown is read back from what the app
asked the emulator to do. Modals are tracked per person through the trigger ids the
playground issued, and the clock buttons run the real scheduler tick.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import SettableClock
from bot.config import Settings
from bot.playground.people import ADMIN_CHANNEL, COORDINATOR
from bot.playground.slack_side import SlackSide
from bot.playground.state_values import selected_action, state_values
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.scheduler.tick import TickReport, next_due, run_tick
from bot.slack.pacing import Pacing
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.browse import modals_from_trigger, view
from handlers import create_bolt_app, discover_features
from handlers.executor import TrackedExecutor


def _json_object(content: bytes) -> dict[str, Any]:
    """An HTTP answer's JSON object, or `{}` for an empty or non-object body."""
    try:
        parsed = json.loads(content or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
NEXT_DUE_HORIZON = timedelta(days=21)  # how far "next thing due" looks ahead
FINE_STEPS = 12  # it steps an hour at a time this often, then six hours at a time


def playground_settings(database_url: str, emulator: SlackEmulator, secret: str) -> Settings:
    """The app's settings in the playground: the emulator as Slack, its own database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=emulator.bot_token,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database_url,
        TWOWAY_SCHEDULER="off",
        TWOWAY_COORDINATORS=COORDINATOR.user_id,
        TWOWAY_ADMIN_CHANNEL=ADMIN_CHANNEL,
    )


@dataclass
class Outcome:
    """What a person's action led to, for the page: field errors or a note."""

    ok: bool = True
    errors: dict[str, str] = field(default_factory=dict)
    note: str | None = None


class Playground:
    """One emulated workspace with the real app behind it."""

    def __init__(self, emulator: SlackEmulator, database_url: str, now: datetime) -> None:
        self.emulator = emulator
        self.signing_secret = secrets.token_hex(16)
        self.clock = SettableClock(now)
        settings = playground_settings(database_url, emulator, self.signing_secret)
        self.runtime: Runtime = build_runtime(
            settings, features=discover_features(), clock=self.clock
        )
        # The emulator enforces no rate limits and the playground's clock jumps weeks in
        # seconds: pacing (which waits in real time, for Slack's own limits) is off here.
        self.runtime.pacing = Pacing(
            channel_interval=0.0, workspace_per_second=1e6, workspace_burst=1e6
        )
        self.executor = TrackedExecutor()
        self.slack: SlackSide | None = None
        self._modals: dict[str, list[str]] = {}
        # Views the app answered with `response_action` (update/push), which Slack shows
        # without a Web API call; kept with the emulator's hash of the view they replaced.
        self._local_views: dict[str, tuple[dict[str, Any], str | None]] = {}
        self._lock = threading.RLock()
        # A slash command's acknowledgement with a body is shown by Slack as an ephemeral
        # message to the person who typed it; kept here as (user, channel, at, body).
        self._command_answers: list[tuple[str, str, float, dict[str, Any]]] = []

    def prepare(self) -> Any:
        """Migrate, learn the workspace from auth.test, and build the Bolt app."""
        from bot.schema import upgrade_to_head

        upgrade_to_head(self.runtime.engine, self.runtime.settings.database_url)
        bootstrap_workspace(self.runtime)
        return create_bolt_app(self.runtime, executor=self.executor)

    def connect(self, app_url: str) -> None:
        self.slack = SlackSide(app_url, self.signing_secret, self.emulator)

    def close(self) -> None:
        if self.slack is not None:
            self.slack.close()
        self.executor.shutdown(wait=True)
        self.runtime.close()

    @property
    def side(self) -> SlackSide:
        if self.slack is None:
            raise RuntimeError("the playground is not serving yet")
        return self.slack

    def settle(self) -> None:
        """Wait until every listener the app started has finished."""
        self.executor.wait_idle(timeout=60)

    # -- modals ------------------------------------------------------------------------

    def _follow_trigger(self, user_id: str, trigger_id: str) -> None:
        for method, view_id in modals_from_trigger(self.emulator.workspace, trigger_id):
            stack = self._modals.setdefault(user_id, [])
            if method == "views.open":
                stack[:] = [view_id]
            elif view_id not in stack:
                stack.append(view_id)

    def modal_stack(self, user_id: str) -> list[dict[str, Any]]:
        """The modals open for this person, bottom first, as last updated."""
        with self._lock:
            found = []
            for view_id in self._modals.get(user_id, []):
                current = self._view(view_id)
                if current is not None:
                    found.append(current)
            return found

    def _view(self, view_id: str) -> dict[str, Any] | None:
        """A view as the person sees it now: the app's `response_action` answer unless the
        app called views.update on it since (its hash in the emulator changed)."""
        stored = view(self.emulator.workspace, view_id)
        local = self._local_views.get(view_id)
        if local is not None and (stored is None or stored["hash"] == local[1]):
            return local[0]
        return stored

    def close_modal(self, user_id: str) -> None:
        with self._lock:
            self._modals.pop(user_id, None)

    # -- what people do ----------------------------------------------------------------

    def command(self, user_id: str, channel_id: str, text: str) -> Outcome:
        """`/mentor …` typed by this person in this conversation."""
        command, _, rest = text.strip().partition(" ")
        if not command.startswith("/"):
            return Outcome(False, note="Only slash commands reach the app, e.g. /mentor help.")
        with self._lock:
            response, trigger_id = self.side.command(
                user_id=user_id, channel_id=channel_id, text=rest.strip(), command=command
            )
            self.settle()
            self._follow_trigger(user_id, trigger_id)
        if response.status_code != 200:
            return Outcome(False, note=f"The app answered HTTP {response.status_code}.")
        answer = _json_object(response.content)
        if answer.get("text") or answer.get("blocks"):
            with self._lock:
                self._command_answers.append((user_id, channel_id, time.time(), answer))
        return Outcome()

    def command_answers(self, user_id: str, channel_id: str) -> list[tuple[float, dict[str, Any]]]:
        """What the app answered in its acknowledgements to this person's commands here."""
        with self._lock:
            return [
                (at, body)
                for user, channel, at, body in self._command_answers
                if user == user_id and channel == channel_id
            ]

    def action(
        self,
        user_id: str,
        *,
        action: dict[str, Any],
        chosen: str | None = None,
        chosen_text: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        ephemeral_url: str | None = None,
        view_id: str | None = None,
    ) -> Outcome:
        """A button, select, overflow or date used in a message, a modal or the Home tab."""
        entry = selected_action(str(action.get("type")), action, chosen, chosen_text)
        with self._lock:
            container_view = None
            if view_id is not None:
                container_view = self._view(view_id)
            message = None
            if channel_id and message_ts and ephemeral_url is None:
                message = self.emulator.message(channel_id, message_ts)
            source = ephemeral_url.rsplit("/", 1)[-1] if ephemeral_url else None
            response, trigger_id = self.side.block_action(
                user_id=user_id,
                action=entry,
                channel_id=channel_id,
                message=message,
                ephemeral_source=source,
                view=container_view,
            )
            self.settle()
            self._follow_trigger(user_id, trigger_id)
        return Outcome(response.status_code == 200)

    def submit(self, user_id: str, view_id: str, form: dict[str, list[str]]) -> Outcome:
        """Submit the modal on top of this person's stack."""
        with self._lock:
            current = self._view(view_id)
            if current is None:
                return Outcome(False, note="This form is no longer open.")
            values = state_values(current, form)
            answer = self.side.view_submission(user_id=user_id, view=current, values=values)
            self.settle()
            stack = self._modals.setdefault(user_id, [])
            kind = answer.get("response_action")
            if kind == "errors":
                return Outcome(False, errors=dict(answer.get("errors") or {}))
            if kind == "failed":
                return Outcome(False, note="The app could not take this form.")
            if kind == "clear":
                stack.clear()
            elif kind in {"update", "push"}:
                new_view = {**answer["view"], "id": view_id if kind == "update" else ""}
                if kind == "push":
                    new_view["id"] = f"VLOCAL{len(self._local_views) + 1:04d}"
                    stack.append(new_view["id"])
                stored = view(self.emulator.workspace, new_view["id"])
                self._local_views[new_view["id"]] = (new_view, stored and stored["hash"])
            elif view_id in stack:
                stack.remove(view_id)
        return Outcome()

    def open_home(self, user_id: str) -> None:
        """Opening the Home tab sends `app_home_opened`, and the app publishes it."""
        with self._lock:
            self.side.home_opened(user_id)
            self.settle()

    # -- the clock ---------------------------------------------------------------------

    def tick(self) -> TickReport:
        with self._lock:
            report = run_tick(self.runtime, self.clock.now())
            self.settle()
            return report

    def advance(self, step: str) -> TickReport:
        """Move the clock by an hour, a day or a week and run the scheduler as of then."""
        with self._lock:
            self.clock.advance(STEPS[step])
            return self.tick()

    def next_due(self) -> TickReport:
        """Jump to the next planned message and send it; without one, step forward (each
        step a real tick: hours first, then six hours) until the scheduler sends
        something or plans it, at most three weeks ahead."""
        with self._lock:
            start = self.clock.now()
            planned = self._next_planned(start)
            if planned is not None:
                self.clock.set(planned)
                return self.tick()
            steps = 0
            report = TickReport(now=start)
            while self.clock.now() - start < NEXT_DUE_HORIZON:
                steps += 1
                self.clock.advance(STEPS["hour"] * (1 if steps <= FINE_STEPS else 6))
                report = self.tick()
                if report.counts.get("deliveries"):
                    return report
                planned = self._next_planned(self.clock.now())
                if planned is not None:
                    self.clock.set(planned)
                    return self.tick()
            return report

    def _next_planned(self, after: datetime) -> datetime | None:
        return next_due(self.runtime, after)
