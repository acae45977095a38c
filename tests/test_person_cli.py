"""`twoway person export|erase` run as a real process against the app's database."""

from __future__ import annotations

import json
from pathlib import Path

from bot.slack_emulator import SlackEmulator
from models import Workspace
from tests.conftest import BOT_TOKEN
from tests.support.app_server import AppServer
from tests.support.cli import TWOWAY, plain_lines, run_cli
from tests.support.data_rights_seed import JO, JO_MARK, SAM, SAM_MARK, TO_JO_MARK, holding, seed
from tests.support.enrolment_flows import dms_to
from tests.support.slack_requests import TEAM_ID


def test_operator_exports_then_erases_a_person_through_the_cli(
    emulator: SlackEmulator, app_server: AppServer, database_url: str, tmp_path: Path
) -> None:
    runtime = app_server.runtime
    seed(runtime, emulator)
    db = {"DATABASE_URL": database_url}

    refused = run_cli([*TWOWAY, "person", "erase", JO], tmp_path, **db)
    assert refused.returncode == 2
    (line,) = plain_lines(refused.stderr)
    assert "--yes" in line
    assert "cannot be undone" in line
    assert holding(runtime, JO_MARK)

    with runtime.unit_of_work() as session:
        session.add(Workspace(team_id="T0SECOND01", name="Second"))
    out = tmp_path / "jo.json"
    ambiguous = run_cli([*TWOWAY, "person", "export", JO, "--out", str(out)], tmp_path, **db)
    assert ambiguous.returncode == 2
    (line,) = plain_lines(ambiguous.stderr)
    assert "several workspaces" in line
    assert "--team" in line
    assert not out.exists()

    exported = run_cli(
        [*TWOWAY, "person", "export", JO, "--out", str(out), "--team", TEAM_ID], tmp_path, **db
    )
    assert exported.returncode == 0, exported.stderr
    data = json.loads(out.read_text())
    assert data["slack_user_id"] == JO
    assert JO_MARK in out.read_text()
    assert TO_JO_MARK in out.read_text()
    assert SAM_MARK not in out.read_text()

    slack_env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.api_url}
    erased = run_cli(
        [*TWOWAY, "person", "erase", JO, "--yes", "--team", TEAM_ID],
        tmp_path,
        **db,
        **slack_env,
    )
    assert erased.returncode == 0, erased.stderr
    assert "1 partners told" in erased.stdout
    assert holding(runtime, JO_MARK, TO_JO_MARK, JO) == []
    (told,) = dms_to(emulator, SAM)
    assert "stepped back" in told
