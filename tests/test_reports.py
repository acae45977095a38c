"""Impact reports and exports end to end: `/mentor admin report|export` in Slack (PNG charts
in the report's thread, a zip of CSVs), `twoway report|export` as a real process, the
small-group rule on a two-person group, refusals and the audit trail."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zipfile
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from bot.slack_emulator import SlackEmulator
from models import AuditLog
from models.enums import AuditOutcome
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.cli import TWOWAY, run_cli
from tests.support.flows import wait_until
from tests.support.report_seed import PROGRAM, seed_program
from tests.support.slack_requests import SlackRequests

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WITHHELD = "fewer than 3 answers"


def decoded_png(content: bytes) -> tuple[int, int]:
    """The image's size once fully decoded; fails on anything but a valid PNG."""
    assert content.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def audit_rows(app_server: AppServer, action: str) -> list[AuditLog]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action)))


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_report_posts_summary_and_uploads_decodable_charts_in_its_thread(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    seeded = seed_program(app_server.runtime, emulator)
    response = slack.command(f"admin report {PROGRAM}", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert response.status_code == 200
    app_server.wait_idle()
    wait_until(lambda: len(emulator.uploaded_files()) >= 4)
    building = [r for r in emulator.responses() if "Building the impact report" in r["text"]]
    assert len(building) == 1

    (post,) = [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == ADMIN_CHANNEL and "Impact report" in c.args["text"]
    ]
    blocks = json.dumps(post.json("blocks"))
    assert "Learning outcomes" in blocks
    assert "Operational metrics" in blocks
    assert blocks.index("Learning outcomes") < blocks.index("Operational metrics")
    # 32 sessions held: 12 weeks × 3 pairs, 4 skipped; of 3 pairs; cancellations by 2 seniors and 1 junior
    assert "sessions held: *32*" in blocks
    assert f"sessions cancelled or skipped by seniors: *{WITHHELD}*" in blocks
    assert f"sessions cancelled or skipped by juniors: *{WITHHELD}*" in blocks
    assert "goals achieved: *3*" in blocks

    files = emulator.uploaded_files()
    assert sorted(f["name"] for f in files) == [
        "completion.png",
        "sessions_per_week.png",
        "survey_learning.png",
        "survey_operational.png",
    ]
    for file in files:
        assert file["channels"] == [ADMIN_CHANNEL]
        assert file["thread_ts"] == post.response["ts"]
        assert file["title"]
        assert file["mimetype"] == "image/png"
        width, height = decoded_png(file["content"])
        assert width >= 800
        assert height >= 450

    (audited,) = audit_rows(app_server, "admin.report")
    assert (audited.actor_user_id, audited.outcome) == (COORDINATOR, AuditOutcome.OK)
    assert audited.target_id == str(seeded.program_id)

    # the export: a zip of CSVs in the admin channel, survey aggregates withheld by role
    slack.command(f"admin export {PROGRAM}", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    wait_until(lambda: any(f["name"].endswith(".zip") for f in emulator.uploaded_files()))
    (archive,) = [f for f in emulator.uploaded_files() if f["name"].endswith(".zip")]
    assert archive["channels"] == [ADMIN_CHANNEL]
    with zipfile.ZipFile(io.BytesIO(archive["content"])) as opened:
        members = {name: opened.read(name).decode() for name in opened.namelist()}
    assert sorted(members) == [
        "pair_progress.csv",
        "pairs.csv",
        "participants.csv",
        "sessions.csv",
        "survey_aggregates.csv",
    ]
    assert len(rows_of(members["participants.csv"])) == 6
    sessions = rows_of(members["sessions.csv"])
    assert sum(r["status"] == "held" for r in sessions) == 32
    assert sorted(r["cancelled_by_side"] for r in sessions if r["status"] == "skipped") == [
        "junior",
        "senior",
        "senior",
        "senior",
    ]
    survey = rows_of(members["survey_aggregates.csv"])
    q1 = {(r["question"], r["group"]): r for r in survey if r["quarter"] == "Q1"}
    assert q1[("Dialogue quality", "all")]["mean_score"] == "3.20"
    assert q1[("Dialogue quality", "senior")]["mean_score"] == WITHHELD
    assert (
        q1[("Dialogue quality", "junior")]["mean_score"] == WITHHELD
    )  # it would give seniors away
    assert len(audit_rows(app_server, "admin.export")) == 1


def test_report_and_export_are_refused_to_non_coordinators_and_outside_the_admin_channel(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    seed_program(app_server.runtime, emulator)
    attempts = [
        ("admin report", "U0JIMP0000", ADMIN_CHANNEL),
        ("admin export", "U0JIMP0000", ADMIN_CHANNEL),
        ("admin report", COORDINATOR, "C0GENERAL1"),
        ("admin export", COORDINATOR, "C0GENERAL1"),
    ]
    for text, user, channel in attempts:
        assert slack.command(f"{text} {PROGRAM}", user=user, channel=channel).status_code == 200
    # the answers go out from listener threads in any order: let these four land first
    app_server.wait_idle()
    wait_until(lambda: len(emulator.responses()) >= 4)
    # a word that is not a quarter: still refused first (and audited), not corrected
    slack.command("admin report q0", user="U0JIMP0000", channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    wait_until(lambda: len(emulator.responses()) >= 5)
    assert "for program coordinators" in emulator.responses()[-1]["text"]
    assert not emulator.uploaded_files()
    assert not [c for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]
    assert not any("Building" in r.get("text", "") for r in emulator.responses())
    denied = audit_rows(app_server, "admin.report") + audit_rows(app_server, "admin.export")
    assert sorted((r.actor_user_id, r.outcome) for r in denied) == sorted(
        [("U0JIMP0000", AuditOutcome.DENIED)] * 3 + [(COORDINATOR, AuditOutcome.DENIED)] * 2
    )
    # a quarter the program does not have is a clear answer, not a report
    slack.command(f"admin report {PROGRAM} q9", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    wait_until(lambda: "has 4 quarters" in emulator.responses()[-1].get("text", ""))
    slack.command("admin report q0", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    wait_until(lambda: "is not a quarter" in emulator.responses()[-1].get("text", ""))
    assert not emulator.uploaded_files()


def test_cli_report_and_export_write_html_markdown_pngs_and_csvs(
    emulator: SlackEmulator, app_server: AppServer, database_url: str, tmp_path: Path
) -> None:
    seed_program(app_server.runtime, emulator)
    out = tmp_path / "report"
    done = run_cli(
        [*TWOWAY, "report", "--program", PROGRAM, "--quarter", "q1", "--out", str(out)],
        tmp_path,
        timeout=240,
        DATABASE_URL=database_url,
    )
    assert done.returncode == 0, done.stderr
    assert "report written to" in done.stdout
    written = sorted(p.name for p in out.iterdir())
    assert {"report.html", "report.md", "summary.csv", "survey_scores.csv"} <= set(written)
    assert {"sessions_per_week.png", "survey_learning.png", "completion.png"} <= set(written)
    for png in out.glob("*.png"):
        decoded_png(png.read_bytes())
    html = (out / "report.html").read_text()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 4
    for data in images:
        decoded_png(base64.b64decode(data))
    assert WITHHELD in html
    assert "Learning outcomes" in html
    assert "Operational metrics" in html
    markdown = (out / "report.md").read_text()
    assert "![Sessions per week: held vs expected](sessions_per_week.png)" in markdown
    survey = rows_of((out / "survey_scores.csv").read_text())
    seniors = [r for r in survey if r["group"] == "senior"]
    assert seniors
    assert all(r["mean_score"] == WITHHELD for r in seniors)
    weeks = rows_of((out / "sessions_per_week.csv").read_text())
    assert len(weeks) == 13
    assert sum(int(r["sessions_held"]) for r in weeks) == 32

    export_dir = tmp_path / "export"
    done = run_cli(
        [*TWOWAY, "export", "--program", PROGRAM, "--out", str(export_dir)],
        tmp_path,
        timeout=240,
        DATABASE_URL=database_url,
    )
    assert done.returncode == 0, done.stderr
    assert len(rows_of((export_dir / "pairs.csv").read_text())) == 3
    assert (
        len(audit_rows(app_server, "cli.report")) == len(audit_rows(app_server, "cli.export")) == 1
    )

    missing = run_cli(
        [*TWOWAY, "report", "--program", "Nope", "--out", str(out)],
        tmp_path,
        timeout=240,
        DATABASE_URL=database_url,
    )
    assert missing.returncode == 2
    assert "There is no program called “Nope”." in missing.stderr
