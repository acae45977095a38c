"""The long hostile-input run: 10,000+ generated requests (signed and not, every shape) into
the real app over HTTP, on SQLite and PostgreSQL, with the suite's own property test.

Usage: .venv/bin/python bench/fuzz_requests.py [--examples 10000] [--backend sqlite|postgresql|both]
Prints, per database: requests sent, HTTP statuses, answers people would read and how many of
them were the generic "something went wrong", and the slowest answer. The run stops at the
first request that breaks a property (a 500, a traceback, an answer past 3 s, a state change)
and prints it, shrunk to its simplest form by hypothesis.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(backend: str, examples: int) -> dict[str, object]:
    report = Path(tempfile.mkdtemp()) / "fuzz.json"
    env = {**os.environ, "FUZZ_EXAMPLES": str(examples), "FUZZ_REPORT": str(report), "CI": "true"}
    started = time.perf_counter()
    outcome = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-k", backend,
         "tests/test_fuzz.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    figures = json.loads(report.read_text()) if report.exists() else {}
    figures["passed"] = outcome.returncode == 0
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    if outcome.returncode != 0:
        figures["failure"] = outcome.stdout[-3000:]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        figures = run(backend, args.examples)
        answers = int(figures.get("answers", 0) or 0)
        generic = int(figures.get("generic_answers", 0) or 0)
        share = f"{100 * generic / answers:.1f} %" if answers else "n/a"
        print(f"== {backend}: {'all properties held' if figures['passed'] else 'FAILED'}")
        print(f"   requests {figures.get('requests')}, statuses {figures.get('statuses')}")
        print(f"   families {figures.get('families')}")
        print(
            f"   answers {answers}, generic {generic} ({share}), slowest {figures.get('slowest_s')} s"
        )
        print(f"   wall {figures['wall_s']} s")
        if not figures["passed"]:
            print(figures.get("failure", ""))


if __name__ == "__main__":
    main()
