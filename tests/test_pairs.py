"""A pair's takeaway modal: only members open it, it needs a few words, and it saves once."""

from __future__ import annotations

from sqlalchemy import select

from bot.slack_emulator import SlackEmulator
from bot.views.pairs import PairIds
from models import Learning, Pair
from models.enums import PairStatus
from tests.support.app_server import AppServer
from tests.support.flows import JUNIOR, matched_pair
from tests.support.interactions import click, submit_view, text
from tests.support.slack_requests import SlackRequests


def _end_pair(app_server: AppServer) -> int:
    """End the round as rotation does: a takeaway is asked for once a pair has ended."""
    with app_server.runtime.unit_of_work() as session:
        pair = session.scalars(select(Pair)).one()
        pair.status = PairStatus.ENDED
        return pair.id


def _learnings(app_server: AppServer) -> list[tuple[str, int | None]]:
    with app_server.runtime.unit_of_work() as session:
        return [(x.text, x.pair_id) for x in session.scalars(select(Learning))]


def test_a_takeaway_is_saved_once_in_the_writers_log(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    pair_id = _end_pair(app_server)
    app_server.wait_idle()
    posted = len(emulator.calls("chat.postMessage"))
    opened = len(emulator.calls("views.open"))
    click(slack, user=JUNIOR, action_id=PairIds.OPEN_TAKEAWAY, value=str(pair_id), channel=dm)
    app_server.wait_idle()
    calls = emulator.calls("views.open")
    assert len(calls) == opened + 1
    view, view_id = calls[-1].json("view"), calls[-1].response["view"]["id"]
    assert view["private_metadata"] == str(pair_id)

    short = {PairIds.TAKEAWAY_TEXT: text(PairIds.TAKEAWAY_TEXT, "ok")}
    body = submit_view(slack, user=JUNIOR, view=view, view_id=view_id, values=short).json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {PairIds.TAKEAWAY_TEXT}
    assert _learnings(app_server) == []

    good = {PairIds.TAKEAWAY_TEXT: text(PairIds.TAKEAWAY_TEXT, "Ask for context before fixing")}
    for _ in range(2):  # and a double submission
        response = submit_view(slack, user=JUNIOR, view=view, view_id=view_id, values=good)
        assert (response.status_code, response.text) == (200, "")
    app_server.wait_idle()
    assert _learnings(app_server) == [("Ask for context before fixing", pair_id)]
    assert len(emulator.calls("chat.postMessage")) == posted  # private: nothing is posted


def test_someone_outside_the_pair_cannot_open_its_takeaway(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    pair_id = _end_pair(app_server)
    app_server.wait_idle()
    opened = len(emulator.calls("views.open"))
    answered = len(emulator.responses())
    click(slack, user="U0JUNIOR01", action_id=PairIds.OPEN_TAKEAWAY, value=str(pair_id), channel=dm)
    app_server.wait_idle()
    replies = emulator.responses()[answered:]
    assert len(replies) == 1
    assert "belongs to another pair" in replies[0]["text"]
    assert len(emulator.calls("views.open")) == opened
