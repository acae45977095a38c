"""Run the `twoway` CLI as an operator does: a real process, a clean environment, exit codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
TWOWAY = [str(Path(sys.executable).with_name("twoway"))]
PYTHON_APP = [sys.executable, str(ROOT / "app.py")]


def cli_env(**values: str) -> dict[str, str]:
    """This process's environment without any twoway or Slack setting, plus `values`."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TWOWAY_"))}
    keep.pop("DATABASE_URL", None)
    keep.pop("PORT", None)
    return keep | values


def run_cli(
    args: list[str], cwd: Path, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `args` to completion in `cwd` with `cli_env(**env)`; output captured as text."""
    return subprocess.run(
        args,
        cwd=cwd,
        env=cli_env(**env),
        stdin=subprocess.DEVNULL,  # a non-interactive start, even when pytest runs in a terminal
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def plain_lines(stderr: str) -> list[str]:
    """What the CLI itself wrote to stderr: every line that is not a JSON log record."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("{")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(
    base_url: str, process: subprocess.Popen[bytes], timeout: float = 30
) -> None:
    """Poll `/healthz` until `twoway run` answers 200; fail if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base_url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "twoway run did not start serving"
        time.sleep(0.1)
