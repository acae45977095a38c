"""Refusals leave a trace and nothing else: every refused admin attempt is audited (whatever
its words), a refused stranger gets no member row, a bad timezone from Slack is not stored,
and a pair's buttons open nothing for someone outside the pair.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.services.coordinators import NOT_COORDINATOR
from bot.services.members import ensure_member
from bot.services.pairs import pair_for_member
from bot.services.rhythm import current_period
from bot.slack_emulator import SlackEmulator
from models import AuditLog, Member
from models.enums import AuditOutcome
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.enrolment_flows import user_change_event
from tests.support.factories import active_pair, make_program
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests

GENERIC = "something went wrong"
LONG_WORD = "x" * 60


def _audit(app_server: AppServer) -> list[AuditLog]:
    with app_server.runtime.unit_of_work() as session:
        rows = list(session.scalars(select(AuditLog).order_by(AuditLog.id)))
        session.expunge_all()
        return rows


def _members(app_server: AppServer) -> int:
    with app_server.runtime.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Member)) or 0


def _texts(emulator: SlackEmulator, start: int) -> list[str]:
    return [r.get("text", "") for r in emulator.responses()[start:]]


REFUSED_ADMIN_ATTEMPTS = [  # (user, channel, text): the refused word is 60 characters
    ("U0STRANGE1", ADMIN_CHANNEL, f"admin program {LONG_WORD}"),
    ("U0STRANGE1", "C0GENERAL1", f"admin program show {LONG_WORD} {LONG_WORD}"),
    (COORDINATOR, "C0GENERAL1", f"admin program {LONG_WORD}"),
    ("U0STRANGE1", ADMIN_CHANNEL, f"admin match {LONG_WORD}"),
]


def test_a_refused_admin_attempt_is_always_audited(
    app_server: AppServer, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """The refused word is clipped to the column; the refusal is recorded and explained."""
    for n, (user, channel, text) in enumerate(REFUSED_ADMIN_ATTEMPTS):
        response = slack.command(text, user=user, channel=channel)
        app_server.wait_idle()
        assert response.status_code == 200
        [answer] = _texts(emulator, n)
        assert GENERIC not in answer.lower(), text
        assert answer == NOT_COORDINATOR or "only in the admin channel" in answer
        row = _audit(app_server)[n]
        assert row.outcome == AuditOutcome.DENIED
        assert row.actor_user_id == user
        assert row.action.startswith("admin.")
        assert len(row.action) <= 64
    assert len(_audit(app_server)) == len(REFUSED_ADMIN_ATTEMPTS)
    assert _members(app_server) == 0  # not even the coordinator refused outside the channel


def test_refused_strangers_leave_no_member_rows(
    app_server: AppServer, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """20 strangers try an admin command: 20 audit rows, no member row, 20 users.info.

    A stranger (no member row, not in TWOWAY_COORDINATORS nor the coordinators table) could
    still be a coordinator as a Slack admin, which only Slack knows: their profile is read
    (users.info, once per attempt) and stored only if it lets them in. Known members without
    the admin flag are refused from the database alone (a promotion would have reached us
    as a `user_change` event), so their 5 attempts call nothing.
    """
    strangers = [f"U0STRANGE{n:02d}" for n in range(20)]
    for user_id in strangers:
        emulator.add_user(user_id, name=user_id.lower(), tz="Europe/Paris")
    known = [f"U0KNOWN{n:03d}" for n in range(5)]
    with app_server.runtime.unit_of_work() as session:
        for user_id in known:
            ensure_member(
                session, workspace_id=app_server.runtime.workspace_id or 0, user_id=user_id
            )
    members_before = _members(app_server)
    for user_id in strangers + known:
        assert slack.command("admin program list", user=user_id, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    assert _texts(emulator, 0) == [NOT_COORDINATOR] * 25
    audited = _audit(app_server)
    assert sorted(r.actor_user_id or "" for r in audited) == sorted(strangers + known)
    assert {r.outcome for r in audited} == {AuditOutcome.DENIED}
    assert _members(app_server) == members_before
    assert sorted(c.args["user"] for c in emulator.calls("users.info")) == strangers


def test_a_slack_admin_stranger_is_still_a_coordinator(
    app_server: AppServer, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """The control: a workspace admin unknown to twoway is recognised (and then stored)."""
    emulator.add_user("U0WSADMIN1", name="ada", is_admin=True)
    slack.command("admin program list", user="U0WSADMIN1", channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    [answer] = _texts(emulator, 0)
    assert answer != NOT_COORDINATOR
    assert AuditOutcome.DENIED not in {r.outcome for r in _audit(app_server)}
    assert _members(app_server) == 1


def test_a_bad_timezone_from_slack_is_not_stored(
    app_server: AppServer, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """`user_change` with "Mars/Olympus": the known timezone stays, admin commands work."""
    slack.command("admin program list", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    event = user_change_event(emulator, COORDINATOR, real_name="Cora C.")
    event["user"] = {**event["user"], "tz": "Mars/Olympus"}  # the emulator only keeps real zones
    assert slack.event(event).status_code == 200
    app_server.wait_idle()
    with app_server.runtime.unit_of_work() as session:
        member = session.scalar(select(Member).where(Member.slack_user_id == COORDINATOR))
        assert member is not None
        assert (member.timezone, member.display_name) == ("Europe/London", "Cora C.")
    answered = len(emulator.responses())
    slack.command("admin program list", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    assert not [t for t in _texts(emulator, answered) if GENERIC in t.lower()]


def test_the_skip_form_opens_only_for_the_pair(
    app_server: AppServer, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    runtime = app_server.runtime
    started = runtime.clock.now() - timedelta(days=3)
    program_id = make_program(runtime, name="Skips", starts_on=started.date())
    pair_id, channel = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=("U0SKJUN001", "Europe/Berlin", 9, 17),
        senior=("U0SKSEN001", "America/New_York", 9, 17),
        started_at=started,
    )
    with runtime.unit_of_work() as session:
        pair, _ = pair_for_member(session, pair_id=pair_id, user_id="U0SKJUN001")
    value = f"{pair_id}:{current_period(pair, runtime.clock.now()).key}"
    click(slack, user="U0OUTSIDE1", channel=channel, action_id="rhythm-skip", value=value)
    app_server.wait_idle()
    assert emulator.calls("views.open") == []
    [answer] = _texts(emulator, 0)
    assert "another pair" in answer
    click(slack, user="U0SKJUN001", channel=channel, action_id="rhythm-skip", value=value)
    app_server.wait_idle()
    assert len(emulator.calls("views.open")) == 1


def test_a_bad_timezone_stored_earlier_is_read_as_utc(
    app_server: AppServer, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """A row written before the check: the caller's day is UTC's, no command breaks."""
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Zones")
    active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=("U0TZJUN001", "Europe/Berlin", 9, 17),
        senior=(COORDINATOR, "Europe/London", 9, 17),
        started_at=runtime.clock.now() - timedelta(days=3),
    )
    with runtime.unit_of_work() as session:
        for member in session.scalars(select(Member)):
            member.timezone = "Mars/Olympus"
            member.profile_synced_at = runtime.clock.now()
    for text in ("admin program list", "admin program show Zones", "next", "pair", "goals"):
        response = slack.command(text, user=COORDINATOR, channel=ADMIN_CHANNEL)
        app_server.wait_idle()
        assert response.status_code == 200, text
        assert GENERIC not in response.text.lower(), text
        assert not [t for t in _texts(emulator, 0) if GENERIC in t.lower()], text
