"""`/mentor pause until DATE` ends by itself; a person who left after a preview is not paired."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.matching import MatchIds
from models import Member, Pair, Participant
from models.enums import PairStatus, ParticipantStatus
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import enrol_cohort, make_program
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
