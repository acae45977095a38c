"""`twoway playground` as a person starts it: the first lines say what it is and where to
open it, the page answers on loopback, and the production database is never touched."""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.cli import TWOWAY, cli_env, run_cli


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_without_tokens_at_a_terminal_opens_the_playground_and_says_where(
    tmp_path: Path,
) -> None:
    """`make run` from a terminal (stdin is a TTY, here a pseudo-terminal) and no tokens:
    the first lines say what this is and where to open it; the page serves the seed."""
    port = _free_port()
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [*TWOWAY, "run"],
        cwd=tmp_path,
        env=cli_env(PORT=str(port), TWOWAY_SCHEDULER="off"),
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while not any(line.startswith("Ready:") for line in lines):
            assert time.monotonic() < deadline, lines
            assert process.poll() is None, lines
            lines.append(process.stdout.readline().rstrip("\n"))
        assert lines[0].startswith("twoway playground: a local workspace")
        assert f"http://127.0.0.1:{port}/" in lines[1]
        assert any("manifest.yml" in line for line in lines)
        page = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=30)
        assert page.status_code == 200
        assert "Maya Lindqvist" in page.text
        assert "Spring cohort" in page.text  # created through the app's own modal
        assert (tmp_path / "twoway-playground.db").exists()
        assert not (tmp_path / "twoway.db").exists()  # the production default is untouched
    finally:
        process.terminate()
        process.communicate(timeout=30)
        os.close(controller)
        os.close(terminal)


def test_run_without_tokens_and_without_a_terminal_keeps_failing_with_the_steps(
    tmp_path: Path,
) -> None:
    """The Procfile's `web` process: no TTY, so no playground, the manifest steps instead."""
    result = run_cli([*TWOWAY, "run"], tmp_path, TWOWAY_SCHEDULER="off")
    assert result.returncode == 2
    assert "manifest.yml" in result.stderr
    assert "playground" not in result.stdout
    assert not (tmp_path / "twoway-playground.db").exists()
