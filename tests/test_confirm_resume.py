"""A Confirm that stops halfway says so, and pressing Confirm (*Continue*) again goes on.

Confirming commits the round (pairs active, intros planned) before any intro is sent. When
the database goes away mid-way, the coordinator must not read "nothing was changed" while
the pairs are live, the preview must not stay at "0/20", and pressing the button again
must introduce each remaining pair exactly once instead of answering "already confirmed".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import SettableClock
from bot.outbox.engine import worker_for
from bot.services.deliveries import LEASE, claim_due
from bot.services.delivery_attempts import release_claims
from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall
from bot.views.matching import MatchIds
from models import Delivery, Pair
from models.enums import DeliveryStatus, PairStatus
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.databases import PostgresDatabases
from tests.support.db_cut import database_cut
from tests.support.factories import enrol_cohort, make_program
from tests.support.flows import wait_until
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests

PAIRS = 20
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _preview(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer) -> RecordedCall:
    """A 40-person program matched: its preview, as posted in the admin channel."""
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Resumable cohort")
    enrol_cohort(runtime, emulator, program_id=program_id, seniors=PAIRS, juniors=PAIRS)
    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    (preview,) = [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and c.args["channel"] == ADMIN_CHANNEL and "preview for" in c.args["text"]
    ]
    return preview


def _button(blocks: list[dict[str, Any]], action_id: str) -> str:
    return next(
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


def _intros(emulator: SlackEmulator) -> list[RecordedCall]:
    return [
        c
        for c in emulator.calls("chat.postMessage")
        if c.ok and "Set my goals" in str(c.args.get("blocks"))
    ]


def _last_edit(emulator: SlackEmulator, ts: str) -> RecordedCall:
    return [c for c in emulator.calls("chat.update") if c.ok and c.args["ts"] == ts][-1]


def _answers(emulator: SlackEmulator) -> list[str]:
    return [str(r.get("text", "")) for r in emulator.responses()]


def test_a_confirm_cut_from_its_database_says_so_and_continues_where_it_stopped(
    slack: SlackRequests,
    emulator: SlackEmulator,
    app_server: AppServer,
    database_url: str,
    postgres_databases: PostgresDatabases | None,
) -> None:
    app_server.runtime.clock = SettableClock(NOW)
    preview = _preview(slack, emulator, app_server)
    ts = str(preview.response["ts"])
    run_id = _button(preview.json("blocks"), MatchIds.CONFIRM)

    emulator.delay("chat.update", 60, after=1)  # the preview's "10/20" edit is held...
    click(slack, user=COORDINATOR, action_id=MatchIds.CONFIRM, value=run_id, message_ts=ts)
    wait_until(lambda: emulator.held("chat.update") == 1)
    admin = postgres_databases.admin if postgres_databases else None
    with database_cut(database_url, admin, app_server.runtime.engine):  # ...while it goes away
        emulator.release_delayed()
        app_server.wait_idle()

    assert len(_intros(emulator)) == 10
    answers = _answers(emulator)
    assert any("can't reach its database" in a for a in answers), answers
    assert not any("nothing was changed" in a or "nothing changed" in a for a in answers)
    stopped = _last_edit(emulator, ts)
    assert "Introducing the pairs stopped at 10/20" in stopped.args["text"]
    assert "Press *Continue*" in str(stopped.json("blocks"))
    with app_server.runtime.unit_of_work() as session:
        assert {p.status for p in session.scalars(select(Pair))} == {PairStatus.ACTIVE}

    # Half of what is left is now held by another twoway process, its lease still running:
    # *Continue* says when to press again and sends nothing meanwhile.
    runtime = app_server.runtime
    mine = worker_for(f"confirm-{run_id}")
    with runtime.unit_of_work() as session:
        held = list(
            session.scalars(
                select(Delivery.id).where(
                    Delivery.claimed_by == mine, Delivery.status == DeliveryStatus.CLAIMED
                )
            )
        )
        assert len(held) == 10  # claimed by the stopped confirm, never sent
        release_claims(session, holder=mine, ids=held[:5])
        assert claim_due(session, now=NOW, worker="other-host:4242", limit=5, ids=held) == held[:5]
    emulator.clear_calls()
    again = _button(stopped.json("blocks"), MatchIds.CONFIRM)  # *Continue*
    click(slack, user=COORDINATOR, action_id=MatchIds.CONFIRM, value=again, message_ts=ts)
    app_server.wait_idle()
    assert (
        "Another twoway worker is sending this round's introductions (10/20"
        in (_answers(emulator)[-1])
    )
    assert "about 5 minutes" in _answers(emulator)[-1]
    assert _intros(emulator) == []

    # Once that lease ran out, *Continue* sends the rest: what the stopped confirm of this
    # process held at once, what the other process held because it is free again.
    runtime.clock = SettableClock(NOW + LEASE + timedelta(seconds=1))
    click(slack, user=COORDINATOR, action_id=MatchIds.CONFIRM, value=again, message_ts=ts)
    app_server.wait_idle()

    intros = _intros(emulator)
    assert len(intros) == PAIRS - 10  # the ten left, each once
    assert len({c.args["channel"] for c in intros}) == PAIRS - 10
    assert "Done: 20 messages sent" in _last_edit(emulator, ts).args["text"]
    with app_server.runtime.unit_of_work() as session:
        statuses = list(
            session.scalars(select(Delivery.status).where(Delivery.kind == "pair_intro"))
        )
        introduced = list(session.scalars(select(Pair.intro_ts)))
    assert statuses == [DeliveryStatus.SENT] * PAIRS
    assert all(introduced)
    assert len(set(introduced)) == PAIRS

    click(slack, user=COORDINATOR, action_id=MatchIds.CONFIRM, value=again, message_ts=ts)
    app_server.wait_idle()
    assert "already confirmed; nothing changed" in _answers(emulator)[-1]
    assert len(_intros(emulator)) == PAIRS - 10


def test_an_unexpected_failure_never_claims_that_nothing_changed() -> None:
    """The generic answer is given after commits too (a Confirm's pairs were live): it may
    not say what it cannot know."""
    from handlers.errors import describe_error

    answer = describe_error(RuntimeError("after a commit"), {})
    assert "nothing was changed" not in answer
    assert "Part of what you asked may have been done" in answer
    assert "error id" in answer
