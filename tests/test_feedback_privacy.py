"""Feedback reaches the partner alone: one message, in their own DM; nowhere else — not the
pair DM, the admin channel, a Home view, a reply to anybody else, a log record, nor the
deliveries table (its row holds ids). When Slack fails, the scheduler sends it later, once."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.services.feedback import FeedbackParts, give_feedback
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.checkins import CheckinIds as C
from bot.views.learning_log import LogIds
from models import Delivery, Feedback, Participant
from models.enums import DeliveryStatus, Role, Visibility
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.checkin_flows import (
    CheckinPair,
    answer_checkin,
    checkin_values,
    dm_of,
    make_checkin_pair,
    met_and_ticked,
    open_checkin,
    posts,
    posts_to,
)
from tests.support.flows import wait_until
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests

WHAT = "You showed me the pivot table shortcut zq7what"
EFFECT = "I finished the quarterly report alone zq7effect"
SUGGESTION = "Send the sample file the day before zq7suggestion"
MARKERS = ("zq7what", "zq7effect", "zq7suggestion")


@pytest.fixture
def pair(app_server: AppServer, emulator: SlackEmulator) -> CheckinPair:
    return make_checkin_pair(app_server, emulator)


def _carrying(value: object) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return any(marker in text for marker in MARKERS)


def _thanks(emulator: SlackEmulator) -> list[RecordedCall]:
    return [c for c in posts(emulator) if "Thanks for your check-in" in c.args["text"]]


def _feedback_to(emulator: SlackEmulator, user_id: str) -> list[RecordedCall]:
    """Feedback that reached the bot's DM with `user_id`."""
    return [c for c in posts_to(emulator, user_id) if _carrying(c.args)]


def _feedback_deliveries(app_server: AppServer) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(Delivery).where(Delivery.kind == "feedback")))


def _columns(row: Delivery) -> dict[str, object]:
    """Every column of a deliveries row, to look for text a person wrote."""
    return {column.key: getattr(row, column.key) for column in Delivery.__table__.columns}


def _participant(app_server: AppServer, role: Role) -> int:
    with app_server.runtime.unit_of_work() as session:
        found = session.scalar(select(Participant.id).where(Participant.role == role))
    assert found is not None
    return found


