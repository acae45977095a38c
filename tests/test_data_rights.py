"""`/mentor mydata` and `/mentor forget`, end to end through the Slack emulator.

The forget test scans every text column of every table (read from the SQLAlchemy
metadata, so a table added later is scanned too) for the person's marker and Slack id.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.slack_emulator import SlackEmulator
from bot.views.data_rights import DataRightsIds
from models import AuditLog, Member, Participant
from tests.support.app_server import AppServer
from tests.support.checkin_flows import dm_of
from tests.support.data_rights_seed import (
    JO,
    JO_MARK,
    SAM,
    SAM_MARK,
    TO_JO_MARK,
    aggregates,
    holding,
    seed,
)
from tests.support.enrolment_flows import create_program, dms_to, enrol, wait_responses
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests


def _shared_into(upload: dict[str, object]) -> str:
    return json.dumps({k: upload.get(k) for k in ("channels", "ims", "groups", "shares")})


def _files_in(emulator: SlackEmulator, channel: str) -> dict[str, str]:
    """Uploaded files shared into `channel`, by name, with their downloaded content."""
    found = {}
    for upload in emulator.uploaded_files():
        if channel in _shared_into(upload):
            content = upload["content"]
            found[upload["name"]] = content.decode() if isinstance(content, bytes) else content
    return found


def test_mydata_sends_the_person_their_own_data_and_nobody_elses_texts(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    seed(app_server.runtime, emulator)
    response = slack.command("mydata", user=JO)
    assert response.status_code == 200
    assert "on its way" in response.json()["text"]
    app_server.wait_idle()

    files = _files_in(emulator, dm_of(emulator, JO))
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["json", "md"]
    (as_json,) = [c for n, c in files.items() if n.endswith(".json")]
    (as_markdown,) = [c for n, c in files.items() if n.endswith(".md")]
    data = json.loads(as_json)
    assert data["slack_user_id"] == JO
    (program,) = data["programs"]
    assert program["program"] == "Autumn cohort"
    assert {g["text"] for g in program["goals"]} == {f"Present to the board {JO_MARK}"}
    assert len(program["learnings"]) == 2
    assert program["feedback"]["received"][0]["text"] == f"Great questions {TO_JO_MARK}"
    assert program["feedback"]["received"][0]["from"] == SAM
    assert program["feedback"]["given"][0]["text"] == f"Very patient {JO_MARK}"
    assert program["survey_answers"][0]["reflections"] == {"best": f"Reflection {JO_MARK}"}
    (pair,) = program["pairs"]
    assert pair["partners"] == [SAM]
    assert [s["status"] for s in pair["sessions"]].count("held") == 2
    for content in (as_json, as_markdown):
        assert JO_MARK in content
        assert TO_JO_MARK in content
        assert SAM_MARK not in content  # the partner's own texts never travel
    assert "Sick child at home" in as_markdown
    assert "Feedback you received" in as_markdown
    # nobody else got a file, and Sam's own export holds none of Jo's private texts
    assert all(dm_of(emulator, JO) in _shared_into(u) for u in emulator.uploaded_files())
    slack.command("mydata", user=SAM)
    app_server.wait_idle()
    sams = "".join(_files_in(emulator, dm_of(emulator, SAM)).values())
    assert SAM_MARK in sams
    assert f"Pivot tables save hours {JO_MARK}" not in sams
    assert f"Reflection {JO_MARK}" not in sams


def test_forget_erases_every_text_tells_the_partner_keeps_numbers_and_allows_a_new_join(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    seeded = seed(runtime, emulator)
    before = aggregates(runtime, seeded)
    assert holding(runtime, JO_MARK)
    assert holding(runtime, JO)

    prompt = slack.command("forget", user=JO).json()
    assert "cannot be undone" in prompt["text"]
    words = json.dumps(prompt["blocks"])
    for kind in ("feedback", "learnings", "reflections", "goals", "profile"):
        assert kind in words
    assert holding(runtime, JO_MARK)  # asking changes nothing
    click(slack, user=JO, action_id=DataRightsIds.FORGET_CONFIRM, value="forget", channel="D0X")
    app_server.wait_idle()
    (answer,) = wait_responses(emulator, 1)
    assert "forgotten" in answer["text"]
    assert answer["replace_original"] is True

    assert holding(runtime, JO_MARK, TO_JO_MARK, JO) == []  # every column of every table
    assert holding(runtime, SAM_MARK)  # the partner's own words stay theirs
    assert aggregates(runtime, seeded) == before
    (told,) = dms_to(emulator, SAM)
    assert "stepped back" in told
    assert JO not in told
    assert "Autumn cohort" in told
    with runtime.unit_of_work() as session:
        audit = session.scalars(
            select(AuditLog).where(AuditLog.action == "participant.data_erased")
        ).all()
        assert [(a.actor_user_id, a.target_id, a.detail) for a in audit] == [
            (None, None, {"requested_by": "self"})
        ]
        assert session.scalar(select(Member).where(Member.slack_user_id == JO)) is None

    # a second forget finds nothing; a new join starts from nothing
    click(slack, user=JO, action_id=DataRightsIds.FORGET_CONFIRM, value="forget", channel="D0X")
    app_server.wait_idle()
    assert "nothing stored" in wait_responses(emulator, 2)[1]["text"]
    program_id = create_program(runtime, "Winter cohort")
    enrol(slack, emulator, user=JO, text="join Winter cohort")
    with runtime.unit_of_work() as session:
        rows = session.execute(
            select(Participant.program_id, Participant.department)
            .join(Member, Member.id == Participant.member_id)
            .where(Member.slack_user_id == JO)
        ).all()
    assert [program for program, _ in rows] == [program_id]
    assert JO_MARK not in json.dumps([tuple(r) for r in rows])
