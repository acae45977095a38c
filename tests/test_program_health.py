"""`/mentor admin status`: the health of a program with stalled pairs, uneven sides and a
survey about to close; each insight's button does what it says (once), nothing private
ever shows; and the stall digest gathers one tick's stalled pairs into one message."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.services.feedback import FeedbackParts, give_feedback
from bot.services.learnings import add_learning
from bot.services.sessions import record_held, record_skip
from bot.slack_emulator import SlackEmulator
from bot.views.invitations import InviteIds
from bot.views.matching import MatchIds
from bot.views.program_health import HealthIds
from bot.views.stalls import StallDigestIds
from models import AuditLog, Delivery, Pair, Participant, Survey, SurveyResponse
from models.enums import Cadence, Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, enrol, make_program
from tests.support.flows import matched_pair, wait_until
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
NOW = START + timedelta(days=24, hours=6)  # three whole weeks after the start
MARKERS = ("zq9skip", "zq9learning", "zq9feedback", "zq9reflection")


def _person(prefix: str, index: int) -> tuple[str, str, int, int]:
    return (f"U0{prefix}{index:06d}", "Europe/Berlin", 8, 18)


def _accessories(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """action id -> value of each section's button."""
    return {
        b["accessory"]["action_id"]: b["accessory"]["value"]
        for b in blocks
        if b.get("type") == "section" and "accessory" in b
    }


def _posts(emulator: SlackEmulator, start: str) -> list[Any]:
    return [
        c for c in emulator.calls("chat.postMessage") if c.ok and c.args["text"].startswith(start)
    ]


