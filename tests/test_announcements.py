"""`/mentor admin announce`: modal, preview as one real recipient sees it, Send / Edit /
Cancel, copies sent once each through the outbox, and a report edited in place."""

from __future__ import annotations

import json
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
    assert answer is not None
    assert answer["response_action"] == "errors"
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
    shown = message_text(preview(emulator, runtime, announcement.id))
    assert "2 recipients" in shown
    assert "Hi Person! News from Spring cohort. Say hello to <@U0SANN0001>." in shown  # U0JANN0001
    assert "https://example.com/guide" in shown
    assert received(emulator) == {}  # a preview goes to nobody

    # Edit: the modal again, filled in; the preview is redrawn in place.
    before = len(emulator.calls("views.open"))
    press(slack, app_server, AnnounceIds.EDIT, announcement.id)
    edit_view = emulator.calls("views.open")[before].response["view"]
    assert edit_view["private_metadata"] == str(announcement.id)
    assert TEXT in json.dumps(edit_view)
    edited = announce_values(
        program_id=program_id,
        text="Edited: " + TEXT,
        audience="juniors",
        link=("Read the guide", "https://example.com/guide"),
    )
    assert submit_announcement(slack, emulator, app_server, edit_view, edited) is None
    assert len(announcements(runtime)) == 1
    assert "Edited: Hi Person!" in message_text(preview(emulator, runtime, announcement.id))

    # Two Send clicks back to back: one set of copies.
    press(slack, app_server, AnnounceIds.SEND, announcement.id, wait=False)
    press(slack, app_server, AnnounceIds.SEND, announcement.id)
    assert received(emulator) == {"U0JANN0001": 1, "U0JANN0002": 1}
    (paired,) = texts_to(emulator, "U0JANN0001")
    assert paired == "Edited: Hi Person! News from Spring cohort. Say hello to <@U0SANN0001>."
    (waiting,) = texts_to(emulator, "U0JANN0002")
    assert "Say hello to your partner (once you're matched)." in waiting
    final = [m for m in emulator.messages(ADMIN_CHANNEL) if "Sent:" in m.get("text", "")]
    assert len(final) == 1
    assert "done" in final[0]["text"]
    assert "Sent: 2 of 2" in final[0]["text"]
    assert [a.status.value for a in announcements(runtime)] == ["done"]
    assert len(copies(runtime)) == 2

    response = slack.command("admin announcements", user=COORDINATOR, channel=ADMIN_CHANNEL)
    assert response.status_code == 200
    app_server.wait_idle()
    listed = emulator.responses("slash")[-1]["text"]
    assert "Spring cohort" in listed
    assert "done, 2/2 sent" in listed
    actions = [a for a, outcome in audit_actions(runtime) if outcome == "ok"]
    assert {"admin.announce", "admin.announce.send"} <= set(actions)


def _pause(runtime, user_id: str) -> None:
    from sqlalchemy import select

    from models import Member, Participant
    from models.enums import ParticipantStatus

    with runtime.unit_of_work() as session:
        participant = session.scalar(
            select(Participant)
            .join(Member, Member.id == Participant.member_id)
            .where(Member.slack_user_id == user_id)
        )
        participant.status = ParticipantStatus.PAUSED


