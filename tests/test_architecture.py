"""The layering rules of ARCHITECTURE.md, checked on the source itself.

A listener acks, parses, calls one flow and answers: handlers hold no session, no model
and no SQL; only services build SQL; only the clock reads the time; the scheduler and
the entry point name no feature (they read the registry).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = sorted((ROOT / "handlers").glob("*.py"))
FLOWS_AND_MESSAGES = sorted(
    [*(ROOT / "bot/flows").glob("*.py"), *(ROOT / "bot/messages").glob("*.py")]
)
OWN_CODE = [
    p
    for p in [*ROOT.joinpath("bot").rglob("*.py"), *HANDLERS, ROOT / "app.py"]
    if "slack_emulator" not in p.parts
]
FEATURE_WORDS = (
    "enrolment",
    "matching",
    "rhythm",
    "checkin",
    "survey",
    "goals",
    "pairs",
    "programs",
    "stalls",
    "rotation",
)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", HANDLERS, ids=_rel)
def test_handlers_hold_no_session_model_or_time(path: Path) -> None:
    source = path.read_text()
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)
    }
    assert "unit_of_work" not in source
    assert "session" not in names
    assert not [m for m in _imports(path) if m == "models" or m.startswith("models.")]
    assert not [m for m in _imports(path) if m.startswith("sqlalchemy")]
    assert "runtime.workspace_id" not in source
    assert not re.search(r"\bgateway\.(post_message|upload_file|update_message)\b", source)


@pytest.mark.parametrize("path", FLOWS_AND_MESSAGES, ids=_rel)
def test_only_services_build_sql(path: Path) -> None:
    source = path.read_text()
    assert not [
        m
        for m in _imports(path)
        if m.startswith("sqlalchemy") and m != "sqlalchemy.orm.Session" and m != "sqlalchemy.orm"
    ]
    assert not re.search(r"\bsession\.(get|scalar|scalars|execute|add|query|delete)\(", source)
    assert not re.search(r"\bselect\(", source)


def test_only_the_clock_reads_the_time() -> None:
    readers = [
        _rel(p)
        for p in [*OWN_CODE, *ROOT.joinpath("models").rglob("*.py")]
        if re.search(r"datetime\.now\(|date\.today\(|datetime\.utcnow\(", p.read_text())
    ]
    assert readers == ["bot/clock.py"]


def test_only_the_outbox_and_gateway_post_messages() -> None:
    posters = [
        _rel(p) for p in OWN_CODE if re.search(r"\.post_message\(|\.upload_file\(", p.read_text())
    ]
    assert posters == ["bot/outbox/engine.py"]


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "app.py",
        ROOT / "bot/scheduler/tick.py",
        ROOT / "bot/scheduler/heartbeat.py",
        ROOT / "handlers/__init__.py",
    ],
    ids=_rel,
)
def test_central_modules_name_no_feature(path: Path) -> None:
    imported = " ".join(_imports(path))
    assert not [word for word in FEATURE_WORDS if word in imported]
    assert "bot.messages" not in imported
