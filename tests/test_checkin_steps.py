"""The check-in asks first whether you met, then only what applies: a small first modal,
then (for people who met) the inputs that matter, none marked "needed when you met"."""

from __future__ import annotations

import pytest
from slack_sdk.models.views import View
from sqlalchemy import select

from bot.slack_emulator import SlackEmulator
from bot.views.checkins import CheckinIds as C
from models import CheckIn
from models.enums import CheckInOutcome
from tests.support.app_server import AppServer
from tests.support.checkin_flows import (
    CheckinPair,
    make_checkin_pair,
    met_and_ticked,
    open_first_step,
    outcome_values,
)
from tests.support.interactions import submit_view
from tests.support.slack_requests import SlackRequests


@pytest.fixture
def pair(app_server: AppServer, emulator: SlackEmulator) -> CheckinPair:
    return make_checkin_pair(app_server, emulator)


def _inputs(view: dict) -> list[dict]:
    return [b for b in view["blocks"] if b["type"] == "input"]


def test_first_one_question_then_only_what_applies(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)

    first, first_id = open_first_step(slack, emulator, user=pair.junior, session_id=session_id)
    assert [b["block_id"] for b in _inputs(first)] == [C.OUTCOME]  # one small question
    View(**first).validate_json()
    met = submit_view(
        slack, user=pair.junior, view=first, view_id=first_id, values=outcome_values("met")
    ).json()
    assert met["response_action"] == "update"
    second = met["view"]
    View(**second).validate_json()
    blocks = {b["block_id"]: b for b in _inputs(second)}
    assert C.OUTCOME not in blocks  # not asked twice
    assert not blocks[C.MINUTES]["optional"]  # what applies once you met is asked plainly
    assert not blocks[C.LEARNING]["optional"]
    assert "Needed when you met" not in str(second)
    assert {C.SHARE, C.ACTION_ITEM, C.ACTION_ITEM_DUE, C.FEEDBACK_WHAT} <= set(blocks)
    assert len(second["blocks"]) <= 100

    other, other_id = open_first_step(slack, emulator, user=pair.senior, session_id=session_id)
    missed = submit_view(
        slack, user=pair.senior, view=other, view_id=other_id, values=outcome_values("missed")
    )
    assert missed.text == ""  # saved and closed: nothing more to ask
    app_server.wait_idle()
    with app_server.runtime.unit_of_work() as session:
        saved = list(session.scalars(select(CheckIn)))
    assert [(c.outcome, c.minutes, c.learning_id) for c in saved] == [
        (CheckInOutcome.MISSED, None, None)
    ]
    nothing = submit_view(slack, user=pair.senior, view=other, view_id=other_id, values={})
    assert nothing.json()["response_action"] == "errors"
    assert set(nothing.json()["errors"]) == {C.OUTCOME}