def test_two_hundred_people_once_with_two_workers_a_deactivated_and_a_paused_one(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, settings
) -> None:
    """Scheduled for a fixed instant; Send clicked twice; at that instant two outbox workers
    (two runtimes, as two processes would be) race over the copies: each person gets one."""
    import threading

    from bot.outbox.engine import drain
    from bot.runtime import bootstrap_workspace, build_runtime
    from handlers import discover_features
    from tests.support.announcement_flows import bulk_participants
    from tests.support.app_server import UNPACED

    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="Big cohort")
    everyone = bulk_participants(
        runtime, emulator, program_id=program_id, count=200, without_dm=frozenset({7})
    )
    gone, paused = everyone[7], everyone[42]
    emulator.deactivate_user(gone)
    _pause(runtime, paused)

    view = open_announce_modal(slack, emulator)
    values = announce_values(
        program_id=program_id,
        text="Dear {first_name}, {program} meets on Friday.",
        when="instant",
        day="2030-03-05",
        hour="12:00",  # the coordinator is in Europe/London: 12:00 UTC in March
    )
    assert submit_announcement(slack, emulator, app_server, view, values) is None
    (announcement,) = announcements(runtime)
    assert "200 recipients" in message_text(preview(emulator, runtime, announcement.id))
    press(slack, app_server, AnnounceIds.SEND, announcement.id, wait=False)
    press(slack, app_server, AnnounceIds.SEND, announcement.id)
    assert len(copies(runtime)) == 200
    assert received(emulator) == {}
    assert "scheduled" in preview(emulator, runtime, announcement.id)["text"]

    at = datetime(2030, 3, 5, 12, 0, tzinfo=UTC)
    run_tick(runtime, at - timedelta(minutes=1))  # not yet
    assert received(emulator) == {}
    workers = []
    for _ in range(2):
        worker = build_runtime(settings, features=discover_features())
        worker.pacing = UNPACED
        bootstrap_workspace(worker)
        workers.append(worker)
    threads = [threading.Thread(target=drain, args=(w, at)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.close()
    run_tick(runtime, at + timedelta(minutes=1))  # settles the report

    got = received(emulator)
    assert set(got.values()) == {1}  # nobody twice
    assert set(got) == set(everyone) - {gone, paused}  # nobody lost
    (text,) = texts_to(emulator, everyone[0])
    assert text == "Dear Person0, Big cohort meets on Friday."
    report = preview(emulator, runtime, announcement.id)["text"]
    assert "done" in report
    assert "Sent: 198 of 200" in report
    assert "Skipped: 1 (1 paused)" in report
    assert "Failed: 1 (1 deactivated account" in report
    assert [a.status.value for a in announcements(runtime)] == ["done"]


def test_a_scheduled_announcement_cancelled_before_it_goes(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="Quiet cohort")
    _person(runtime, emulator, program_id, "U0JCAN0001", Role.JUNIOR, "Europe/Berlin")
    view = open_announce_modal(slack, emulator)
    values = announce_values(
        program_id=program_id, text="Later", when="instant", day="2030-03-04", hour="15:00"
    )
    submit_announcement(slack, emulator, app_server, view, values)
    (announcement,) = announcements(runtime)
    press(slack, app_server, AnnounceIds.SEND, announcement.id)
    press(slack, app_server, AnnounceIds.CANCEL, announcement.id)
    run_tick(runtime, NOW + timedelta(hours=6))
    assert received(emulator) == {}
    (row,) = copies(runtime)
    assert (row.status.value, row.last_error) == ("cancelled", "announcement cancelled")
    report = preview(emulator, runtime, announcement.id)["text"]
    assert "cancelled" in report
    assert "Sent: 0 of 1" in report
    assert "Not sent (cancelled): 1" in report
    assert ("admin.announce.cancel", "ok") in audit_actions(runtime)


def test_nine_in_the_morning_in_each_persons_own_timezone(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="World cohort")
    zones = {
        "U0JTZT0001": "Asia/Tokyo",
        "U0JTZB0001": "Europe/Berlin",
        "U0JTZN0001": "America/New_York",
    }
    for user_id, tz in zones.items():
        _person(runtime, emulator, program_id, user_id, Role.JUNIOR, tz)
    view = open_announce_modal(slack, emulator)
    values = announce_values(
        program_id=program_id,
        text="Good morning {first_name}",
        when="local",
        day="2030-03-06",
        hour="09:00",
    )
    submit_announcement(slack, emulator, app_server, view, values)
    (announcement,) = announcements(runtime)
    press(slack, app_server, AnnounceIds.SEND, announcement.id)
    assert received(emulator) == {}

    def who() -> set[str]:
        return set(received(emulator))

    run_tick(runtime, datetime(2030, 3, 5, 23, 59, tzinfo=UTC))
    assert who() == set()
    run_tick(runtime, datetime(2030, 3, 6, 0, 0, tzinfo=UTC))  # 09:00 in Tokyo
    assert who() == {"U0JTZT0001"}
    assert "sending" in preview(emulator, runtime, announcement.id)["text"]
    run_tick(runtime, datetime(2030, 3, 6, 7, 59, tzinfo=UTC))
    assert who() == {"U0JTZT0001"}
    run_tick(runtime, datetime(2030, 3, 6, 8, 0, tzinfo=UTC))  # 09:00 in Berlin (CET)
    assert who() == {"U0JTZT0001", "U0JTZB0001"}
    run_tick(runtime, datetime(2030, 3, 6, 14, 0, tzinfo=UTC))  # 09:00 in New York (EST)
    assert received(emulator) == dict.fromkeys(zones, 1)
    assert "done" in preview(emulator, runtime, announcement.id)["text"]


def test_refused_to_non_coordinators_and_outside_the_admin_channel(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    program_id = make_program(runtime, name="Guarded cohort")
    _person(runtime, emulator, program_id, "U0JGRD0001", Role.JUNIOR, "Europe/Berlin")
    for user, channel in (("U0JUNIOR01", ADMIN_CHANNEL), (COORDINATOR, "C0GENERAL1")):
        for text in ("admin announce", "admin announcements", "admin invite <#C0GENERAL1|general>"):
            response = slack.command(text, user=user, channel=channel)
            assert response.status_code == 200
    app_server.wait_idle()
    assert emulator.calls("views.open") == []
    assert announcements(runtime) == []
    assert copies(runtime, "invitation") == []
    # A coordinator's draft, then a participant presses its Send: refused, nothing planned.
    view = open_announce_modal(slack, emulator)
    submit_announcement(
        slack, emulator, app_server, view, announce_values(program_id=program_id, text="Hi")
    )
    (announcement,) = announcements(runtime)
    press(slack, app_server, AnnounceIds.SEND, announcement.id, user="U0JUNIOR01")
    answer = submit_announcement(
        slack,
        emulator,
        app_server,
        view,
        announce_values(program_id=program_id, text="Sneaky"),
        user="U0JUNIOR01",
    )
    assert answer is not None
    assert answer["response_action"] == "update"
    assert [a.status.value for a in announcements(runtime)] == ["draft"]
    assert copies(runtime) == []
    assert received(emulator) == {}
    denied = [action for action, outcome in audit_actions(runtime) if outcome == "denied"]
    assert denied.count("admin.announce") == 3  # two commands and the participant's form
    assert {"admin.announcements", "admin.invite", "admin.announce.send"} <= set(denied)
