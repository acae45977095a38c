"""A coordinator matches a 40-person program, confirms, pairs meet in their DMs, then rotate."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.matching import MatchIds
from models import MatchRun, Member, Pair, Participant, Program
from models.enums import PairStatus, Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import enrol, enrol_cohort, make_program
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests


def _admin_posts(emulator: SlackEmulator) -> list[RecordedCall]:
    """Messages Slack took in the admin channel, oldest first."""
    return [
        c for c in emulator.calls("chat.postMessage") if c.ok and c.args["channel"] == ADMIN_CHANNEL
    ]


def _previews(emulator: SlackEmulator) -> list[RecordedCall]:
    return [c for c in _admin_posts(emulator) if " preview for " in c.args.get("text", "")]


def _preview_call(app_server: AppServer, emulator: SlackEmulator, count: int = 1) -> RecordedCall:
    """The `count`-th preview, once the app finished what the last request started."""
    app_server.wait_idle()
    previews = _previews(emulator)
    assert len(previews) == count, [c.args.get("text") for c in previews]
    return previews[count - 1]


def _preview(app_server: AppServer, emulator: SlackEmulator, count: int = 1) -> list[dict]:
    return _preview_call(app_server, emulator, count).json("blocks")


def _preview_ts(app_server: AppServer, emulator: SlackEmulator, count: int = 1) -> str:
    return str(_preview_call(app_server, emulator, count).response["ts"])


def _button(blocks: list[dict], action_id: str) -> str:
    return next(
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


def _pairs(app_server: AppServer, round_number: int) -> list[frozenset[str]]:
    with app_server.runtime.unit_of_work() as session:
        rows = session.execute(select(Pair).where(Pair.round == round_number)).scalars().all()
        users = dict(
            session.execute(
                select(Participant.id, Member.slack_user_id).join(
                    Member, Member.id == Participant.member_id
                )
            ).all()
        )
        return [frozenset({users[p.senior_id], users[p.junior_id]}) for p in rows]


def _intros(emulator: SlackEmulator) -> list[RecordedCall]:
    return [
        c for c in emulator.calls("chat.postMessage") if "Set my goals" in str(c.args.get("blocks"))
    ]


def _farewells(emulator: SlackEmulator) -> list[RecordedCall]:
    return [
        c for c in emulator.calls("chat.postMessage") if "ends here" in str(c.args.get("blocks"))
    ]


def test_match_confirm_intro_and_rotate_without_repeats(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Cohort 40")
    enrol_cohort(runtime, emulator, program_id=program_id, seniors=20, juniors=20)

    assert slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL).status_code == 200
    blocks = _preview(app_server, emulator)
    assert "20 pairs" in str(blocks)
    assert emulator.calls("conversations.open") == []  # nothing reaches participants before Confirm
    assert len(_pairs(app_server, 1)) == 20

    run_id = _button(blocks, MatchIds.CONFIRM)
    ts = _preview_ts(app_server, emulator)
    click(slack, user=COORDINATOR, action_id=MatchIds.CONFIRM, value=run_id, message_ts=ts)
    click(
        slack, user=COORDINATOR, action_id=MatchIds.CONFIRM, value=run_id, message_ts=ts
    )  # double click
    app_server.wait_idle()
    assert len(_intros(emulator)) == 20  # and nothing more: both clicks have finished
    assert len(_previews(emulator)) == 1
    opened = emulator.calls("conversations.open")
    assert len(opened) == 20  # one group DM per pair, opened once
    assert len({frozenset(c.args["users"].split(",")) for c in opened}) == 20
    assert sum("already confirmed" in r.get("text", "") for r in emulator.responses()) == 1
    done = [c for c in emulator.calls("chat.update") if "Done:" in str(c.args.get("blocks"))]
    assert len(done) == 1
    assert "Done: 20 messages sent" in str(done[0].args.get("blocks"))
    round_one = _pairs(app_server, 1)
    with runtime.unit_of_work() as session:
        assert all(
            p.status == PairStatus.ACTIVE and p.dm_channel_id and p.intro_ts
            for p in session.scalars(select(Pair))
        )
        assert session.get(Program, program_id).current_round == 1

    # Rotation: round 2 never repeats a round-1 pair; round-1 pairs are thanked.
    emulator.clear_calls()
    slack.command("admin rotate", user=COORDINATOR, channel=ADMIN_CHANNEL)
    blocks = _preview(app_server, emulator)
    assert "Rotation preview" in str(blocks)
    round_two = _pairs(app_server, 2)
    assert len(round_two) == 20
    assert not set(round_two) & set(round_one)
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=_button(blocks, MatchIds.CONFIRM),
        message_ts=_preview_ts(app_server, emulator),
    )
    app_server.wait_idle()
    assert len(_intros(emulator)) == 20
    assert len(_farewells(emulator)) == 20
    assert len(emulator.calls("chat.postMessage")) == 41  # the preview, 20 intros, 20 farewells
    with runtime.unit_of_work() as session:
        statuses = {(p.round, p.status) for p in session.scalars(select(Pair))}
    assert statuses == {(1, PairStatus.ENDED), (2, PairStatus.ACTIVE)}


def test_uneven_sides_report_unmatched_and_trios_on_request(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Uneven")
    people = enrol_cohort(runtime, emulator, program_id=program_id, seniors=3, juniors=5)
    slack.command("admin match Uneven", user=COORDINATOR, channel=ADMIN_CHANNEL)
    blocks = _preview(app_server, emulator)
    text = str(blocks)
    assert "2 unmatched" in text
    assert "no senior left" in text
    unmatched_juniors = [u for u in people["junior"] if f"<@{u}> (junior)" in text]
    assert len(unmatched_juniors) == 2

    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.RERUN_TRIOS,
        value=_button(blocks, MatchIds.RERUN_TRIOS),
        message_ts=_preview_ts(app_server, emulator),
    )
    blocks = _preview(app_server, emulator, 2)
    assert "0 unmatched" in str(blocks)
    with runtime.unit_of_work() as session:
        pairs = session.scalars(select(Pair).where(Pair.status == PairStatus.PROPOSED)).all()
        runs = session.scalars(select(MatchRun).order_by(MatchRun.id)).all()
    assert sum(1 for p in pairs if p.third_id) == 2
    assert [r.status.value for r in runs] == ["superseded", "proposed"]
    # the superseded preview's Confirm does nothing
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=str(runs[0].id),
        message_ts=str(_previews(emulator)[0].response["ts"]),
    )
    app_server.wait_idle()
    replaced = [r for r in emulator.responses() if "replaced by a newer one" in r.get("text", "")]
    assert len(replaced) == 1
    assert emulator.calls("conversations.open") == []
    assert len(_previews(emulator)) == 2


def test_hard_constraints_hold_in_the_service(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Rules")
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id="U0MANAGER1",
        role=Role.SENIOR,
        department="Sales",
        can_share=["Strategy"],
        wants_to_learn=["AI tools"],
        avoid=["U0REPORT01"],
    )
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id="U0REPORT01",
        role=Role.JUNIOR,
        department="IT",
        can_share=["AI tools"],
        wants_to_learn=["Strategy"],
    )
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id="U0SAMEDEP1",
        role=Role.JUNIOR,
        department="Sales",
        can_share=["AI tools"],
        wants_to_learn=["Strategy"],
    )
    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    text = str(_preview(app_server, emulator))
    assert "0 pairs" in text
    assert "avoid list: 1" in text
    assert "same department: 1" in text


def test_rotation_preview_is_posted_once_when_the_date_comes(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    now = runtime.clock.now()
    started = now.date() - timedelta(weeks=13)
    program_id = make_program(runtime, name="Rolling", starts_on=started)
    enrol_cohort(runtime, emulator, program_id=program_id, seniors=4, juniors=4)
    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    blocks = _preview(app_server, emulator)
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=_button(blocks, MatchIds.CONFIRM),
        message_ts=_preview_ts(app_server, emulator),
    )
    app_server.wait_idle()
    assert len(_intros(emulator)) == 4
    previews_before = len(
        [c for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]
    )

    first = run_tick(runtime, now)
    second = run_tick(runtime, now + timedelta(minutes=1))
    assert first.counts["rotation_previews"] == 1
    assert second.counts["rotation_previews"] == 0
    previews = [c for c in emulator.calls("chat.postMessage") if c.args["channel"] == ADMIN_CHANNEL]
    assert len(previews) == previews_before + 1
    assert "Rotation preview" in str(previews[-1].json("blocks"))


def test_same_role_pairs_for_the_leftovers_when_the_coordinator_allows_them(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Lopsided")
    enrol_cohort(runtime, emulator, program_id=program_id, seniors=2, juniors=6)
    slack.command("admin match Lopsided", user=COORDINATOR, channel=ADMIN_CHANNEL)
    blocks = _preview(app_server, emulator)
    assert "4 unmatched" in str(blocks)
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.RERUN_SAME_ROLE,
        value=_button(blocks, MatchIds.RERUN_SAME_ROLE),
        message_ts=_preview_ts(app_server, emulator),
    )
    blocks = _preview(app_server, emulator, 2)
    text = str(blocks)
    assert "allowed by the coordinator" in text
    with runtime.unit_of_work() as session:
        proposed = session.scalars(select(Pair).where(Pair.status == PairStatus.PROPOSED)).all()
        roles = dict(session.execute(select(Participant.id, Participant.role)).all())
    same_role = [p for p in proposed if roles[p.senior_id] == roles[p.junior_id]]
    assert len(proposed) == 2 + len(same_role)
    assert len(same_role) >= 1  # leftovers paired among themselves where the rules allow
    assert emulator.calls("conversations.open") == []  # still nothing sent before Confirm
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=_button(blocks, MatchIds.CONFIRM),
        message_ts=_preview_ts(app_server, emulator, 2),
    )
    app_server.wait_idle()
    assert len([c for c in _intros(emulator) if c.ok]) == len(proposed)
    assert len({c.args["users"] for c in emulator.calls("conversations.open")}) == len(proposed)
