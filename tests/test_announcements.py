"""`/mentor admin announce`: modal, preview as one real recipient sees it, Send / Edit /
Cancel, copies sent once each through the outbox, and a report edited in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.announcements import AnnounceIds
from models.enums import Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.announcement_flows import (
    announce_values,
    announcements,
    audit_actions,
    copies,
    message_text,
    open_announce_modal,
    press,
    preview,
    received,
    submit_announcement,
    texts_to,
)
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, enrol, make_program
from tests.support.slack_requests import SlackRequests

NOW = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
TEXT = "Hi {first_name}! News from {program}. Say hello to {partner}."


def _person(runtime, emulator, program_id: int, user_id: str, role: Role, tz: str) -> int:
    return enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id=user_id,
        role=role,
        department="IT",
        can_share=["AI tools"],
        wants_to_learn=["Strategy"],
        timezone=tz,
    )


def test_preview_send_twice_placeholders_link_and_list(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="Spring cohort")
    active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=("U0JANN0001", "Europe/Berlin", 9, 17),
        senior=("U0SANN0001", "America/New_York", 9, 17),
        started_at=NOW - timedelta(days=3),
    )
    _person(runtime, emulator, program_id, "U0JANN0002", Role.JUNIOR, "Asia/Tokyo")

    view = open_announce_modal(slack, emulator, "admin announce spring cohort")
    # An unknown placeholder and a bad link are refused, field by field; nothing is stored.
    bad = announce_values(
        program_id=program_id, text="Hi {firstname}", link=("Read", "javascript:alert(1)")
    )
    answer = submit_announcement(slack, emulator, app_server, view, bad)
    assert answer is not None and answer["response_action"] == "errors"
    assert "{firstname}" in answer["errors"][AnnounceIds.TEXT]
    assert AnnounceIds.LINK_URL in answer["errors"]
    assert announcements(runtime) == []

    good = announce_values(
        program_id=program_id,
        text=TEXT,
        audience="juniors",
        link=("Read the guide", "https://example.com/guide"),
    )
    assert submit_announcement(slack, emulator, app_server, view, good) is None
    (announcement,) = announcements(runtime)
    shown = message_text(preview(emulator, announcement.id))
    assert "2 recipients" in shown
    assert "Hi Person! News from Spring cohort. Say hello to <@U0SANN0001>." in shown  # U0JANN0001
    assert "https://example.com/guide" in shown
    assert received(emulator) == {}  # a preview goes to nobody

    # Two Send clicks back to back: one set of copies.
    press(slack, app_server, AnnounceIds.SEND, announcement.id, wait=False)
    press(slack, app_server, AnnounceIds.SEND, announcement.id)
    assert received(emulator) == {"U0JANN0001": 1, "U0JANN0002": 1}
    (paired,) = texts_to(emulator, "U0JANN0001")
    assert paired == "Hi Person! News from Spring cohort. Say hello to <@U0SANN0001>."
    (waiting,) = texts_to(emulator, "U0JANN0002")
    assert "Say hello to your partner (once you're matched)." in waiting
    final = [m for m in emulator.messages(ADMIN_CHANNEL) if "Sent:" in m.get("text", "")]
    assert len(final) == 1 and "done" in final[0]["text"] and "Sent: 2 of 2" in final[0]["text"]
    assert [a.status.value for a in announcements(runtime)] == ["done"]
    assert len(copies(runtime)) == 2

    response = slack.command("admin announcements", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert response.status_code == 200
    app_server.wait_idle()
    listed = emulator.responses("slash")[-1]["text"]
    assert "Spring cohort" in listed and "done, 2/2 sent" in listed
    actions = [a for a, outcome in audit_actions(runtime) if outcome == "ok"]
    assert {"admin.announce", "admin.announce.send"} <= set(actions)
