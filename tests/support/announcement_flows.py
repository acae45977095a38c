"""Driving `/mentor admin announce` end to end: the modal, the preview, the buttons, and
reading back who got what from the emulator."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.slack_emulator import SlackEmulator
from bot.views.announcements import AnnounceIds
from models import AuditLog, Delivery
from models.announcement import Announcement
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests


def _select(value: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def announce_values(
    *,
    program_id: int,
    text: str,
    audience: str = "everyone",
    when: str = "now",
    day: str | None = None,
    hour: str | None = None,
    people: list[str] | None = None,
    channel: str | None = None,
    link: tuple[str, str] | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """The modal's state as Slack sends it on submit."""
    ids = AnnounceIds

    def entry(block: AnnounceIds, element: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return block.value, {block.value: element}

    label, url = link or ("", "")
    return dict(
        [
            entry(ids.PROGRAM, _select(str(program_id))),
            entry(ids.AUDIENCE, _select(audience)),
            entry(ids.PEOPLE, {"type": "multi_users_select", "selected_users": people or []}),
            entry(
                ids.CHANNEL,
                {"type": "conversations_select", "selected_conversation": channel},
            ),
            entry(ids.TEXT, {"type": "plain_text_input", "value": text}),
            entry(ids.LINK_LABEL, {"type": "plain_text_input", "value": label or None}),
            entry(ids.LINK_URL, {"type": "plain_text_input", "value": url or None}),
            entry(ids.WHEN, _select(when)),
            entry(ids.DATE, {"type": "datepicker", "selected_date": day}),
            entry(ids.TIME, {"type": "timepicker", "selected_time": hour}),
        ]
    )


def open_announce_modal(
    slack: SlackRequests, emulator: SlackEmulator, text: str = "admin announce"
) -> dict[str, Any]:
    before = len(emulator.calls("views.open"))
    response = slack.command(text, user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert response.status_code == 200
    call = emulator.wait_for("views.open", before + 1)[before]
    assert call.ok, call.response
    return dict(call.response["view"])


def submit_announcement(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    user: str = COORDINATOR,
) -> dict[str, Any] | None:
    """Submit the modal; the ack's body when it answered with errors or an update."""
    response = submit_view(slack, user=user, view=view, view_id=view["id"], values=values)
    assert response.status_code == 200
    app_server.wait_idle()
    return json.loads(response.text) if response.text else None


def preview(emulator: SlackEmulator, runtime: Runtime, announcement_id: int) -> dict[str, Any]:
    """The preview (later the report) in the admin channel as last edited: the message
    whose ts the announcement keeps."""
    with runtime.unit_of_work() as session:
        ts = session.get(Announcement, announcement_id).preview_ts
    for message in emulator.messages(ADMIN_CHANNEL):
        if message.get("ts") == ts:
            return message
    raise AssertionError("no preview for that announcement")


def message_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks")) + message.get("text", "")


def press(
    slack: SlackRequests,
    app_server: AppServer,
    action: AnnounceIds,
    announcement_id: int,
    *,
    user: str = COORDINATOR,
    channel: str = ADMIN_CHANNEL,
    wait: bool = True,
) -> Any:
    response = click(
        slack,
        user=user,
        action_id=action.value,
        value=str(announcement_id),
        channel=channel,
        block_id="announce-decision",
    )
    assert response.status_code == 200
    if wait:
        app_server.wait_idle()
    return response


def announcements(runtime: Runtime) -> list[Announcement]:
    with runtime.unit_of_work() as session:
        return list(session.scalars(select(Announcement).order_by(Announcement.id)))


def copies(runtime: Runtime, kind: str = "announcement") -> list[Delivery]:
    with runtime.unit_of_work() as session:
        return list(
            session.scalars(select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id))
        )


def audit_actions(runtime: Runtime) -> list[tuple[str, str]]:
    with runtime.unit_of_work() as session:
        return [
            (row.action, row.outcome.value)
            for row in session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]


def received(emulator: SlackEmulator) -> Counter[str]:
    """Posts that reached a person's DM, counted per user id."""
    conversations = emulator.workspace.conversations
    out: Counter[str] = Counter()
    for call in emulator.calls("chat.postMessage"):
        if not call.ok:
            continue
        conversation = conversations.get(call.args["channel"]) or {}
        if conversation.get("is_im"):
            out[conversation["user"]] += 1
    return out


def texts_to(emulator: SlackEmulator, user_id: str) -> list[str]:
    conversations = emulator.workspace.conversations
    return [
        call.args["text"]
        for call in emulator.calls("chat.postMessage")
        if call.ok and (conversations.get(call.args["channel"]) or {}).get("user") == user_id
    ]


def bulk_participants(
    runtime: Runtime,
    emulator: SlackEmulator,
    *,
    program_id: int,
    count: int,
    zones: tuple[str, ...] = ("Europe/Berlin", "America/New_York", "Asia/Tokyo"),
    without_dm: frozenset[int] = frozenset(),
) -> list[str]:
    """`count` enrolled people (half seniors) in one transaction, each with the DM the bot
    already has with them (as after their enrolment confirmation); their user ids."""
    from datetime import time

    from models import DmChannel, Member, Participant
    from models.enums import Role

    user_ids = [f"U0B{index:07d}" for index in range(count)]
    with runtime.unit_of_work() as session:
        for index, user_id in enumerate(user_ids):
            tz = zones[index % len(zones)]
            emulator.add_user(user_id, name=user_id.lower(), real_name=f"Person {index}", tz=tz)
            member = Member(
                workspace_id=runtime.workspace_id,
                slack_user_id=user_id,
                display_name=f"Person{index} Example",
                timezone=tz,
            )
            session.add(member)
            session.flush()
            session.add(
                Participant(
                    program_id=program_id,
                    member_id=member.id,
                    role=Role.SENIOR if index % 2 else Role.JUNIOR,
                    department="IT",
                    can_share=["AI tools"],
                    wants_to_learn=["Strategy"],
                    languages=["en"],
                    work_start=time(9),
                    work_end=time(17),
                )
            )
            if index in without_dm:
                continue
            channel, _ = emulator.workspace.open_im(user_id)
            session.add(
                DmChannel(
                    workspace_id=runtime.workspace_id, members_key=user_id, channel_id=channel
                )
            )
    return user_ids