def _status(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer) -> dict:
    before = len(emulator.responses())
    slack.command("admin status Health", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    (answer,) = emulator.responses()[before:]
    return answer


def _press(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, action: str, value: str
) -> str:
    before = len(emulator.responses())
    click(slack, user=COORDINATOR, action_id=action, value=value)
    app_server.wait_idle()
    (answer,) = emulator.responses()[before:]
    return str(answer.get("text", ""))


def _audited(app_server: AppServer) -> list[tuple[str, str]]:
    with app_server.runtime.unit_of_work() as session:
        return [
            (a.action, a.outcome.value)
            for a in session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]


def test_status_insights_act_once_and_show_nothing_private(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(
        runtime, name="Health", starts_on=START.date(), cadence=Cadence.WEEKLY
    )
    pairs = [
        active_pair(
            runtime,
            emulator,
            program_id=program_id,
            junior=_person("HJ", i),
            senior=_person("HS", i),
            started_at=START,
        )
        for i in range(3)
    ]
    waiting = [_person("HW", i)[0] for i in range(3)]
    for user_id in waiting:  # three juniors more than seniors: uneven sides
        enrol(
            runtime,
            emulator,
            program_id=program_id,
            user_id=user_id,
            role=Role.JUNIOR,
            department="IT",
            can_share=["AI tools"],
            wants_to_learn=["Strategy"],
        )
    with runtime.unit_of_work() as session:
        people = {p.id: p for p in session.scalars(select(Participant).order_by(Participant.id))}
        first = session.get(Pair, pairs[0][0])
        assert first is not None
        record_held(
            session, pair_id=first.id, held_at=NOW - timedelta(days=1), minutes=40, source="nudge"
        )
        second = session.get(Pair, pairs[1][0])
        assert second is not None
        record_skip(
            session,
            pair_id=second.id,
            by_participant_id=second.senior_id,
            reason="travelling zq9skip",
            at=START + timedelta(days=3),
        )
        add_learning(session, participant_id=first.junior_id, text="pivot tables zq9learning")
        give_feedback(
            session,
            pair_id=first.id,
            from_id=first.junior_id,
            to_ids=[first.senior_id],
            session_id=None,
            parts=FeedbackParts(what="clear zq9feedback", effect="faster", suggestion="more"),
        )
        survey = Survey(
            program_id=program_id,
            kind="quarterly",
            period="q1",
            opens_at=NOW - timedelta(days=12),
            closes_at=NOW + timedelta(days=2),
        )
        session.add(survey)
        session.flush()
        session.add(
            SurveyResponse(
                survey_id=survey.id,
                participant_id=first.junior_id,
                likert={"dialogue": 4},
                reflections={"surprised": "so much zq9reflection"},
                submitted_at=NOW - timedelta(days=2),
            )
        )
        survey_id, answered_by = survey.id, first.junior_id
        assert len(people) == 9

    answer = _status(slack, emulator, app_server)
    dumped = json.dumps(answer)
    assert not [m for m in MARKERS if m in dumped]  # counts only, never texts
    text = "\n".join(b["text"]["text"] for b in answer["blocks"] if b.get("text"))
    assert "1 on track · 0 at risk (one missed period) · 2 stalled" in text
    assert "3 juniors (joined after the last round was matched)" in text
    assert "juniors: 6 active" in text
    assert "seniors: 3 active" in text
    assert "1 held of 3 expected, 40 minutes on average" in text
    assert "11 % answered (1 of 9)" in text
    assert "rotation preview on" in text
    assert "next survey around" in text
    buttons = _accessories(answer["blocks"])
    assert set(buttons) == {
        HealthIds.INVITE_SENIORS,
        HealthIds.REMIND_STALLED,
        HealthIds.REMIND_SURVEY,
    }
    assert "3 juniors more than seniors are waiting" in text
    assert "2 pairs have stalled" in text
    assert "closes in 2 days with 11 % answered: remind the 8 who have not" in text

    posts_before = len(emulator.calls("chat.postMessage"))
    opened_before = len(emulator.calls("views.open"))
    click(
        slack,
        user=COORDINATOR,
        action_id=HealthIds.INVITE_SENIORS,
        value=buttons[HealthIds.INVITE_SENIORS],
    )
    app_server.wait_idle()
    (opened,) = emulator.calls("views.open")[opened_before:]
    invite_modal = opened.json("view")
    assert invite_modal["callback_id"] == InviteIds.CALLBACK
    program_select = next(
        b["element"] for b in invite_modal["blocks"] if b.get("block_id") == InviteIds.PROGRAM
    )
    assert program_select["initial_option"]["text"]["text"] == "Health"  # the program chosen
    assert len(emulator.calls("chat.postMessage")) == posts_before  # a form, nothing sent yet

    sent = _press(
        slack, emulator, app_server, HealthIds.REMIND_STALLED, buttons[HealthIds.REMIND_STALLED]
    )
    assert "2 reminders on the way" in sent
    reminders = _posts(emulator, "The coordinators are checking in")
    assert sorted(c.args["channel"] for c in reminders) == sorted([pairs[1][1], pairs[2][1]])
    again = _press(
        slack, emulator, app_server, HealthIds.REMIND_STALLED, buttons[HealthIds.REMIND_STALLED]
    )
    assert "reminded already" in again
    assert len(_posts(emulator, "The coordinators are checking in")) == 2

    sent = _press(slack, emulator, app_server, HealthIds.REMIND_SURVEY, str(survey_id))
    assert "8 reminders on the way" in sent
    survey_reminders = _posts(emulator, "Reminder: your")
    assert len(survey_reminders) == 8
    with runtime.unit_of_work() as session:  # those who answered get none
        reminded = set(
            session.scalars(
                select(Delivery.participant_id).where(Delivery.period == f"{survey_id}-coordinator")
            )
        )
    assert len(reminded) == 8
    assert answered_by not in reminded
    again = _press(slack, emulator, app_server, HealthIds.REMIND_SURVEY, str(survey_id))
    assert "reminded already" in again
    assert len(_posts(emulator, "Reminder: your")) == 8

    actions = _audited(app_server)
    for action in (
        "admin.status",
        "admin.insight.invite_seniors",
        "admin.insight.remind_stalled",
        "admin.insight.remind_survey",
    ):
        assert (action, "ok") in actions, actions

    # The audit listing shows who did what, never a text either.
    before = len(emulator.responses())
    slack.command("admin audit 10", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    (listing,) = emulator.responses()[before:]
    listed = json.dumps(listing)
    assert "admin.insight.remind_survey" in listed
    assert f"<@{COORDINATOR}>" in listed
    assert not [m for m in MARKERS if m in listed]

    # A participant presses an insight button: refused, audited, nothing sent.
    before_posts = len(emulator.calls("chat.postMessage"))
    before = len(emulator.responses())
    click(
        slack,
        user=waiting[0],
        action_id=HealthIds.REMIND_STALLED,
        value=buttons[HealthIds.REMIND_STALLED],
    )
    app_server.wait_idle()
    (refusal,) = emulator.responses()[before:]
    assert "for program coordinators" in refusal["text"]
    assert len(emulator.calls("chat.postMessage")) == before_posts
    assert ("admin.insight.remind_stalled", "denied") in _audited(app_server)


def test_stalls_of_one_tick_come_in_one_digest_with_a_working_button_per_pair(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(
        runtime, name="Digest", starts_on=START.date(), cadence=Cadence.WEEKLY
    )
    channels = {}
    for i in range(10):
        pair_id, channel = active_pair(
            runtime,
            emulator,
            program_id=program_id,
            junior=_person("DJ", i),
            senior=_person("DS", i),
            started_at=START,
        )
        channels[pair_id] = channel
    tick_at = START + timedelta(days=22, hours=2)  # three whole weeks without a session
    run_tick(runtime, tick_at)
    app_server.wait_idle()
    alerts = [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == ADMIN_CHANNEL and "without a session" in c.args["text"]
    ]
    assert len(alerts) == 1, [c.args["text"] for c in alerts]
    (digest,) = alerts
    assert "10 pairs have gone 3 or more periods without a session" in digest.args["text"]
    blocks = digest.json("blocks")
    assert len(blocks) <= 50
    buttons = [
        b["accessory"]["value"]
        for b in blocks
        if b.get("accessory", {}).get("action_id") == StallDigestIds.REMIND
    ]
    assert sorted(int(v) for v in buttons) == sorted(channels)
    with runtime.unit_of_work() as session:  # each pair's alert went out in that message
        told = session.execute(
            select(Delivery.status, Delivery.slack_ts).where(Delivery.kind == "admin_stall_alert")
        ).all()
    assert (
        sorted((status.value, ts) for status, ts in told) == [("sent", digest.response["ts"])] * 10
    )
    run_tick(runtime, tick_at + timedelta(days=1))  # the same stalls: never told again
    assert (
        len(
            [
                c
                for c in emulator.calls("chat.postMessage")
                if c.args.get("channel") == ADMIN_CHANNEL and "without a session" in c.args["text"]
            ]
        )
        == 1
    )

    runtime.clock = SettableClock(tick_at + timedelta(days=1, hours=1))
    for value in buttons:
        text = _press(slack, emulator, app_server, StallDigestIds.REMIND, value)
        assert "1 reminder on the way to this pair" in text
    reminders = _posts(emulator, "The coordinators are checking in")
    assert sorted(c.args["channel"] for c in reminders) == sorted(channels.values())
    assert "reminded already" in _press(
        slack, emulator, app_server, StallDigestIds.REMIND, buttons[0]
    )
    assert len(_posts(emulator, "The coordinators are checking in")) == 10
    assert _audited(app_server).count(("admin.stall_digest.remind", "ok")) == 11
    with runtime.unit_of_work() as session:  # this pair met since: nothing to remind
        record_held(
            session,
            pair_id=int(buttons[1]),
            held_at=tick_at + timedelta(days=1),
            minutes=25,
            source="nudge",
        )
    text = _press(slack, emulator, app_server, StallDigestIds.REMIND, buttons[1])
    assert "not stalled any more" in text
    assert len(_posts(emulator, "The coordinators are checking in")) == 10


def _latest_preview_button(emulator: SlackEmulator, action: str, after: int) -> tuple[str, str]:
    wait_until(
        lambda: any(
            c.ok and "preview" in c.args.get("text", "")
            for c in emulator.calls("chat.postMessage")[after:]
        )
    )
    preview = next(
        c
        for c in emulator.calls("chat.postMessage")[after:]
        if c.ok and "preview" in c.args["text"]
    )
    value = next(
        e["value"]
        for b in preview.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action
    )
    return value, preview.response["ts"]


def test_match_rotate_confirm_and_cancel_are_audited_and_previews_show_in_status(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    matched_pair(slack, emulator, app_server)
    app_server.wait_idle()
    assert ("match.preview", "ok") in _audited(app_server)
    assert ("match.confirm", "ok") in _audited(app_server)

    posts = len(emulator.calls("chat.postMessage"))
    slack.command("admin rotate", user=COORDINATOR, channel=ADMIN_CHANNEL)
    run_id, ts = _latest_preview_button(emulator, MatchIds.CANCEL, posts)
    app_server.wait_idle()
    before = len(emulator.responses())
    slack.command("admin status", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    (answer,) = emulator.responses()[before:]
    assert "1 match preview waiting for your decision" in json.dumps(answer)
    click(slack, user=COORDINATOR, action_id=MatchIds.CANCEL, value=run_id, message_ts=ts)
    app_server.wait_idle()
    actions = _audited(app_server)
    assert ("rotate.preview", "ok") in actions
    assert ("match.cancel", "ok") in actions
