"""Ack latency from outside: twoway against a bare Bolt app that only acks, served the same
way (uvicorn + Starlette into Bolt's dispatch), in the same run, under 1, 10 and 50
concurrent signed requests: `/mentor help`, `/mentor goals` (an enrolled person), a button
(Cancel on the leave prompt) and a modal submission with a field error.

Usage: .venv/bin/python bench/bench_ack_latency.py [--database sqlite|postgresql]
       [--requests 400] [--concurrency 1,10,50]
The load generator shares the machine's cores with both apps (this machine has 2), so read
the ratio to the bare app, not the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
import structlog
from slack_bolt import Ack, App
from slack_sdk import WebClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import migrate
from bot.config import Settings
from bot.slack_emulator import SlackEmulator
from bot.views.enrolment import LeaveIds
from bot.views.programs import ProgramIds
from bot.web import create_asgi_app
from models.enums import Role
from tests.support.app_server import AppServer
from tests.support.databases import postgres_admin_engine, postgres_url
from tests.support.factories import enrol, make_program
from tests.support.served import serve
from tests.support.slack_requests import TEAM_ID, sign

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench-token"
USER = "U0BENCHJ01"


def _command(text: str, response_url: str) -> tuple[str, str]:
    form = {
        "team_id": TEAM_ID, "channel_id": "C0GENERAL1", "user_id": USER, "command": "/mentor",
        "text": text, "response_url": response_url, "trigger_id": f"1.{uuid.uuid4().hex}",
    }  # fmt: skip
    return urlencode(form), "application/x-www-form-urlencoded"


def _interaction(payload: dict[str, object]) -> tuple[str, str]:
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def _button(response_url: str) -> tuple[str, str]:
    return _interaction(
        {
            "type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": USER},
            "trigger_id": "1.2.3", "response_url": response_url, "channel": {"id": "C0GENERAL1"},
            "container": {"type": "message", "channel_id": "C0GENERAL1", "message_ts": "1.0"},
            "actions": [{"action_id": LeaveIds.CANCEL.value, "block_id": "b", "type": "button",
                         "value": "x", "action_ts": "1.0"}],
        }
    )  # fmt: skip


def _view() -> tuple[str, str]:
    values = {
        ProgramIds.NAME.value: {ProgramIds.NAME.value: {"type": "plain_text_input", "value": ""}}
    }
    return _interaction(
        {
            "type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": USER},
            "view": {"type": "modal", "id": f"V{uuid.uuid4().hex[:10]}", "callback_id": ProgramIds.CREATE_CALLBACK.value,
                     "private_metadata": "", "state": {"values": values}, "hash": "h"},
        }
    )  # fmt: skip


def bare_app(api_url: str) -> App:
    """The floor: Bolt, served the same way, acking everything at once."""
    app = App(
        client=WebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        token_verification_enabled=False,
        process_before_response=False,
    )

    def just_ack(ack: Ack) -> None:
        ack()

    app.command("/mentor")(just_ack)
    app.action(re.compile(".*"))(just_ack)
    app.view(re.compile(".*"))(just_ack)
    return app


def measure(
    base_url: str, build: Callable[[], tuple[str, str]], total: int, workers: int
) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def one(_: int) -> None:
        body, content_type = build()
        stamp = int(time.time())
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(SECRET, body, stamp),
        }
        started = time.perf_counter()
        response = client.post(f"{base_url}/slack/events", content=body, headers=headers)
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
        with lock:
            latencies.append(took)

    with httpx.Client(timeout=10, limits=httpx.Limits(max_connections=workers)) as client:
        for _ in range(min(20, total)):  # warm up
            one(0)
        latencies.clear()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, range(total)))
    return latencies


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", default="1,10,50")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the figures, not the request log
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    emulator = SlackEmulator(team_id=TEAM_ID, bot_token=TOKEN).start()
    emulator.add_user(USER, name="jo", real_name="Jo Bench", tz="Europe/Berlin")
    emulator.add_channel("C0GENERAL1", name="general", members=[USER])
    if args.database == "postgresql":
        admin = postgres_admin_engine()
        if admin is None:
            raise SystemExit("PostgreSQL is not reachable on 127.0.0.1:5432")
        name = f"bench_ack_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = postgres_url(name)
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    migrate.upgrade(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=emulator.api_url,
        DATABASE_URL=url, TWOWAY_SCHEDULER="off",
    )  # fmt: skip
    twoway = AppServer(settings).start()
    program_id = make_program(twoway.runtime, name="Bench")
    enrol(
        twoway.runtime, emulator, program_id=program_id, user_id=USER, role=Role.JUNIOR,
        department="Marketing", can_share=["AI tools"], wants_to_learn=["Strategy"],
    )  # fmt: skip
    floor = serve(create_asgi_app(bare_app(emulator.api_url), twoway.runtime.engine))
    response_url = emulator.response_url("bench")
    kinds: dict[str, Callable[[], tuple[str, str]]] = {
        "/mentor help": lambda: _command("help", response_url),
        "/mentor goals": lambda: _command("goals", response_url),
        "button": lambda: _button(response_url),
        "modal submission": _view,
    }
    print(f"database {args.database}, {args.requests} requests per cell, latencies in ms")
    print(
        "| request | concurrent | twoway p50 / p95 / p99 | bare Bolt p50 / p95 / p99 | p99 ratio | max |"
    )
    print("|---|---|---|---|---|---|")
    for workers in (int(c) for c in args.concurrency.split(",")):
        for label, build in kinds.items():
            ours = measure(twoway.base_url, build, args.requests, workers)
            twoway.wait_idle()
            bare = measure(floor.base_url, build, args.requests, workers)
            p = [percentile(ours, q) for q in (50, 95, 99)]
            b = [percentile(bare, q) for q in (50, 95, 99)]
            print(
                f"| {label} | {workers} | {p[0]:.0f} / {p[1]:.0f} / {p[2]:.0f} | "
                f"{b[0]:.0f} / {b[1]:.0f} / {b[2]:.0f} | {p[2] / b[2]:.2f} | {max(ours) * 1000:.0f} |"
            )
    floor.stop()
    twoway.stop()
    emulator.stop()


if __name__ == "__main__":
    main()
