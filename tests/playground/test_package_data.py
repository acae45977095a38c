"""The playground's page files ship with the package (a wheel carries only declared data)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bot" / "playground"


def test_every_template_and_static_file_is_declared_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["bot.playground"]
    files = [
        p.relative_to(PACKAGE).as_posix()
        for folder in ("templates", "static")
        for p in (PACKAGE / folder).iterdir()
    ]
    assert files
    assert [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)] == []
