"""Pure builders and parsers of the program, matching and goals views, at Slack's limits."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.services.goals import GoalDraft, GoalView
from bot.services.pairs import PairDetails, PairPerson
from bot.services.programs import ProgramSettings
from bot.views.goals import GoalIds, build_goals_modal, build_goals_overview, parse_goals_submission
from bot.views.matching import MatchPreview, PreviewPair, build_match_preview, build_preview_csv
from bot.views.pairs import build_farewell, build_intro
from bot.views.programs import ProgramIds as P
from bot.views.programs import build_program_modal, parse_program_submission
from models.enums import GoalStatus, PairStatus, Role

TODAY = date(2026, 11, 25)


def _valid(message: dict) -> None:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()


def test_program_modal_is_valid_and_parses() -> None:
    view = build_program_modal(today=TODAY, admin_channel_id="C0ADMIN")
    View(**view).validate_json()
    state = {
        P.NAME: {P.NAME: {"value": "  Spring   2027 "}},
        P.STARTS_ON: {P.STARTS_ON: {"selected_date": "2026-12-01"}},
        P.LENGTH: {P.LENGTH: {"selected_option": {"value": "52"}}},
        P.ROTATION: {P.ROTATION: {"selected_option": {"value": "13"}}},
        P.CADENCE: {P.CADENCE: {"selected_option": {"value": "monthly"}}},
        P.SESSION_MINUTES: {P.SESSION_MINUTES: {"selected_option": {"value": "20"}}},
        P.CELEBRATION: {P.CELEBRATION: {"selected_conversation": None}},
        P.DEADLINE: {P.DEADLINE: {"selected_date": None}},
    }
    parsed = parse_program_submission(state, today=TODAY)
    assert isinstance(parsed, ProgramSettings)
    assert (
        parsed.name,
        parsed.length_weeks,
        parsed.session_minutes,
        parsed.celebration_channel_id,
    ) == ("Spring 2027", 52, 20, None)


def _person(user: str, role: Role) -> PairPerson:
    return PairPerson(
        1 if role == Role.JUNIOR else 2,
        user,
        user,
        role,
        "Dept",
        ("AI tools",),
        ("Strategy",),
        "UTC",
    )


def _pair() -> PairDetails:
    people = (_person("U0J", Role.JUNIOR), _person("U0S", Role.SENIOR))
    return PairDetails(
        7,
        1,
        "Cohort",
        1,
        PairStatus.ACTIVE,
        people,
        ("topic fit",),
        None,
        None,
        "G1",
        date(2027, 3, 1),
        30,
    )


def test_intro_and_farewell_are_valid_and_name_the_ground_rules() -> None:
    intro = build_intro(_pair())
    _valid(intro)
    text = str(intro["blocks"])
    assert "Confidential" in text
    assert "junior leads the agenda" in text
    assert text.index("<@U0J>") < text.index("<@U0S>")  # the junior comes first
    _valid(build_farewell(_pair()))


def test_a_huge_preview_stays_within_block_limits_and_the_csv_has_everyone() -> None:
    pairs = [
        PreviewPair(f"U0J{i:05d}", f"U0S{i:05d}", None, "IT", "Sales", 10.0, ("x" * 120,) * 3)
        for i in range(2500)
    ]
    unmatched = [
        {"key": f"U0X{i:05d}", "role": "junior", "reason": "no senior left"} for i in range(300)
    ]
    preview = MatchPreview(1, "Big", 1, False, pairs, unmatched, 25000.0, False)
    message = build_match_preview(preview)
    _valid(message)
    assert "2480 more pairs" in str(message["blocks"])
    assert len(build_preview_csv(preview).splitlines()) == 1 + 2500 + 300


def test_goals_modal_is_valid_and_parser_drops_empty_slots() -> None:
    view = build_goals_modal(pair=_pair(), existing=[], today=TODAY)
    View(**view).validate_json()
    state = {
        f"{GoalIds.TEXT}-0": {GoalIds.TEXT: {"value": "Use the dashboard tool weekly"}},
        f"{GoalIds.INDICATOR}-0": {GoalIds.INDICATOR: {"value": "weekly report built in it"}},
        f"{GoalIds.TARGET}-0": {GoalIds.TARGET: {"selected_date": "2027-03-01"}},
    }
    assert parse_goals_submission(state, today=TODAY) == [
        GoalDraft("Use the dashboard tool weekly", "weekly report built in it", date(2027, 3, 1))
    ]
    assert parse_goals_submission({}, today=TODAY) == {
        f"{GoalIds.TEXT}-0": "Set at least one goal."
    }


def test_goals_overview_offers_a_status_menu_only_on_my_goals() -> None:
    mine = GoalView(1, 1, "Mine", "i", None, GoalStatus.OPEN)
    theirs = GoalView(2, 2, "Theirs", "i", None, GoalStatus.OPEN)
    message = build_goals_overview([(_pair(), {"U0J": [mine], "U0S": [theirs]})], user_id="U0J")
    _valid(message)
    with_menu = [b for b in message["blocks"] if b.get("accessory")]
    assert len(with_menu) == 1
    assert "Mine" in with_menu[0]["text"]["text"]
