"""Enrolment end to end: signed requests in, Slack calls and database rows out."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from datetime import time as clock

import structlog
from slack_sdk.models.views import View

from bot.slack_emulator import SlackEmulator
from bot.views.enrolment import JoinIds, LeaveIds
from models import Program
from models.enums import PairStatus, ParticipantStatus, ProgramStatus, Role
from tests.support.app_server import AppServer
from tests.support.enrolment_flows import (
    add_pair,
    button_click,
    create_program,
    dms_to,
    enrol,
    join_values,
    member,
    open_join_modal,
    pair,
    participants,
    user_change_event,
    view_submission,
    wait_responses,
)
from tests.support.slack_requests import SlackRequests

JUNIOR, SENIOR = "U0JUNIOR01", "U0SENIOR01"


def _block_ids(view: dict) -> list[str]:
    return [b.get("block_id", "") for b in view["blocks"] if b["type"] == "input"]


# -- opening the modal ----------------------------------------------------------------------


def test_join_opens_a_valid_modal_for_the_only_open_program(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = create_program(runtime, "Spring cohort")
    create_program(runtime, "Old cohort", status=ProgramStatus.CLOSED)
    create_program(runtime, "Late cohort", deadline=date.today() - timedelta(days=2))

    view = open_join_modal(slack, emulator, user=JUNIOR)

    View(**view).validate_json()
    assert view["callback_id"] == JoinIds.CALLBACK
    assert json.loads(view["private_metadata"]) == {"mode": "join", "program_id": program_id}
    assert JoinIds.PROGRAM not in _block_ids(view)  # one program open: no select
    assert "Spring cohort" in str(view["blocks"][0])
    assert emulator.calls("users.info") == []  # nothing slow before views.open


def test_join_with_several_open_programs_asks_which_one_first(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    first = create_program(app_server.runtime, "Alpha")
    second = create_program(app_server.runtime, "Beta", status=ProgramStatus.ACTIVE)

    view = open_join_modal(slack, emulator, user=JUNIOR)
    assert _block_ids(view)[0] == JoinIds.PROGRAM
    select = next(b for b in view["blocks"] if b.get("block_id") == JoinIds.PROGRAM)
    assert [o["value"] for o in select["element"]["options"]] == [str(first), str(second)]
    assert json.loads(view["private_metadata"])["program_id"] is None

    named = open_join_modal(slack, emulator, "join   BETA", user=JUNIOR)  # case-insensitive
    assert JoinIds.PROGRAM not in _block_ids(named)
    assert json.loads(named["private_metadata"])["program_id"] == second

    # Choosing in the select enrols in the chosen program.
    values = join_values(program_id=second)
    slack.interaction(view_submission(view, user=JUNIOR, values=values))
    app_server.wait_idle()
    assert len(dms_to(emulator, JUNIOR)) == 1
    (row,) = participants(app_server.runtime, JUNIOR)
    assert row.program_id == second


def test_join_without_an_open_program_or_with_an_unknown_name_answers_ephemerally(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    response = slack.command("join", user=JUNIOR)
    assert (response.status_code, response.text) == (200, "")  # acked at once, answer follows
    (nothing_open,) = wait_responses(emulator, 1)
    assert "No program is open" in nothing_open["text"]
    assert nothing_open["response_type"] == "ephemeral"

    create_program(app_server.runtime, "Spring cohort")
    slack.command("join Autumn", user=JUNIOR)
    unknown = wait_responses(emulator, 2)[1]
    assert "couldn't find a program called “Autumn”" in unknown["text"]
    assert "*Spring cohort*" in unknown["text"]
    app_server.wait_idle()
    assert len(emulator.responses("slash")) == 2
    assert emulator.calls("views.open") == []


# -- submitting -----------------------------------------------------------------------------


def test_valid_submission_creates_one_participant_with_the_slack_timezone(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = create_program(runtime)
    view = open_join_modal(slack, emulator, user=JUNIOR)
    values = join_values(
        role="junior",
        department="  Digital   workplace ",
        can_share=("AI tools", "Automation"),
        can_share_notes="Prompting tricks",
        wants_to_learn=("Strategy", "Leadership"),
        start="08:30",
        end="16:00",
        languages=("en", "de"),
        avoid=(SENIOR,),
    )

    with structlog.testing.capture_logs() as logs:
        response = slack.interaction(view_submission(view, user=JUNIOR, values=values))
        assert (response.status_code, response.text) == (200, "")  # the modal closes
        app_server.wait_idle()
        (dm,) = emulator.calls("chat.postMessage")

    assert any(entry["event"] == "enrolment.saved" for entry in logs)
    assert "Prompting tricks" not in repr(logs)  # nothing a person wrote reaches the log
    assert "Digital" not in repr(logs)
    assert dm.args["channel"] == JUNIOR
    assert "Spring cohort" in dm.args["text"]
    assert "Europe/Berlin" in dm.args["text"]
    (row,) = participants(runtime)
    assert (row.program_id, row.role, row.status) == (program_id, Role.JUNIOR, "active")
    assert row.department == "Digital workplace"
    assert row.can_share == ["AI tools", "Automation"]
    assert row.can_share_notes == "Prompting tricks"
    assert row.wants_to_learn == ["Strategy", "Leadership"]
    assert (row.work_start, row.work_end) == (clock(8, 30), clock(16, 0))
    assert row.languages == ["en", "de"]
    assert row.avoid_user_ids == [SENIOR]
    found = member(runtime, JUNIOR)
    assert found is not None
    assert (found.timezone, found.display_name) == ("Europe/Berlin", "Jo Junior")
    assert [c.args["user"] for c in emulator.calls("users.info")] == [JUNIOR]


def test_invalid_submission_gets_field_errors_and_saves_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    create_program(app_server.runtime)
    view = open_join_modal(slack, emulator, user=SENIOR)
    values = join_values(
        role="senior",
        department="   ",
        can_share=(),
        wants_to_learn_notes="x" * 301,
        start="17:00",
        end="09:00",
        avoid=(SENIOR,),
    )

    response = slack.interaction(view_submission(view, user=SENIOR, values=values))

    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        JoinIds.DEPARTMENT,
        JoinIds.CAN_SHARE,
        JoinIds.WANTS_TO_LEARN_NOTES,
        JoinIds.WORK_END,
        JoinIds.AVOID,
    }
    assert body["errors"][JoinIds.AVOID] == "You can't exclude yourself."

    short = join_values(start="09:00", end="09:30", department="d" * 81)
    errors = slack.interaction(view_submission(view, user=SENIOR, values=short)).json()["errors"]
    assert set(errors) == {JoinIds.WORK_END, JoinIds.DEPARTMENT}
    assert "one hour" in errors[JoinIds.WORK_END]
    app_server.wait_idle()
    assert participants(app_server.runtime) == []
    assert emulator.calls("chat.postMessage") == []


def test_the_same_modal_submitted_twice_creates_one_participant(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    create_program(app_server.runtime)
    view = open_join_modal(slack, emulator, user=JUNIOR)
    payload = view_submission(view, user=JUNIOR, values=join_values())

    assert slack.interaction(payload).status_code == 200
    assert slack.interaction(payload).status_code == 200  # a double click
    app_server.wait_idle()

    assert len(participants(app_server.runtime)) == 1
    assert len(dms_to(emulator, JUNIOR)) == 1


def test_concurrent_double_submission_creates_one_participant(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    create_program(app_server.runtime)
    view = open_join_modal(slack, emulator, user=JUNIOR)
    payload = view_submission(view, user=JUNIOR, values=join_values())

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda _: slack.interaction(payload).status_code, range(2)))

    assert statuses == [200, 200]
    app_server.wait_idle()
    assert len(participants(app_server.runtime)) == 1
    assert len(dms_to(emulator, JUNIOR)) == 1


def test_a_program_that_closed_meanwhile_is_refused_clearly(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = create_program(runtime, "Spring cohort")
    view = open_join_modal(slack, emulator, user=JUNIOR)
    with runtime.unit_of_work() as session:
        program = session.get(Program, program_id)
        assert program is not None
        program.status = ProgramStatus.CLOSED

    body = slack.interaction(view_submission(view, user=JUNIOR, values=join_values())).json()

    assert body["response_action"] == "update"
    View(**body["view"]).validate_json()
    assert "Enrolment for *Spring cohort* has closed" in str(body["view"]["blocks"])
    forged = {**view, "private_metadata": json.dumps({"mode": "join", "program_id": 999})}
    body = slack.interaction(view_submission(forged, user=JUNIOR, values=join_values())).json()
    assert "no longer exists" in str(body["view"]["blocks"])
    app_server.wait_idle()
    assert participants(runtime) == []
    assert emulator.calls("chat.postMessage") == []


# -- editing --------------------------------------------------------------------------------


def test_join_when_enrolled_opens_the_prefilled_profile_which_updates(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    create_program(runtime, "Spring cohort")
    enrol(slack, emulator, user=SENIOR, role="senior", department="Finance", avoid=(JUNIOR,))

    view = open_join_modal(slack, emulator, user=SENIOR)

    View(**view).validate_json()
    assert view["title"]["text"] == "Your profile"
    assert "already in *Spring cohort*" in str(view["blocks"][0])
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[JoinIds.DEPARTMENT]["element"]["initial_value"] == "Finance"
    assert blocks[JoinIds.ROLE]["element"]["initial_option"]["value"] == "senior"
    assert blocks[JoinIds.AVOID]["element"]["initial_users"] == [JUNIOR]
    assert json.loads(view["private_metadata"])["mode"] == "edit"

    values = join_values(role="senior", department="Treasury", start="10:00", end="18:00")
    slack.interaction(view_submission(view, user=SENIOR, values=values))
    app_server.wait_idle()

    assert len(dms_to(emulator, SENIOR)) == 2
    (row,) = participants(runtime)
    assert (row.department, row.work_start, row.avoid_user_ids) == ("Treasury", clock(10), [])
    assert "updated" in dms_to(emulator, SENIOR)[-1]


def test_profile_command_edits_or_explains(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    slack.command("profile", user=JUNIOR)
    assert "not in a program yet" in wait_responses(emulator, 1)[0]["text"]

    create_program(app_server.runtime, "Spring cohort")
    enrol(slack, emulator, user=JUNIOR, department="Design")
    view = open_join_modal(slack, emulator, "profile", user=JUNIOR)
    assert json.loads(view["private_metadata"])["mode"] == "edit"

    slack.interaction(view_submission(view, user=JUNIOR, values=join_values(department="UX")))
    app_server.wait_idle()
    assert len(dms_to(emulator, JUNIOR)) == 2
    assert participants(app_server.runtime)[0].department == "UX"


# -- pause and resume -----------------------------------------------------------------------


def test_pause_and_resume_are_idempotent_and_refuse_bad_dates(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    create_program(runtime, "Spring cohort")
    enrol(slack, emulator, user=JUNIOR)
    until = (date.today() + timedelta(days=30)).isoformat()

    answers = []
    for n, text in enumerate(
        [
            f"pause until {until}",
            f"pause until {until}",
            "pause until next-week",
            "pause until 2020-01-01",
            "resume",
            "resume",
        ],
        start=1,
    ):
        response = slack.command(text, user=JUNIOR)
        assert (response.status_code, response.text) == (200, "")
        answers.append(wait_responses(emulator, n)[-1]["text"])
        if n == 1:
            (row,) = participants(runtime)
            assert (row.status, row.paused_until.isoformat()) == ("paused", until)

    assert until in answers[0]
    assert "*Spring cohort*" in answers[0]
    assert "Nothing changed" in answers[1]
    assert "YYYY-MM-DD" in answers[2]
    assert "/mentor pause until" in answers[2]
    assert "YYYY-MM-DD" in answers[3]
    assert "Welcome back" in answers[4]
    assert "nothing changed" in answers[5]
    (row,) = participants(runtime)
    assert (row.status, row.paused_until) == (ParticipantStatus.ACTIVE, None)


# -- leaving --------------------------------------------------------------------------------


def _paired(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer) -> int:
    program_id = create_program(app_server.runtime, "Spring cohort")
    enrol(slack, emulator, user=JUNIOR, role="junior")
    enrol(slack, emulator, user=SENIOR, role="senior")
    junior, senior = (
        participants(app_server.runtime, JUNIOR)[0],
        participants(app_server.runtime, SENIOR)[0],
    )
    return add_pair(
        app_server.runtime, program_id=program_id, senior_id=senior.id, junior_id=junior.id
    )


def _leave_prompt(slack: SlackRequests, emulator: SlackEmulator, user: str) -> dict:
    slack.command("leave", user=user)
    prompt = wait_responses(emulator, 1)[-1]
    assert prompt["response_type"] == "ephemeral"
    return prompt


def test_leave_with_confirm_ends_the_pair_and_tells_the_partner_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    pair_id = _paired(slack, emulator, app_server)
    dms_before = len(dms_to(emulator, SENIOR))

    prompt = _leave_prompt(slack, emulator, JUNIOR)
    actions = next(b for b in prompt["blocks"] if b["type"] == "actions")
    confirm, cancel = actions["elements"]
    assert (confirm["action_id"], confirm["style"]) == (LeaveIds.CONFIRM, "danger")
    assert "confirm" in confirm
    assert cancel["action_id"] == LeaveIds.CANCEL
    (mine,) = participants(runtime, JUNIOR)
    assert confirm["value"] == str(mine.id)

    url = emulator.response_url("leave")
    click = button_click(
        user=JUNIOR, action_id=LeaveIds.CONFIRM, value=confirm["value"], response_url=url
    )
    assert slack.interaction(click).status_code == 200
    done = wait_responses(emulator, 1, label="leave")[0]
    assert "You've left *Spring cohort*" in done["text"]
    assert done["replace_original"] is True

    (left,) = participants(runtime, JUNIOR)
    assert left.status == ParticipantStatus.LEFT
    assert left.left_at is not None
    ended = pair(runtime, pair_id)
    assert (ended.status, ended.status_reason) == (PairStatus.ENDED, "participant left")
    assert ended.ended_at is not None
    notes = dms_to(emulator, SENIOR)[dms_before:]
    assert len(notes) == 1
    assert "stepped back" in notes[0]
    assert "new partner at the next round" in notes[0]
    assert "participant left" not in notes[0]
    assert JUNIOR not in notes[0]
    assert participants(runtime, SENIOR)[0].status == ParticipantStatus.ACTIVE

    assert slack.interaction(click).status_code == 200  # pressed twice
    app_server.wait_idle()
    (_, again) = emulator.responses("leave")
    assert "already left" in again["text"]
    assert len(dms_to(emulator, SENIOR)) == dms_before + 1


def test_leave_confirm_pressed_by_someone_else_changes_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    pair_id = _paired(slack, emulator, app_server)
    prompt = _leave_prompt(slack, emulator, JUNIOR)
    value = prompt["blocks"][1]["elements"][0]["value"]
    dms_before = len(emulator.calls("chat.postMessage"))

    url = emulator.response_url("other")
    slack.interaction(
        button_click(user=SENIOR, action_id=LeaveIds.CONFIRM, value=value, response_url=url)
    )

    app_server.wait_idle()
    (answer,) = emulator.responses("other")
    assert "belong to someone else" in answer["text"]
    assert answer["response_type"] == "ephemeral"
    assert participants(runtime, JUNIOR)[0].status == ParticipantStatus.ACTIVE
    assert pair(runtime, pair_id).status == PairStatus.ACTIVE
    assert len(emulator.calls("chat.postMessage")) == dms_before


def test_leave_cancel_keeps_everything(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    create_program(app_server.runtime)
    enrol(slack, emulator, user=JUNIOR)
    prompt = _leave_prompt(slack, emulator, JUNIOR)
    value = prompt["blocks"][1]["elements"][1]["value"]
    url = emulator.response_url("cancel")
    slack.interaction(
        button_click(user=JUNIOR, action_id=LeaveIds.CANCEL, value=value, response_url=url)
    )
    assert "staying" in wait_responses(emulator, 1, label="cancel")[0]["text"]
    assert participants(app_server.runtime)[0].status == ParticipantStatus.ACTIVE


# -- user_change ----------------------------------------------------------------------------


def test_user_change_refreshes_a_known_member_only(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    create_program(runtime)
    enrol(slack, emulator, user=JUNIOR)
    emulator.add_user("U0STRANGER", name="kim", tz="Asia/Tokyo")
    calls_before = len(emulator.calls())

    event = user_change_event(emulator, JUNIOR, tz="Asia/Kolkata", real_name="Jo J.")
    assert slack.event(event).status_code == 200
    assert slack.event(user_change_event(emulator, "U0STRANGER", tz="UTC")).status_code == 200

    app_server.wait_idle()
    found = member(runtime, JUNIOR)
    assert found is not None
    assert (found.timezone, found.display_name) == ("Asia/Kolkata", "Jo J.")
    assert member(runtime, "U0STRANGER") is None
    assert len(emulator.calls()) == calls_before  # no users.info: the event carries the user
