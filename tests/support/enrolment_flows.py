"""Enrolment payloads built like Slack builds them, plus rows a test needs to start from."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.slack_emulator import SlackEmulator
from bot.topics import LANGUAGES
from bot.views.enrolment import JoinIds, LeaveIds
from models import Member, Pair, Participant, Program
from models.enums import Cadence, PairStatus, ProgramStatus
from tests.support.flows import wait_until
from tests.support.slack_requests import TEAM_ID, SlackRequests

LANGUAGE_NAMES = dict(LANGUAGES)


# -- rows -----------------------------------------------------------------------------------


def create_program(
    runtime: Runtime,
    name: str = "Spring cohort",
    *,
    status: ProgramStatus = ProgramStatus.ENROLLING,
    deadline: date | None = None,
) -> int:
    """A program inserted directly (program creation is another feature)."""
    with runtime.unit_of_work() as session:
        program = Program(
            workspace_id=runtime.workspace_id,
            name=name,
            status=status,
            starts_on=date.today() + timedelta(days=7),
            length_weeks=12,
            rotation_weeks=4,
            cadence=Cadence.BIWEEKLY,
            session_minutes=30,
            enrolment_deadline=deadline,
        )
        session.add(program)
        session.flush()
        return program.id


def participants(runtime: Runtime, user_id: str | None = None) -> list[Participant]:
    with runtime.unit_of_work() as session:
        query = select(Participant).join(Member, Member.id == Participant.member_id)
        if user_id:
            query = query.where(Member.slack_user_id == user_id)
        return list(session.scalars(query.order_by(Participant.id)))


def member(runtime: Runtime, user_id: str) -> Member | None:
    with runtime.unit_of_work() as session:
        return session.scalar(select(Member).where(Member.slack_user_id == user_id))


def add_pair(
    runtime: Runtime, *, program_id: int, senior_id: int, junior_id: int, round: int = 1
) -> int:
    with runtime.unit_of_work() as session:
        pair = Pair(
            program_id=program_id,
            round=round,
            senior_id=senior_id,
            junior_id=junior_id,
            status=PairStatus.ACTIVE,
            started_at=datetime.now(UTC),
        )
        session.add(pair)
        session.flush()
        return pair.id


def pair(runtime: Runtime, pair_id: int) -> Pair:
    with runtime.unit_of_work() as session:
        found = session.get(Pair, pair_id)
        assert found is not None
        return found


# -- view state and payloads ----------------------------------------------------------------


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value}


def join_values(
    *,
    role: str = "junior",
    department: str = "Design",
    can_share: tuple[str, ...] = ("AI tools", "Social media"),
    can_share_notes: str | None = None,
    wants_to_learn: tuple[str, ...] = ("Strategy",),
    wants_to_learn_notes: str | None = None,
    start: str | None = "09:00",
    end: str | None = "17:00",
    languages: tuple[str, ...] = ("en",),
    avoid: tuple[str, ...] = (),
    program_id: int | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """`view.state.values` as Slack sends it for the join/profile modal."""

    def entry(block: JoinIds, element: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return block.value, {block.value: element}

    values = dict(
        [
            entry(
                JoinIds.ROLE,
                {"type": "radio_buttons", "selected_option": _option(role.title(), role)},
            ),
            entry(JoinIds.DEPARTMENT, {"type": "plain_text_input", "value": department}),
            entry(
                JoinIds.CAN_SHARE,
                {
                    "type": "multi_static_select",
                    "selected_options": [_option(t, t) for t in can_share],
                },
            ),
            entry(JoinIds.CAN_SHARE_NOTES, {"type": "plain_text_input", "value": can_share_notes}),
            entry(
                JoinIds.WANTS_TO_LEARN,
                {
                    "type": "multi_static_select",
                    "selected_options": [_option(t, t) for t in wants_to_learn],
                },
            ),
            entry(
                JoinIds.WANTS_TO_LEARN_NOTES,
                {"type": "plain_text_input", "value": wants_to_learn_notes},
            ),
            entry(JoinIds.WORK_START, {"type": "timepicker", "selected_time": start}),
            entry(JoinIds.WORK_END, {"type": "timepicker", "selected_time": end}),
            entry(
                JoinIds.LANGUAGES,
                {
                    "type": "multi_static_select",
                    "selected_options": [_option(LANGUAGE_NAMES[c], c) for c in languages],
                },
            ),
            entry(JoinIds.AVOID, {"type": "multi_users_select", "selected_users": list(avoid)}),
        ]
    )
    if program_id is not None:
        selected = _option(f"Program {program_id}", str(program_id))
        values.update(
            [entry(JoinIds.PROGRAM, {"type": "static_select", "selected_option": selected})]
        )
    return values


def _user(user_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID}


def view_submission(view: dict[str, Any], *, user: str, values: dict[str, Any]) -> dict[str, Any]:
    """The `view_submission` payload for a modal the app opened (as views.open returned it)."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "twoway-test"},
        "user": _user(user),
        "api_app_id": "A0TWOWAY01",
        "token": "legacy-verification-token",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}",
        "view": {**view, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def button_click(
    *,
    user: str,
    action_id: str,
    value: str,
    response_url: str,
    block_id: str = LeaveIds.ACTIONS.value,
    channel: str = "C0GENERAL1",
) -> dict[str, Any]:
    """A `block_actions` payload for a button in an ephemeral message."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "twoway-test"},
        "user": _user(user),
        "api_app_id": "A0TWOWAY01",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": f"{time.time():.6f}",
            "channel_id": channel,
            "is_ephemeral": True,
        },
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}",
        "channel": {"id": channel, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": "Leave", "emoji": True},
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def user_change_event(emulator: SlackEmulator, user_id: str, **fields: Any) -> dict[str, Any]:
    """A `user_change` event carrying the user object as Slack would (after an update)."""
    user = emulator.update_user(user_id, **fields)
    return {"type": "user_change", "user": user, "cache_ts": int(time.time())}


# -- waiting for what the app does after its ack --------------------------------------------


def wait_responses(
    emulator: SlackEmulator, count: int, label: str = "slash", timeout: float = 5.0
) -> list[dict[str, Any]]:
    """Bodies posted to response URLs with `label`, once there are at least `count`
    (callers that must rule out more use `app_server.wait_idle()` and count exactly)."""
    wait_until(lambda: len(emulator.responses(label)) >= count, timeout=timeout)
    return emulator.responses(label)


def dms_to(emulator: SlackEmulator, user_id: str) -> list[str]:
    """Texts the bot sent with `chat.postMessage(channel=user_id)`."""
    return [
        c.args["text"] for c in emulator.calls("chat.postMessage") if c.args["channel"] == user_id
    ]


def open_join_modal(
    slack: SlackRequests, emulator: SlackEmulator, text: str = "join", *, user: str
) -> dict[str, Any]:
    """Run a command that opens the modal; return the view as views.open answered it."""
    before = len(emulator.calls("views.open"))
    response = slack.command(text, user=user)
    assert response.status_code == 200
    call = emulator.wait_for("views.open", before + 1)[before]
    assert call.ok, call.response
    return dict(call.response["view"])


def enrol(
    slack: SlackRequests,
    emulator: SlackEmulator,
    *,
    user: str,
    text: str = "join",
    **answers: Any,
) -> dict[str, Any]:
    """Open the modal, submit valid answers and wait for the confirmation DM."""
    view = open_join_modal(slack, emulator, text, user=user)
    before = len(dms_to(emulator, user))
    response = slack.interaction(view_submission(view, user=user, values=join_values(**answers)))
    assert response.status_code == 200
    assert not response.text or json.loads(response.text).get("response_action") is None
    wait_until(lambda: len(dms_to(emulator, user)) > before, timeout=5.0)
    return view
