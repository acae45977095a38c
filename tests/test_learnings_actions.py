"""Learnings land in the right logs (private vs shared) and feed the next agenda; action items
get one follow-up at their due date, whose buttons are idempotent and the owner's alone;
`/mentor learnings` and `/mentor actions` stay within Slack's block limits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.services.action_items import followup_due_at, followup_period
from bot.services.checkins import pair_record
from bot.services.deliveries import delivery_key
from bot.services.learnings import add_learning
from bot.slack_emulator import SlackEmulator
from bot.views.learning_log import ActionItemIds as A
from bot.views.learning_log import LogIds
from models import ActionItem, Delivery, Learning, Participant
from models.enums import ActionStatus, DeliveryStatus, Role, Visibility
from tests.support.app_server import AppServer
from tests.support.checkin_flows import (
    CheckinPair,
    answer_checkin,
    dm_of,
    in_days,
    make_checkin_pair,
    met_and_ticked,
    posts,
    posts_to,
)
from tests.support.flows import wait_until
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests

SHARED = "Emoji reactions speed up approvals"
PRIVATE = "I still fear the video call etiquette"
ACTION = "Try pivot tables"


@pytest.fixture
def pair(app_server: AppServer, emulator: SlackEmulator) -> CheckinPair:
    return make_checkin_pair(app_server, emulator)


def _items(app_server: AppServer) -> dict[str, ActionItem]:
    with app_server.runtime.unit_of_work() as session:
        return {i.text: i for i in session.scalars(select(ActionItem))}


def _reply(slack: SlackRequests, emulator: SlackEmulator, **click_args: str) -> dict[str, Any]:
    before = len(emulator.responses())
    click(slack, **click_args)
    wait_until(lambda: len(emulator.responses()) > before)
    return emulator.responses()[-1]


def _followups(emulator: SlackEmulator, user: str) -> list[str]:
    return [
        c.args["text"]
        for c in posts_to(emulator, user)
        if "what you said you'd apply" in c.args["text"]
    ]


def test_learnings_land_in_the_right_logs_and_the_next_agenda_picks_them_up(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    answer_checkin(
        slack,
        emulator,
        user=pair.junior,
        session_id=session_id,
        learning=SHARED,
        share=True,
        action=ACTION,
        due=in_days(20),
    )
    answer_checkin(slack, emulator, user=pair.senior, session_id=session_id, learning=PRIVATE)
    with app_server.runtime.unit_of_work() as session:
        rows = {row.text: row for row in session.scalars(select(Learning))}
    assert rows[SHARED].visibility == Visibility.PAIR
    assert rows[PRIVATE].visibility == Visibility.PRIVATE
    assert rows[SHARED].pair_id == rows[PRIVATE].pair_id == pair.pair_id

    junior = json.dumps(slack.command("learnings", user=pair.junior).json()["blocks"])
    assert SHARED in junior
    assert "shared with your partner" in junior
    assert PRIVATE not in junior
    senior = json.dumps(slack.command("learnings", user=pair.senior).json()["blocks"])
    assert PRIVATE in senior
    assert ":lock: private" in senior
    assert SHARED in senior
    assert f"shared by <@{pair.junior}>" in senior

    run_tick(app_server.runtime, datetime.now(UTC) + timedelta(days=9))
    agendas = [
        c
        for c in posts(emulator)
        if c.args["channel"] == pair.channel and "agenda" in c.args["text"]
    ]
    latest = json.dumps(agendas[-1].json("blocks"))
    assert ACTION in latest
    assert SHARED in latest
    assert PRIVATE not in latest


def test_followups_arrive_once_at_the_due_date_and_their_buttons_are_idempotent(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    runtime = app_server.runtime
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    due = in_days(2)
    answer_checkin(slack, emulator, user=pair.junior, session_id=session_id, action=ACTION, due=due)
    answer_checkin(
        slack, emulator, user=pair.senior, session_id=session_id, action="Ask for a demo", due=due
    )
    items = _items(app_server)
    mine, theirs = items[ACTION], items["Ask for a demo"]
    junior_at = followup_due_at(date.fromisoformat(due), "Europe/Berlin")
    assert junior_at.astimezone(ZoneInfo("Europe/Berlin")).hour == 9
    run_tick(runtime, junior_at - timedelta(minutes=1))
    assert _followups(emulator, pair.junior) == []
    for later in (1, 2, 60 * 30):  # at the time, again, and the senior's 09:00 in New York
        run_tick(runtime, junior_at + timedelta(minutes=later))
    run_tick(runtime, junior_at + timedelta(minutes=1))
    assert len(_followups(emulator, pair.junior)) == 1
    assert len(_followups(emulator, pair.senior)) == 1
    (message,) = [c for c in posts_to(emulator, pair.junior) if "apply" in c.args["text"]]
    assert ACTION in json.dumps(message.json("blocks"))

    junior_dm, senior_dm = dm_of(emulator, pair.junior), dm_of(emulator, pair.senior)
    done = {"action_id": A.DONE, "value": f"{mine.id}:f", "channel": junior_dm}
    refused = _reply(slack, emulator, user=pair.senior, **done)
    assert "belongs to someone else" in refused["text"]
    assert _items(app_server)[ACTION].status == ActionStatus.OPEN
    first = _reply(slack, emulator, user=pair.junior, **done)
    assert first["replace_original"] is True
    assert "nice work" in first["text"]
    again = _reply(slack, emulator, user=pair.junior, **done)
    assert "already marked done" in again["text"]
    dropped = _reply(
        slack,
        emulator,
        user=pair.junior,
        action_id=A.DROPPED,
        value=f"{mine.id}:f",
        channel=junior_dm,
    )
    assert "already marked done" in dropped["text"]
    assert _items(app_server)[ACTION].status == ActionStatus.DONE

    # still on it: a new date (not a past one), a new follow-up at that date, once
    click(slack, user=pair.senior, action_id=A.LATER, value=f"{theirs.id}:f", channel=senior_dm)
    (opened,) = [c for c in emulator.wait_for("views.open", 3) if c.ok][-1:]
    view, view_id = opened.json("view"), opened.response["view"]["id"]
    assert view["callback_id"] == A.LATER_CALLBACK

    def picked(day: str) -> dict[str, Any]:
        return {A.LATER_DATE: {A.LATER_DATE: {"type": "datepicker", "selected_date": day}}}

    bad = submit_view(
        slack, user=pair.senior, view=view, view_id=view_id, values=picked(in_days(-1))
    )
    assert set(bad.json()["errors"]) == {A.LATER_DATE}
    new_due = in_days(6)
    for _ in range(2):
        response = submit_view(
            slack, user=pair.senior, view=view, view_id=view_id, values=picked(new_due)
        )
        assert response.text == ""
    app_server.wait_idle()
    (confirmed,) = [c for c in posts(emulator) if "check in again" in c.args["text"]]
    assert confirmed.response["channel"] == senior_dm  # once, in the owner's DM only
    moved = _items(app_server)["Ask for a demo"]
    assert (moved.status, moved.due_on) == (ActionStatus.OPEN, date.fromisoformat(new_due))
    with runtime.unit_of_work() as session:
        keys = sorted(
            session.scalars(select(Delivery.unique_key).where(Delivery.kind == "action_followup"))
        )
    new_key = delivery_key(
        "action_followup",
        period=followup_period(theirs.id, date.fromisoformat(new_due)),
        participant_id=theirs.owner_id,
    )
    assert new_key in keys
    with runtime.unit_of_work() as session:
        (notice,) = session.scalars(select(Delivery).where(Delivery.kind == "action_item_moved"))
    assert notice.status == DeliveryStatus.SENT
    assert notice.payload == {"action_item_id": theirs.id, "due_on": new_due}  # ids, no text
    senior_at = followup_due_at(date.fromisoformat(new_due), "America/New_York")
    for later in (1, 5):
        run_tick(runtime, senior_at + timedelta(minutes=later))
    assert len(_followups(emulator, pair.senior)) == 2
    # the junior pressing the senior's buttons changes nothing; the senior drops it, once
    not_yours = _reply(
        slack,
        emulator,
        user=pair.junior,
        action_id=A.DROPPED,
        value=f"{theirs.id}:f",
        channel=senior_dm,
    )
    assert "belongs to someone else" in not_yours["text"]
    dropped = {"action_id": A.DROPPED, "value": f"{theirs.id}:f", "channel": senior_dm}
    assert "Dropped" in _reply(slack, emulator, user=pair.senior, **dropped)["text"]
    assert "already marked dropped" in _reply(slack, emulator, user=pair.senior, **dropped)["text"]
    assert _items(app_server)["Ask for a demo"].status == ActionStatus.DROPPED
    with runtime.unit_of_work() as session:
        assert pair_record(session, pair.pair_id)["done_action_items"] == 1


def test_actions_command_lists_open_items_and_its_buttons_refresh_the_list(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    answer_checkin(
        slack, emulator, user=pair.junior, session_id=session_id, action=ACTION, due=in_days(5)
    )
    listing = slack.command("actions", user=pair.junior).json()
    assert listing["response_type"] == "ephemeral"
    assert ACTION in json.dumps(listing["blocks"])
    item_id = _items(app_server)[ACTION].id
    buttons = next(b for b in listing["blocks"] if b["type"] == "actions")["elements"]
    assert [b["action_id"] for b in buttons] == [A.DONE, A.LATER, A.DROPPED]
    assert buttons[0]["value"] == f"{item_id}:l0"
    assert ACTION not in json.dumps(slack.command("actions", user=pair.senior).json()["blocks"])

    before = len(emulator.responses())
    click(slack, user=pair.junior, action_id=A.DONE, value=buttons[0]["value"])
    wait_until(lambda: len(emulator.responses()) >= before + 2)
    refreshed, told = emulator.responses()[before : before + 2]
    assert refreshed["replace_original"] is True
    assert "Nothing open" in json.dumps(refreshed["blocks"])
    assert "nice work" in told["text"]
    assert _items(app_server)[ACTION].status == ActionStatus.DONE


def test_learning_log_pages_past_slack_limits_and_takes_new_entries(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    runtime = app_server.runtime
    with runtime.unit_of_work() as session:
        junior_id = session.scalar(select(Participant.id).where(Participant.role == Role.JUNIOR))
        assert junior_id is not None
        for index in range(45):
            add_learning(
                session, participant_id=junior_id, text=f"Learning number {index:02d} here"
            )
    first = slack.command("learnings", user=pair.junior).json()
    assert len(first["blocks"]) <= 50
    shown = json.dumps(first["blocks"])
    assert "Learning number 44" in shown
    assert "Learning number 24" not in shown
    pages = [first]
    page_button = next(
        e
        for b in first["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == LogIds.LEARNINGS_PAGE_NEXT
    )
    while page_button is not None:
        reply = _reply(
            slack,
            emulator,
            user=pair.junior,
            action_id=page_button["action_id"],
            value=page_button["value"],
        )
        assert reply["replace_original"] is True
        pages.append(reply)
        page_button = next(
            (
                e
                for b in reply["blocks"]
                if b["type"] == "actions"
                for e in b["elements"]
                if e["action_id"] == LogIds.LEARNINGS_PAGE_NEXT
            ),
            None,
        )
    assert len(pages) == 3
    assert all(len(p["blocks"]) <= 50 for p in pages)
    every = "".join(json.dumps(p["blocks"]) for p in pages)
    assert all(f"Learning number {i:02d}" in every for i in range(45))
    assert "Page 3 of 3" in json.dumps(pages[-1]["blocks"])
    previous = [
        e["value"]
        for b in pages[-1]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == LogIds.LEARNINGS_PAGE_PREVIOUS
    ]
    assert previous == ["1"]

    # add an entry by hand, shared with the pair
    click(slack, user=pair.junior, action_id=LogIds.ADD_LEARNING, value="add")
    (opened,) = [c for c in emulator.wait_for("views.open") if c.ok]
    view, view_id = opened.json("view"), opened.response["view"]["id"]
    text = {LogIds.ADD_TEXT: {LogIds.ADD_TEXT: {"type": "plain_text_input", "value": "Too short"}}}
    bad = submit_view(slack, user=pair.junior, view=view, view_id=view_id, values=text)
    assert set(bad.json()["errors"]) == {LogIds.ADD_TEXT}
    values = {
        LogIds.ADD_TEXT: {
            LogIds.ADD_TEXT: {"type": "plain_text_input", "value": "Seniors love a short summary"}
        },
        LogIds.ADD_PAIR: {
            LogIds.ADD_PAIR: {
                "type": "static_select",
                "selected_option": {"value": str(pair.pair_id)},
            }
        },
    }
    for _ in range(2):
        assert (
            submit_view(slack, user=pair.junior, view=view, view_id=view_id, values=values).text
            == ""
        )
    with runtime.unit_of_work() as session:
        added = list(
            session.scalars(select(Learning).where(Learning.text == "Seniors love a short summary"))
        )
    assert [(a.visibility, a.pair_id) for a in added] == [(Visibility.PAIR, pair.pair_id)]
    partner = json.dumps(slack.command("learnings", user=pair.senior).json()["blocks"])
    assert "Seniors love a short summary" in partner
    assert "Learning number" not in partner  # those were private


def test_still_on_it_for_an_item_closed_meanwhile_is_refused_in_the_modal(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, pair: CheckinPair
) -> None:
    session_id = met_and_ticked(slack, emulator, app_server, pair)
    answer_checkin(
        slack, emulator, user=pair.junior, session_id=session_id, action=ACTION, due=in_days(3)
    )
    item_id = _items(app_server)[ACTION].id
    opened_before = len([c for c in emulator.calls("views.open") if c.ok])
    click(slack, user=pair.junior, action_id=A.LATER, value=f"{item_id}:f")
    app_server.wait_idle()
    opened = [c for c in emulator.calls("views.open") if c.ok][opened_before:]
    assert len(opened) == 1
    view, view_id = opened[0].json("view"), opened[0].response["view"]["id"]
    click(slack, user=pair.junior, action_id=A.DONE, value=f"{item_id}:f")  # from elsewhere
    app_server.wait_idle()

    picked = {A.LATER_DATE: {A.LATER_DATE: {"type": "datepicker", "selected_date": in_days(9)}}}
    body = submit_view(slack, user=pair.junior, view=view, view_id=view_id, values=picked).json()
    assert body["response_action"] == "update"
    assert "already marked done" in json.dumps(body["view"])
    app_server.wait_idle()
    assert [c for c in posts(emulator) if "check in again" in c.args["text"]] == []
    item = _items(app_server)[ACTION]
    assert (item.status, item.due_on) == (ActionStatus.DONE, date.fromisoformat(in_days(3)))
    with app_server.runtime.unit_of_work() as session:
        kinds = set(session.scalars(select(Delivery.kind)))
    assert "action_item_moved" not in kinds
