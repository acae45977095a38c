"""The enrolment modal, its parser and messages, tested directly (pure functions)."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.errors import InvalidInput
from bot.services.enrolment import EnrolmentTarget, Mode, ProfileAnswers, ProgramRef
from bot.slack.gateway import slack_user_of
from bot.slack_emulator.validation import view_errors
from bot.topics import TOPICS
from bot.views.enrolment import (
    JoinForm,
    JoinIds,
    LeaveIds,
    ModalMeta,
    build_join_modal,
    build_notice_modal,
    parse_join_submission,
    parse_metadata,
)
from bot.views.enrolment_messages import (
    build_leave_prompt,
    enrolled_text,
    parse_participant_ids,
    parse_pause_until,
    partner_notice_text,
)
from models.enums import Role
from tests.support.enrolment_flows import join_values

ME = "U0ME000001"
ANSWERS = ProfileAnswers(
    role=Role.SENIOR,
    department="Finance",
    can_share=("Strategy", "Company history"),
    can_share_notes="Budget cycles",
    wants_to_learn=("AI tools",),
    wants_to_learn_notes=None,
    work_start=time(8, 0),
    work_end=time(15, 30),
    languages=("en", "fr"),
    avoid_user_ids=("U0BOSS0001",),
)


def _valid(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    assert view_errors(view, allowed_types=("modal",)) == []  # Slack's limits too


def _blocks(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if "block_id" in b}


def _state_from_initials(view: dict[str, Any]) -> dict[str, Any]:
    """What Slack would submit if the person changed nothing in the modal."""
    values: dict[str, Any] = {}
    for block_id, block in _blocks(view).items():
        element = block["element"]
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            state["value"] = element.get("initial_value")
        elif kind in ("radio_buttons", "static_select"):
            state["selected_option"] = element.get("initial_option")
        elif kind == "multi_static_select":
            state["selected_options"] = element.get("initial_options", [])
        elif kind == "timepicker":
            state["selected_time"] = element.get("initial_time")
        elif kind == "multi_users_select":
            state["selected_users"] = element.get("initial_users", [])
        values[block_id] = {element["action_id"]: state}
    return values


def test_join_modal_for_one_program_is_valid_with_defaults() -> None:
    view = build_join_modal(EnrolmentTarget(Mode.JOIN, (ProgramRef(7, "Spring cohort"),)))
    _valid(view)
    blocks = _blocks(view)
    assert JoinIds.PROGRAM not in blocks
    assert next(iter(blocks)) == JoinIds.ROLE
    assert blocks[JoinIds.WORK_START]["element"]["initial_time"] == "09:00"
    assert blocks[JoinIds.WORK_END]["element"]["initial_time"] == "17:00"
    assert [o["value"] for o in blocks[JoinIds.LANGUAGES]["element"]["initial_options"]] == ["en"]
    assert blocks[JoinIds.AVOID]["optional"] is True
    assert blocks[JoinIds.AVOID]["element"]["type"] == "multi_users_select"
    roles = blocks[JoinIds.ROLE]["element"]["options"]
    assert [o["value"] for o in roles] == ["senior", "junior"]
    assert "digital fluency" in roles[1]["description"]["text"]
    assert json.loads(view["private_metadata"]) == {"mode": "join", "program_id": 7}
    for block_id, block in blocks.items():
        assert block["element"]["action_id"] == block_id  # one constant for both


def test_join_modal_with_several_programs_starts_with_a_select() -> None:
    programs = tuple(ProgramRef(i, f"Cohort {i}") for i in range(1, 131))
    view = build_join_modal(EnrolmentTarget(Mode.JOIN, programs, ANSWERS))
    _valid(view)
    first = next(b for b in view["blocks"] if b["type"] == "input")
    assert first["block_id"] == JoinIds.PROGRAM
    assert first["element"]["type"] == "static_select"
    assert len(first["element"]["options"]) == 100  # Slack's limit
    assert parse_metadata(view["private_metadata"]) == ModalMeta(Mode.JOIN, None)


def test_profile_modal_is_prefilled_and_submits_back_the_same_answers() -> None:
    target = EnrolmentTarget(
        Mode.EDIT, (ProgramRef(3, "Spring"),), ANSWERS, others=(ProgramRef(4, "Autumn"),)
    )
    view = build_join_modal(target)
    _valid(view)
    assert view["title"]["text"] == "Your profile"
    assert "*Autumn*" in json.dumps(view["blocks"][0])
    form = parse_join_submission(_state_from_initials(view), user_id=ME)
    assert form == JoinForm(None, ANSWERS)


def test_topics_no_longer_offered_are_dropped_from_the_prefill() -> None:
    answers = ProfileAnswers(**{**ANSWERS.__dict__, "can_share": ("Fax machines", "Strategy")})
    view = build_join_modal(EnrolmentTarget(Mode.EDIT, (ProgramRef(1, "P"),), answers))
    _valid(view)
    initial = _blocks(view)[JoinIds.CAN_SHARE]["element"]["initial_options"]
    assert [o["value"] for o in initial] == ["Strategy"]


def test_a_valid_submission_parses_to_typed_answers() -> None:
    values = join_values(
        role="junior",
        department="  Digital   workplace ",
        can_share=("AI tools", "AI tools", "Automation"),
        can_share_notes="  ",
        wants_to_learn=("Strategy",),
        wants_to_learn_notes="How budgets work",
        start="09:30",
        end="10:30",
        languages=("de",),
        avoid=("U0BOSS0001", "U0BOSS0001"),
        program_id=12,
    )
    form = parse_join_submission(values, user_id=ME)
    assert isinstance(form, JoinForm)
    assert form.program_id == 12
    assert form.answers == ProfileAnswers(
        role=Role.JUNIOR,
        department="Digital workplace",
        can_share=("AI tools", "Automation"),
        can_share_notes=None,
        wants_to_learn=("Strategy",),
        wants_to_learn_notes="How budgets work",
        work_start=time(9, 30),
        work_end=time(10, 30),
        languages=("de",),
        avoid_user_ids=("U0BOSS0001",),
    )


@pytest.mark.parametrize(
    ("changes", "block_id", "words"),
    [
        ({"role": "guru"}, JoinIds.ROLE, "senior or junior"),
        ({"department": ""}, JoinIds.DEPARTMENT, "department"),
        ({"department": "x" * 81}, JoinIds.DEPARTMENT, "80 characters"),
        ({"can_share": ()}, JoinIds.CAN_SHARE, "at least one"),
        ({"can_share": ("Underwater basket weaving",)}, JoinIds.CAN_SHARE, "from the list"),
        ({"wants_to_learn": ()}, JoinIds.WANTS_TO_LEARN, "at least one"),
        ({"can_share_notes": "n" * 301}, JoinIds.CAN_SHARE_NOTES, "300 characters"),
        ({"wants_to_learn_notes": "n" * 301}, JoinIds.WANTS_TO_LEARN_NOTES, "300"),
        ({"start": "17:00", "end": "17:00"}, JoinIds.WORK_END, "later than the start"),
        ({"start": "18:00", "end": "09:00"}, JoinIds.WORK_END, "later than the start"),
        ({"start": "09:00", "end": "09:59"}, JoinIds.WORK_END, "one hour"),
        ({"start": None}, JoinIds.WORK_START, "start"),
        ({"end": None}, JoinIds.WORK_END, "end"),
        ({"languages": ()}, JoinIds.LANGUAGES, "at least one language"),
        ({"avoid": ("U0BOSS0001", ME)}, JoinIds.AVOID, "can't exclude yourself"),
        ({"avoid": (ME,)}, JoinIds.AVOID, "can't exclude yourself"),
    ],
)
def test_each_invalid_field_gets_an_error_on_its_own_block(
    changes: dict[str, Any], block_id: JoinIds, words: str
) -> None:
    errors = parse_join_submission(join_values(**changes), user_id=ME)
    assert isinstance(errors, dict)
    assert list(errors) == [block_id]
    assert words in errors[block_id]


def test_unknown_language_codes_and_program_values_are_refused() -> None:
    values = join_values()
    values[JoinIds.LANGUAGES][JoinIds.LANGUAGES]["selected_options"] = [
        {"text": {"type": "plain_text", "text": "Klingon"}, "value": "tlh"}
    ]
    values[JoinIds.PROGRAM] = {JoinIds.PROGRAM: {"type": "static_select", "selected_option": None}}
    errors = parse_join_submission(values, user_id=ME)
    assert set(errors) == {JoinIds.LANGUAGES, JoinIds.PROGRAM}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw",
    [None, "", "not json", "[]", '{"mode": "delete"}', '{"mode": "join", "program_id": "7"}'],
)
def test_metadata_that_is_not_ours_is_rejected(raw: str | None) -> None:
    assert parse_metadata(raw) is None


def test_leave_prompt_has_a_danger_confirm_and_a_cancel() -> None:
    message = build_leave_prompt([ProgramRef(1, "Spring", 11), ProgramRef(2, "Autumn", 12)])
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    assert message["response_type"] == "ephemeral"
    assert "*Spring*, *Autumn*" in message["text"]
    confirm, cancel = message["blocks"][-1]["elements"]
    assert message["blocks"][-1]["block_id"] == LeaveIds.ACTIONS
    assert (confirm["action_id"], confirm["style"], confirm["value"]) == (
        LeaveIds.CONFIRM,
        "danger",
        "11,12",
    )
    assert confirm["confirm"]["style"] == "danger"
    assert cancel["action_id"] == LeaveIds.CANCEL
    assert parse_participant_ids(confirm["value"]) == [11, 12]


@pytest.mark.parametrize("value", [None, "", "11,x", "1;2", "-1"])
def test_button_values_that_are_not_ids_give_nothing(value: str | None) -> None:
    assert parse_participant_ids(value) == []


def test_messages_are_kind_and_carry_no_details() -> None:
    note = partner_notice_text(("Spring",))
    assert "stepped back" in note
    assert "new partner at the next round" in note
    assert "left" not in note
    assert "reason" not in note
    joined = enrolled_text(
        program=ProgramRef(1, "Spring"), joined=True, answers=ANSWERS, timezone="Asia/Tokyo"
    )
    assert "08:00–15:30" in joined
    assert "Asia/Tokyo" in joined
    assert "Budget cycles" not in joined  # nothing the person wrote is echoed back
    _valid(build_notice_modal("Enrolment for *Spring* has closed."))


def test_pause_arguments() -> None:
    today = date(2030, 1, 10)
    assert parse_pause_until([], today=today) is None
    assert parse_pause_until(["until", "2030-02-01"], today=today) == date(2030, 2, 1)
    assert parse_pause_until(["2030-02-01"], today=today) == date(2030, 2, 1)
    for bad in (["until"], ["next", "week"], ["until", "2030-02-30"], ["until", "20300201"]):
        with pytest.raises(InvalidInput, match="YYYY-MM-DD") as refused:
            parse_pause_until(bad, today=today)
        assert "2030-01-24" in refused.value.user_message  # an example after today


def test_user_change_payload_reads_like_users_info() -> None:
    user = slack_user_of(
        {"id": "U1", "name": "kim", "real_name": "Kim", "tz": "Asia/Tokyo", "deleted": True}
    )
    assert (user.name, user.timezone, user.is_deleted, user.is_admin) == (
        "Kim",
        "Asia/Tokyo",
        True,
        False,
    )
    assert slack_user_of({"id": "U2"}).timezone == "UTC"


def test_every_topic_fits_an_option() -> None:
    assert all(len(topic) <= 75 for topic in TOPICS)
