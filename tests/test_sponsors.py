"""Sponsors: chosen by coordinators in the admin channel (audited; refused to anyone else),
they get one digest per month in their DM, at the month's start, with the wins pairs
approved and headline figures; a figure from fewer than 3 people is withheld, and
nothing private (feedback, learnings, reflections, skip reasons, drafts) ever shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.services import celebrations as service
from bot.services.sponsors import DIGEST
from bot.slack_emulator import SlackEmulator
from models import (
    AuditLog,
    Delivery,
    Feedback,
    Goal,
    Learning,
    MentoringSession,
    Pair,
    Sponsor,
    Survey,
    SurveyResponse,
)
from models.celebration import CelebrationStatus
from models.enums import AuditOutcome, Cadence, SessionStatus, SurveyKind
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.celebration_flows import dm_of
from tests.support.factories import active_pair, make_program
from tests.support.slack_requests import SlackRequests

ADDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SPONSOR, OTHER_SPONSOR = "U0SPONSOR1", "U0SPONSOR2"
BIG = [
    (("U0BJUN0001", "Europe/Berlin", 8, 18), ("U0BSEN0001", "Europe/Berlin", 8, 18)),
    (("U0BJUN0002", "Europe/Berlin", 8, 18), ("U0BSEN0002", "Europe/Berlin", 8, 18)),
]
SMALL = (("U0SJUN0001", "Europe/Berlin", 8, 18), ("U0SSEN0001", "Europe/Berlin", 8, 18))


def _answer(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, **kw) -> str:
    before = len(emulator.responses("slash"))
    slack.command(**kw)
    app_server.wait_idle()
    (answer,) = emulator.responses("slash")[before:]
    return str(answer.get("text", ""))


def _audits(app_server: AppServer) -> list[tuple[str, str, AuditOutcome]]:
    with app_server.runtime.unit_of_work() as session:
        rows = session.execute(
            select(AuditLog.actor_user_id, AuditLog.action, AuditLog.outcome)
            .where(AuditLog.action.like("admin.sponsors%"))
            .order_by(AuditLog.id)
        ).all()
    return [tuple(r) for r in rows]


def test_sponsor_commands_are_for_coordinators_in_the_admin_channel_and_audited(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    emulator.add_user(SPONSOR, name="sponsor", real_name="Sue Sponsor", tz="Europe/London")
    add = f"admin sponsors add <@{SPONSOR}|sponsor>"
    participant = _answer(
        slack, emulator, app_server, text=add, user="U0JUNIOR01", channel=ADMIN_CHANNEL
    )
    assert "for program coordinators" in participant
    elsewhere = _answer(
        slack, emulator, app_server, text=add, user=COORDINATOR, channel="C0GENERAL1"
    )
    assert "admin channel" in elsewhere
    with app_server.runtime.unit_of_work() as session:
        assert session.scalars(select(Sponsor)).all() == []
    assert _audits(app_server) == [
        ("U0JUNIOR01", "admin.sponsors.add", AuditOutcome.DENIED),
        (COORDINATOR, "admin.sponsors.add", AuditOutcome.DENIED),
    ]

    def run(text: str) -> str:
        return _answer(
            slack, emulator, app_server, text=text, user=COORDINATOR, channel=ADMIN_CHANNEL
        )

    assert "is now a sponsor" in run(add)
    assert "a sponsor already" in run(add)
    assert "couldn't tell who" in run("admin sponsors add @nobody-here")
    assert "Use `/mentor admin sponsors add" in run("admin sponsors")
    assert "is now a sponsor" in run(f"admin sponsors add {OTHER_SPONSOR}")
    assert "no longer a sponsor" in run(f"admin sponsors remove <@{OTHER_SPONSOR}>")
    listing = run("admin sponsors list")
    assert f"<@{SPONSOR}>" in listing
    assert OTHER_SPONSOR not in listing
    assert [a for a in _audits(app_server) if a[2] == AuditOutcome.OK] == [
        (COORDINATOR, "admin.sponsors.add", AuditOutcome.OK),
        (COORDINATOR, "admin.sponsors.add", AuditOutcome.OK),
        (COORDINATOR, "admin.sponsors.add", AuditOutcome.OK),
        (COORDINATOR, "admin.sponsors.remove", AuditOutcome.OK),
    ]


def _plant_private_texts(app_server: AppServer, pair_id: int, at: datetime) -> None:
    """Everything a pair writes that sponsors must never see, marked PRIVATE-."""
    with app_server.runtime.unit_of_work() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        junior_id, senior_id, program_id = pair.junior_id, pair.senior_id, pair.program_id
        session.add(
            Feedback(pair_id=pair_id, from_id=junior_id, to_id=senior_id, text="PRIVATE-FEEDBACK")
        )
        session.add(Learning(participant_id=junior_id, pair_id=pair_id, text="PRIVATE-LEARNING"))
        session.add(Goal(pair_id=pair_id, owner_id=junior_id, text="PRIVATE-GOAL", indicator="x"))
        session.add(
            MentoringSession(
                pair_id=pair_id,
                status=SessionStatus.SKIPPED,
                cancelled_by_id=senior_id,
                reason="PRIVATE-SKIP",
                scheduled_at=at,
            )
        )
        survey = Survey(
            program_id=program_id,
            kind=SurveyKind.QUARTERLY,
            period=f"pair-{pair_id}",
            opens_at=at,
            closes_at=at + timedelta(days=7),
        )
        session.add(survey)
        session.flush()
        session.add(
            SurveyResponse(
                survey_id=survey.id,
                participant_id=junior_id,
                likert={"skills": 5},
                reflections={"insight": "PRIVATE-REFLECTION"},
                submitted_at=at,
            )
        )


def _win(
    app_server: AppServer,
    pair_id: int,
    user: str,
    partner: str,
    what: str,
    at: datetime,
    outcome: str,
) -> None:
    """A win drafted by `user`; then approved by `partner`, declined, or left pending."""
    with app_server.runtime.unit_of_work() as session:
        drafted = service.draft(
            session,
            workspace_id=app_server.runtime.workspace_id or 0,
            pair_id=pair_id,
            user_id=user,
            goal_id=None,
            what_changed=what,
            for_whom="the finance team",
            now=at,
        )
        celebration_id, version = drafted.celebration.id, drafted.celebration.version
        if outcome == "approve":
            result = service.approve(
                session, celebration_id=celebration_id, version=version, user_id=partner, now=at
            )
            assert result.celebration.status == CelebrationStatus.APPROVED
        elif outcome == "decline":
            service.close(
                session,
                celebration_id=celebration_id,
                user_id=partner,
                status=CelebrationStatus.DECLINED,
                now=at,
            )


def _digests(emulator: SlackEmulator) -> list[dict]:
    try:
        channel = dm_of(emulator, SPONSOR)
    except AssertionError:
        return []
    return [m for m in emulator.messages(channel) if "Reverse mentoring in" in m.get("text", "")]


def test_one_digest_per_sponsor_per_month_small_groups_withheld_nothing_private(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    runtime.clock = SettableClock(ADDED)
    emulator.add_user(SPONSOR, name="sponsor", real_name="Sue Sponsor", tz="Europe/London")
    slack.command(f"admin sponsors add <@{SPONSOR}>", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()

    big = make_program(runtime, name="Big", starts_on=ADDED.date(), cadence=Cadence.WEEKLY)
    small = make_program(runtime, name="Small", starts_on=ADDED.date(), cadence=Cadence.WEEKLY)
    pairs = [
        active_pair(runtime, emulator, program_id=big, junior=j, senior=s, started_at=ADDED)[0]
        for j, s in BIG
    ]
    small_pair, _ = active_pair(
        runtime, emulator, program_id=small, junior=SMALL[0], senior=SMALL[1], started_at=ADDED
    )
    with runtime.unit_of_work() as session:
        for pair_id in [*pairs, small_pair]:
            session.add(
                MentoringSession(
                    pair_id=pair_id,
                    status=SessionStatus.HELD,
                    held_at=datetime(2026, 3, 10, 10, tzinfo=UTC),
                    minutes=30,
                )
            )
    for pair_id in [*pairs, small_pair]:
        _plant_private_texts(app_server, pair_id, datetime(2026, 3, 11, tzinfo=UTC))
    (j1, s1), (j2, s2) = ((j[0], s[0]) for j, s in BIG)
    march = datetime(2026, 3, 12, 10, tzinfo=UTC)
    _win(
        app_server,
        pairs[0],
        j1,
        s1,
        "PUBLIC-WIN: finance closes the month with AI help",
        march,
        "approve",
    )
    _win(app_server, pairs[1], j2, s2, "PRIVATE-DRAFT still waiting", march, "pending")
    _win(app_server, pairs[1], s2, j2, "PRIVATE-DECLINED win", march, "decline")
    _win(
        app_server,
        small_pair,
        SMALL[0][0],
        SMALL[1][0],
        "FEB-WIN from last month",
        datetime(2026, 2, 20, tzinfo=UTC),
        "approve",
    )

    run_tick(runtime, datetime(2026, 3, 20, 12, tzinfo=UTC))  # mid-month: nothing yet
    assert _digests(emulator) == []
    for now in (
        datetime(2026, 4, 1, 0, 30, tzinfo=UTC),  # the month boundary: March's digest
        datetime(2026, 4, 1, 6, 0, tzinfo=UTC),
        datetime(2026, 4, 20, 6, 0, tzinfo=UTC),
    ):
        run_tick(runtime, now)
    (digest,) = _digests(emulator)
    rendered = str(digest["blocks"])
    assert "March 2026" in digest["text"]
    assert "*Big*\\nPairs active: 2\\nSessions held in March 2026: 2" in rendered
    assert (
        "*Small*\\nPairs active: withheld (from fewer than 3 people)\\n"
        "Sessions held in March 2026: withheld (from fewer than 3 people)"
    ) in rendered
    assert "PUBLIC-WIN: finance closes the month with AI help" in rendered
    assert f"<@{j1}> and <@{s1}>" in rendered
    assert "FEB-WIN" not in rendered  # approved in February: February's news
    assert "PRIVATE-" not in rendered
    assert "PRIVATE-" not in digest["text"]

    run_tick(runtime, datetime(2026, 5, 1, 1, 0, tzinfo=UTC))  # next month: one more
    digests = _digests(emulator)
    assert len(digests) == 2
    assert "April 2026" in digests[1]["text"]
    assert "PUBLIC-WIN" not in str(digests[1]["blocks"])
    assert "Sessions held in April 2026: withheld" in str(digests[1]["blocks"])
    every_sponsor_message = str(emulator.messages(dm_of(emulator, SPONSOR)))
    assert "PRIVATE-" not in every_sponsor_message
    with runtime.unit_of_work() as session:
        rows = session.scalars(select(Delivery).where(Delivery.kind == DIGEST)).all()
        assert sorted(r.period for r in rows) == ["2026-03", "2026-04"]
        assert all(set(r.payload) == {"sponsor_id", "month"} for r in rows)  # ids, no text