def test_feedback_reaches_only_the_partner_and_no_log(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    pair: CheckinPair,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    response = answer_checkin(
        slack,
        emulator,
        user=pair.junior,
        session_id=session_id,
        what=WHAT,
        effect=EFFECT,
        suggestion=SUGGESTION,
    )
    assert response.text == ""
    app_server.wait_idle()
    (thanks,) = _thanks(emulator)
    assert thanks.response["channel"] == dm_of(emulator, pair.junior)
    assert f"on its way to <@{pair.senior}>" in json.dumps(thanks.json("blocks"))
    # everything else that could show it: the partner's answer, Home tabs, later ticks
    answer_checkin(slack, emulator, user=pair.senior, session_id=session_id)
    for user in (pair.junior, pair.senior, COORDINATOR):
        slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    emulator.wait_for("views.publish", 3)
    for days in (1, 8, 15):
        run_tick(app_server.runtime, datetime.now(UTC) + timedelta(days=days))

    carrying = [c for c in emulator.calls() if _carrying(c.args)]
    assert len(carrying) == 1, [c.method for c in carrying]
    (delivered,) = carrying
    assert delivered.ok
    assert delivered.method == "chat.postMessage"
    senior_dm = dm_of(emulator, pair.senior)  # the bot's DM with the partner alone
    assert delivered.args["channel"] == delivered.response["channel"] == senior_dm
    assert [
        c.args["users"]
        for c in emulator.calls("conversations.open")
        if c.ok and (c.response["channel"]["id"] == senior_dm)
    ] == [pair.senior]
    assert delivered.response["channel"] != pair.channel
    blocks = json.dumps(delivered.json("blocks"))
    assert all(part in blocks for part in (WHAT, EFFECT, SUGGESTION))
    assert f"<@{pair.junior}>" in delivered.args["text"]
    assert "partner" in delivered.args["text"]
    assert not [c for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]
    assert not [r for r in emulator.responses() if _carrying(r)]
    assert not [v for v in emulator.open_views().values() if _carrying(v)]
    leaked = [r for r in caplog.records if _carrying(r.getMessage()) or _carrying(str(r.args))]
    assert leaked == []
    assert any("checkin.saved" in r.getMessage() for r in caplog.records)  # ids were logged

    with app_server.runtime.unit_of_work() as session:
        (row,) = session.scalars(select(Feedback))
    junior_id, senior_id = (_participant(app_server, r) for r in (Role.JUNIOR, Role.SENIOR))
    assert (row.from_id, row.to_id, row.visibility) == (junior_id, senior_id, Visibility.RECIPIENT)
    (delivery,) = _feedback_deliveries(app_server)
    assert (delivery.status, delivery.payload) == (DeliveryStatus.SENT, {"feedback_id": row.id})
    assert not _carrying(_columns(delivery))


def test_feedback_reaches_the_partner_once_after_slack_failed_the_first_attempt(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    runtime = app_server.runtime
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    view, view_id = open_checkin(slack, emulator, user=pair.junior, session_id=session_id)
    app_server.wait_idle()
    emulator.fail("chat.postMessage", "internal_error")  # the next post: the feedback
    values = checkin_values(what=WHAT, effect=EFFECT, suggestion=SUGGESTION)
    assert (
        submit_view(slack, user=pair.junior, view=view, view_id=view_id, values=values).text == ""
    )
    app_server.wait_idle()

    (refused,) = [c for c in emulator.calls("chat.postMessage") if not c.ok]
    assert _carrying(refused.args)  # Slack refused the feedback itself...
    assert _feedback_to(emulator, pair.senior) == []  # ...so the partner has nothing yet
    (thanks,) = _thanks(emulator)  # the author is thanked; the feedback is on its way
    assert thanks.response["channel"] == dm_of(emulator, pair.junior)
    assert "on its way" in json.dumps(thanks.json("blocks"))
    assert "couldn't deliver" not in json.dumps(thanks.json("blocks"))
    with runtime.unit_of_work() as session:
        (feedback_id,) = session.scalars(select(Feedback.id))
    (row,) = _feedback_deliveries(app_server)
    assert (row.status, row.attempts) == (DeliveryStatus.PLANNED, 1)  # planned for a retry
    assert row.last_error == "chat.postMessage: internal_error"
    assert row.payload == {"feedback_id": feedback_id}
    assert row.unique_key == f"feedback:{feedback_id}:to:{pair.senior}"
    assert not _carrying(_columns(row))  # ids only: the text stays in the feedback table

    later = runtime.clock.now() + timedelta(minutes=5)
    run_tick(runtime, later)
    (delivered,) = _feedback_to(emulator, pair.senior)
    assert all(part in json.dumps(delivered.json("blocks")) for part in (WHAT, EFFECT, SUGGESTION))
    (row,) = _feedback_deliveries(app_server)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert not _carrying(_columns(row))

    run_tick(runtime, later + timedelta(minutes=30))  # a second tick sends nothing more
    assert len(_feedback_to(emulator, pair.senior)) == 1
    assert len([c for c in emulator.calls() if _carrying(c.args)]) == 2  # refused + delivered
    assert len(_thanks(emulator)) == 1


def test_one_word_feedback_is_refused_kindly_on_its_field(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    view, view_id = open_checkin(slack, emulator, user=pair.junior, session_id=session_id)
    body = submit_view(
        slack,
        user=pair.junior,
        view=view,
        view_id=view_id,
        values=checkin_values(effect="Helpful!"),
    ).json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [C.FEEDBACK_EFFECT]
    assert body["errors"][C.FEEDBACK_EFFECT].startswith("Thanks for wanting to give feedback")
    assert not [c for c in emulator.calls("chat.postMessage") if "Helpful!" in str(c.args)]


def test_feedback_command_shows_received_and_given_to_the_right_people_only(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    answer_checkin(
        slack, emulator, user=pair.junior, session_id=session_id, what=WHAT, suggestion=SUGGESTION
    )
    senior = slack.command("feedback", user=pair.senior).json()
    junior = slack.command("feedback", user=pair.junior).json()
    assert senior["response_type"] == junior["response_type"] == "ephemeral"
    assert f"*Received* from <@{pair.junior}>" in json.dumps(senior["blocks"])
    assert WHAT in json.dumps(senior["blocks"])
    assert f"*Given* to <@{pair.senior}>" in json.dumps(junior["blocks"])
    assert SUGGESTION in json.dumps(junior["blocks"])
    for outsider in (COORDINATOR, "U0JUNIOR01"):
        shown = slack.command("feedback", user=outsider, channel=ADMIN_CHANNEL).json()
        assert not _carrying(shown)
        assert "No feedback yet" in json.dumps(shown["blocks"])


def test_feedback_list_is_paged_within_slack_limits(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    junior_id, senior_id = (_participant(app_server, r) for r in (Role.JUNIOR, Role.SENIOR))
    with app_server.runtime.unit_of_work() as session:
        for index in range(55):
            author, recipient = (junior_id, senior_id) if index % 2 else (senior_id, junior_id)
            give_feedback(
                session,
                pair_id=pair.pair_id,
                from_id=author,
                to_ids=[recipient],
                session_id=None,
                parts=FeedbackParts(what=f"Entry number {index} was clear"),
            )
    first = slack.command("feedback", user=pair.junior).json()
    assert len(first["blocks"]) <= 50
    assert "Entry number 54 was clear" in json.dumps(first["blocks"])
    pager = next(b for b in first["blocks"] if b["type"] == "actions")
    (next_button,) = pager["elements"]
    assert (next_button["action_id"], next_button["value"]) == (LogIds.FEEDBACK_PAGE_NEXT, "1")
    answered = len(emulator.responses())
    click(slack, user=pair.junior, action_id=LogIds.FEEDBACK_PAGE_NEXT, value="2")
    wait_until(lambda: len(emulator.responses()) > answered)
    last = emulator.responses()[-1]
    assert last["replace_original"] is True
    assert len(last["blocks"]) <= 50
    assert "Entry number 0 was clear" in json.dumps(last["blocks"])
    assert "Page 3 of 3" in json.dumps(last["blocks"])
