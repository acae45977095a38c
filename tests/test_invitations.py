"""`/mentor admin invite`: one invitation DM per person and program, to the members of a
channel, a user group or named people, skipping bots, deactivated and enrolled people;
a report in the admin channel; Join opens the enrolment modal."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.clock import SettableClock
from bot.flows.access import resolve_caller
from bot.flows.invitations import invite_channel
from bot.slack_emulator import SlackEmulator
from bot.views.announcements import AnnounceIds
from bot.views.invitations import InviteIds
from models.enums import Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.announcement_flows import (
    announcements,
    audit_actions,
    copies,
    preview,
    received,
    texts_to,
)
from tests.support.app_server import AppServer
from tests.support.factories import enrol, make_program
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests

NOW = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
ALICE, BEN, CLEO, DIA = "U0INVA0001", "U0INVB0001", "U0INVC0001", "U0INVD0001"
ENROLLED, ROBOT, GONE = "U0INVE0001", "U0INVBOT01", "U0INVDEL01"


def _command(slack: SlackRequests, app_server: AppServer, text: str) -> None:
    assert slack.command(text, user=COORDINATOR, channel=ADMIN_CHANNEL).status_code == 200
    app_server.wait_idle()


def test_invite_a_channel_a_group_and_people_once_each(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="Spring cohort", session_minutes=30)
    for user_id in (ALICE, BEN, CLEO, DIA):
        emulator.add_user(user_id, name=user_id.lower(), real_name=f"Person {user_id[-4:]}")
    emulator.add_user(ROBOT, name="robot", real_name="Robot", is_bot=True)
    emulator.add_user(GONE, name="gone", real_name="Gone Person", deleted=True)
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id=ENROLLED,
        role=Role.SENIOR,
        department="IT",
        can_share=["Strategy"],
        wants_to_learn=["AI tools"],
    )
    channel = emulator.add_channel(
        "C0INVITE01",
        name="invite-me",
        members=[ALICE, BEN, ENROLLED, ROBOT, GONE, emulator.bot_user_id],
    )
    group = emulator.add_usergroup("S0DESIGN01", handle="designers", users=[ALICE, CLEO])

    _command(slack, app_server, f"admin invite <#{channel}|invite-me>")
    assert received(emulator) == {ALICE: 1, BEN: 1}
    (dm,) = [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and "invited to" in c.args["text"] and c.args["channel"] != ADMIN_CHANNEL
    ][:1]
    blocks = json.dumps(dm.args["blocks"])
    assert "30-minute conversation every two weeks" in blocks
    assert AnnounceIds.JOIN.value in blocks
    (invitation,) = announcements(runtime)
    report = preview(emulator, runtime, invitation.id)["text"]
    assert "Invitation" in report
    assert "done" in report
    assert "Sent: 2 of 2" in report
    assert "Skipped: 4" in report  # two bots (ours too), one deactivated, one enrolled
    assert "2 bots" in report
    assert "1 deactivated" in report
    assert "1 already enrolled" in report
    note = emulator.responses("slash")[-1]["text"]
    assert "Inviting 2 people to *Spring cohort*" in note

    # The channel again, a user group and a named person: only the new ones get one.
    _command(
        slack,
        app_server,
        f"admin invite spring cohort <#{channel}> <!subteam^{group}|@designers> <@{DIA}>",
    )
    assert received(emulator) == {ALICE: 1, BEN: 1, CLEO: 1, DIA: 1}
    assert len(copies(runtime, "invitation")) == 4
    second = announcements(runtime)[-1]
    assert "2 already invited" in preview(emulator, runtime, second.id)["text"]

    # Another flow (the status insights) invites a channel by ids: nobody twice.
    caller = resolve_caller(runtime, user_id=COORDINATOR, channel_id=ADMIN_CHANNEL)
    assert "Inviting 0 people" in invite_channel(
        runtime, caller, program_id=program_id, channel_id=channel
    )
    assert received(emulator) == {ALICE: 1, BEN: 1, CLEO: 1, DIA: 1}

    # Join in the invitation opens the enrolment modal for that program.
    im = next(c for c, v in emulator.workspace.conversations.items() if v.get("user") == ALICE)
    response = click(
        slack, user=ALICE, action_id=AnnounceIds.JOIN.value, value=str(program_id), channel=im
    )
    assert response.status_code == 200
    app_server.wait_idle()
    (opened,) = [c for c in emulator.calls("views.open") if c.ok]
    assert opened.response["view"]["callback_id"] == "enrol-join"
    assert "Spring cohort" in json.dumps(opened.response["view"])
    assert [a for a, outcome in audit_actions(runtime) if a == "admin.invite"] == [
        "admin.invite"
    ] * 3
    assert texts_to(emulator, ROBOT) == []
    assert texts_to(emulator, GONE) == []


def test_invite_without_a_target_opens_the_modal(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="Autumn cohort")
    emulator.add_user(DIA, name="dia", real_name="Dia Person")
    _command(slack, app_server, "admin invite")
    (call,) = emulator.calls("views.open")
    view = call.response["view"]
    assert view["callback_id"] == InviteIds.CALLBACK.value
    values = {
        InviteIds.PROGRAM.value: {
            InviteIds.PROGRAM.value: {
                "type": "static_select",
                "selected_option": {
                    "value": str(program_id),
                    "text": {"type": "plain_text", "text": "x"},
                },
            }
        },
        InviteIds.PEOPLE.value: {
            InviteIds.PEOPLE.value: {"type": "multi_users_select", "selected_users": [DIA]}
        },
    }
    empty = {k: v for k, v in values.items() if k == InviteIds.PROGRAM.value}
    refused = submit_view(slack, user=COORDINATOR, view=view, view_id=view["id"], values=empty)
    assert json.loads(refused.text)["response_action"] == "errors"
    response = submit_view(slack, user=COORDINATOR, view=view, view_id=view["id"], values=values)
    assert response.status_code == 200
    app_server.wait_idle()
    assert received(emulator) == {DIA: 1}


def test_a_big_channel_is_read_in_pages_of_the_member_list_not_one_call_per_person(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    make_program(runtime, name="Big cohort", session_minutes=30)
    people = [f"U0BIG{n:05d}" for n in range(450)]
    for user_id in people:
        emulator.add_user(user_id, name=user_id.lower(), real_name=f"Person {user_id[-4:]}")
    emulator.add_user(ROBOT, name="robot", real_name="Robot", is_bot=True)
    emulator.add_user(GONE, name="gone", real_name="Gone Person", deleted=True)
    outsider = "U0OTHERORG"  # a member from another workspace: users.list does not show them
    channel = emulator.add_channel(
        "C0BIGCHAN1", name="everyone", members=[*people, ROBOT, GONE, outsider]
    )

    _command(slack, app_server, f"admin invite <#{channel}|everyone>")
    pages = [c for c in emulator.calls("users.list") if c.ok]
    assert 3 <= len(pages) <= 4  # 200 a page, every member of the workspace
    looked_up = [c.args["user"] for c in emulator.calls("users.info")]
    assert [u for u in looked_up if u != COORDINATOR] == [outsider]  # the rest came listed
    assert set(received(emulator)) == set(people)
    (invitation,) = announcements(runtime)
    report = preview(emulator, runtime, invitation.id)["text"]
    assert "Sent: 450 of 450" in report
    assert "1 bot" in report
    assert "2 deactivated" in report  # the deleted one, and the one Slack does not know
