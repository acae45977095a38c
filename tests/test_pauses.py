"""`/mentor pause until DATE` ends by itself; a person who left after a preview is not paired."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.matching import MatchIds
from models import Member, Pair, Participant
from models.enums import PairStatus, ParticipantStatus, Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import enrol, enrol_cohort, make_program
from tests.support.flows import wait_until
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests


def test_a_pause_with_an_end_date_ends_by_itself(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Pauses")
    people = enrol_cohort(runtime, emulator, program_id=program_id, seniors=1, juniors=1)
    with runtime.unit_of_work() as session:
        for participant, until in zip(
            session.scalars(select(Participant).order_by(Participant.id)),
            (date(2026, 3, 10), date(2026, 3, 20)),
            strict=True,
        ):
            participant.status, participant.paused_until = ParticipantStatus.PAUSED, until
    run_tick(runtime, datetime(2026, 3, 10, 12, tzinfo=UTC))  # the last paused day: still paused
    run_tick(runtime, datetime(2026, 3, 11, 12, tzinfo=UTC))
    with runtime.unit_of_work() as session:
        states = dict(
            session.execute(
                select(Member.slack_user_id, Participant.status).join(
                    Member, Member.id == Participant.member_id
                )
            ).all()
        )
    assert states == {
        people["senior"][0]: ParticipantStatus.ACTIVE,
        people["junior"][0]: ParticipantStatus.PAUSED,
    }


def test_a_pause_ends_when_the_day_is_over_where_the_person_is(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    """`pause until the 10th` lasts through the 10th in the person's own timezone."""
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Zones")
    zones = {"U0TOKYO001": "Asia/Tokyo", "U0NEWYORK1": "America/New_York"}
    for user_id, timezone in zones.items():
        enrol(
            runtime,
            emulator,
            program_id=program_id,
            user_id=user_id,
            role=Role.JUNIOR,
            department="Ops",
            can_share=["AI tools"],
            wants_to_learn=["Strategy"],
            timezone=timezone,
        )
    with runtime.unit_of_work() as session:
        for participant in session.scalars(select(Participant)):
            participant.status = ParticipantStatus.PAUSED
            participant.paused_until = date(2026, 3, 10)

    def states() -> dict[str, ParticipantStatus]:
        with runtime.unit_of_work() as session:
            rows = session.execute(
                select(Member.slack_user_id, Participant.status).join(
                    Member, Member.id == Participant.member_id
                )
            )
            return dict(rows.all())

    report = run_tick(runtime, datetime(2026, 3, 10, 18, tzinfo=UTC))  # Tokyo: the 11th, 03:00
    assert report.counts["pauses_ended"] == 1
    assert states() == {
        "U0TOKYO001": ParticipantStatus.ACTIVE,
        "U0NEWYORK1": ParticipantStatus.PAUSED,  # New York: the 10th, 14:00
    }
    report = run_tick(runtime, datetime(2026, 3, 11, 3, 59, tzinfo=UTC))  # New York: 23:59
    assert report.counts["pauses_ended"] == 0
    report = run_tick(runtime, datetime(2026, 3, 11, 4, tzinfo=UTC))  # New York: the 11th
    assert report.counts["pauses_ended"] == 1
    assert set(states().values()) == {ParticipantStatus.ACTIVE}


def test_someone_who_left_after_the_preview_is_not_paired(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Left")
    people = enrol_cohort(runtime, emulator, program_id=program_id, seniors=2, juniors=2)
    leaver = people["junior"][0]
    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    wait_until(
        lambda: any(
            c.ok and "Match preview" in c.args.get("text", "")
            for c in emulator.calls("chat.postMessage")
        )
    )
    preview = next(
        c for c in emulator.calls("chat.postMessage") if c.ok and "Match preview" in c.args["text"]
    )
    assert "2 pairs" in preview.args["text"]
    with runtime.unit_of_work() as session:  # the junior leaves while the preview waits
        member_id = session.scalar(select(Member.id).where(Member.slack_user_id == leaver))
        participant = session.scalar(select(Participant).where(Participant.member_id == member_id))
        participant.status = ParticipantStatus.LEFT
    run_id = next(
        e["value"]
        for b in preview.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == MatchIds.CONFIRM
    )
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=run_id,
        message_ts=preview.response["ts"],
    )
    wait_until(
        lambda: any("Done:" in str(c.args.get("blocks")) for c in emulator.calls("chat.update"))
    )
    with runtime.unit_of_work() as session:
        active = session.scalars(select(Pair).where(Pair.status == PairStatus.ACTIVE)).all()
    assert len(active) == 1
    opened = emulator.calls("conversations.open")
    assert len(opened) == 1
    assert leaver not in opened[0].args["users"]
