"""Hostile input, as a property: whatever is sent (signed or not, of any shape, to any
listener), twoway never answers 500, never shows a traceback, answers within Slack's 3 s
and changes no state for the outsiders who sent it.

The suite runs a few hundred examples per database; `bench/fuzz_requests.py` runs the long
run (FUZZ_EXAMPLES=10000) and reports the figures.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from tests.conftest import SIGNING_SECRET
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.hostile import HostileRequest, hostile_requests
from tests.support.row_counts import STATE_TABLES, row_counts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
REPORT = os.environ.get("FUZZ_REPORT")  # a path: the long run writes its figures there
SLACK_ACK_LIMIT = 3.0  # Slack's own rule, not a performance target
GENERIC = "something went wrong on our side"
# What an outsider may leave behind: the audit of a refusal, a request id seen once.
MAY_GROW = {"audit_log", "processed_requests"}
TABLES = STATE_TABLES


def _counts(app_server: AppServer) -> dict[str, int]:
    return row_counts(app_server, TABLES)


@pytest.fixture
def program_with_pairs(app_server: AppServer, emulator: SlackEmulator) -> AppServer:
    """A realistic setup: a program, 20 people in 10 introduced pairs, nudges sent."""
    runtime = app_server.runtime
    started = runtime.clock.now() - timedelta(days=3)
    program_id = make_program(runtime, name="Fuzzed", starts_on=started.date())
    for n in range(10):
        junior = (f"U0FZJUN{n:03d}", "Europe/Berlin", 9, 17)
        senior = (f"U0FZSEN{n:03d}", "America/New_York", 9, 17)
        active_pair(
            runtime,
            emulator,
            program_id=program_id,
            junior=junior,
            senior=senior,
            started_at=started,
        )
    run_tick(runtime, runtime.clock.now())
    return app_server


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=REPORT is None,  # the suite is repeatable; the long run explores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(request=hostile_requests)
def test_hostile_requests_never_break_the_app(
    program_with_pairs: AppServer, emulator: SlackEmulator, request: HostileRequest
) -> None:
    app_server = program_with_pairs
    state = _FuzzState.of(app_server)
    answered_before = len(emulator.responses())
    started = time.perf_counter()
    response = httpx.post(
        f"{app_server.base_url}/slack/events",
        content=request.body,
        headers=request.http_headers(SIGNING_SECRET),
        timeout=10,
    )
    took = time.perf_counter() - started
    app_server.wait_idle()
    answers = [json.dumps(r) for r in emulator.responses()[answered_before:]] + [response.text]
    state.record(request, response.status_code, took, answers)
    assert response.status_code < 500, (request, response.text[:300])
    assert took < SLACK_ACK_LIMIT, (request.family, took)
    assert not [a for a in answers if "Traceback" in a or 'File "' in a]
    assert state.changed_tables(app_server) == []


class _FuzzState:
    """Per test (one app, many examples): the starting row counts and the figures."""

    _by_app: dict[int, _FuzzState] = {}

    def __init__(self, app_server: AppServer) -> None:
        self.before = _counts(app_server)
        self.statuses: Counter[int] = Counter()
        self.families: Counter[str] = Counter()
        self.generic = 0
        self.answers = 0
        self.slowest = 0.0

    @classmethod
    def of(cls, app_server: AppServer) -> _FuzzState:
        return cls._by_app.setdefault(id(app_server), cls(app_server))

    def record(self, request: HostileRequest, status: int, took: float, answers: list[str]) -> None:
        self.statuses[status] += 1
        self.families[request.family] += 1
        self.slowest = max(self.slowest, took)
        texts = [a for a in answers if a.strip()]
        self.answers += len(texts)
        self.generic += sum(GENERIC in a for a in texts)
        if REPORT:
            Path(REPORT).write_text(
                json.dumps(
                    {
                        "at": datetime.now(UTC).isoformat(),
                        "requests": sum(self.statuses.values()),
                        "statuses": dict(self.statuses),
                        "families": dict(self.families),
                        "answers": self.answers,
                        "generic_answers": self.generic,
                        "slowest_s": round(self.slowest, 3),
                    },
                    indent=2,
                )
            )

    def changed_tables(self, app_server: AppServer) -> list[str]:
        now = _counts(app_server)
        return [name for name in TABLES if name not in MAY_GROW and now[name] != self.before[name]]
