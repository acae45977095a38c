"""`twoway db ...` as an operator meets it: one line per problem, never a traceback.

Each command is a process of its own (about 2 s of CPU), so only the tests whose path
differs between the backends (migrating, the PostgreSQL advisory lock) run on both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from bot import migrate
from tests.support.cli import TWOWAY, run_cli
from tests.support.databases import SqliteDatabases

POSTGRES_DOWN = "postgresql://postgres:secret@127.0.0.1:1/nowhere"


def _revisions() -> list[str]:
    """Every migration id, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _one_line_failure(result: object, code: int = 2) -> str:
    """The single line the CLI wrote to stderr, after checking that nothing else was."""
    assert result.returncode == code, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_upgrade_to_an_unknown_revision_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    result = run_cli([*TWOWAY, "db", "upgrade", "nosuchrev"], tmp_path, DATABASE_URL=url)
    line = _one_line_failure(result)
    assert "unknown revision 'nosuchrev'" in line
    assert _revisions()[-1] in line  # names what exists instead


def test_check_on_an_unmigrated_database_says_to_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    result = run_cli([*TWOWAY, "db", "check"], tmp_path, DATABASE_URL=url)
    line = _one_line_failure(result)
    assert "twoway db upgrade" in line
    assert result.stdout == ""


def test_check_prints_only_twoways_answer(
    sqlite_databases: SqliteDatabases, tmp_path: Path
) -> None:
    url = sqlite_databases.migrated()
    result = run_cli([*TWOWAY, "db", "check"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "models and migrations agree\n"


@pytest.mark.parametrize(
    "args", [["upgrade"], ["downgrade", "base"], ["check"]], ids=["upgrade", "downgrade", "check"]
)
def test_db_commands_with_the_server_down_are_one_line(args: list[str], tmp_path: Path) -> None:
    result = run_cli([*TWOWAY, "db", *args], tmp_path, DATABASE_URL=POSTGRES_DOWN)
    line = _one_line_failure(result)
    assert line.startswith("database unavailable at postgresql+psycopg://postgres:***@127.0.0.1:1")
    assert "secret" not in result.stderr


def test_db_upgrade_on_an_unopenable_sqlite_file_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/no/such/dir/t.db"
    line = _one_line_failure(run_cli([*TWOWAY, "db", "upgrade"], tmp_path, DATABASE_URL=url))
    assert line.startswith(f"database unavailable at {url}")


def test_relative_steps_report_the_revision_reached(database_url: str, tmp_path: Path) -> None:
    revisions = _revisions()
    env = {"DATABASE_URL": database_url}  # migrated to the newest revision
    down = run_cli([*TWOWAY, "db", "downgrade", "-1"], tmp_path, **env)  # the help's own example
    assert (down.returncode, down.stdout) == (0, f"database at {revisions[-2]}\n"), down.stderr

    up = run_cli([*TWOWAY, "db", "upgrade", "+1"], tmp_path, **env)
    assert (up.returncode, up.stdout) == (0, f"database at {revisions[-1]}\n"), up.stderr

    too_far = run_cli([*TWOWAY, "db", "upgrade", "+1"], tmp_path, **env)
    assert _one_line_failure(too_far) == (
        f"cannot step +1 from {revisions[-1]}: not that many migrations that way"
    )


def test_a_database_from_a_newer_twoway_is_named_as_such(database_url: str, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    # `deliveries` migrates at start like `run` and `worker` (on PostgreSQL under the lock)
    line = _one_line_failure(run_cli([*TWOWAY, "deliveries"], tmp_path, DATABASE_URL=database_url))
    assert "9999" in line
    assert "newer twoway" in line
