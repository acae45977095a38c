"""What a fresh clone promises: the licence pyproject names, and nothing generated committed."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ignored(name: str) -> bool:
    """Whether a file called `name` at the top of the clone matches a `.gitignore` pattern."""
    patterns = [
        line.strip().rstrip("/")
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return any(fnmatch(name, pattern) for pattern in patterns)


def test_the_license_file_is_the_one_pyproject_names() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert declared == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_files_the_bot_writes_beside_its_database_are_ignored() -> None:
    for name in (
        "twoway.db",
        "twoway.db-wal",
        "twoway.db-shm",
        "twoway.db-journal",
        "twoway.db.scheduler.lock",
        ".env",
    ):
        assert _ignored(name), name


def test_the_readme_names_only_files_inside_the_clone() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "../" not in readme
