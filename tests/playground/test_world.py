"""The playground's model of modals, without a browser: what a person's dialog shows after
the app answers a submission with `response_action` (errors, update) or closes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.playground.launch import Running, start_in_thread
from bot.playground.page import build_page
from bot.playground.people import JUNIORS
from bot.playground.seed import create_program
from bot.slack_emulator.browse import im_id
from bot.views.enrolment import JoinIds
from tests.support.databases import SqliteDatabases

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
JUNIOR = JUNIORS[0].user_id


@pytest.fixture
def playground(sqlite_databases: SqliteDatabases) -> Iterator[Running]:
    database = Path(make_url(sqlite_databases.migrated()).database or "")
    running = start_in_thread(database, now=NOW, fresh=False)
    yield running
    running.stop()


def test_errors_keep_the_modal_an_update_replaces_it_and_closing_empties_the_stack(
    playground: Running,
) -> None:
    world = playground.world
    create_program(world, "Pilot cohort")
    dm = im_id(world.emulator.workspace, JUNIOR)
    world.command(JUNIOR, dm, "/mentor join")
    (join,) = world.modal_stack(JUNIOR)
    assert join["callback_id"] == JoinIds.CALLBACK

    refused = world.submit(JUNIOR, join["id"], {})
    assert not refused.ok
    assert JoinIds.ROLE in refused.errors  # the app's own field error, shown by the field
    assert [v["id"] for v in world.modal_stack(JUNIOR)] == [join["id"]]

    # A form whose metadata no longer parses: the app answers `update` with a notice.
    world.emulator.workspace.views[join["id"]]["private_metadata"] = "expired"
    assert world.submit(JUNIOR, join["id"], {f"{JoinIds.ROLE}::{JoinIds.ROLE}": ["junior"]}).ok
    (notice,) = world.modal_stack(JUNIOR)
    assert notice["id"] == join["id"]
    assert "expired" in str(notice["blocks"])

    world.close_modal(JUNIOR)
    assert world.modal_stack(JUNIOR) == []
    assert world.command(JUNIOR, dm, "hello").note == (
        "Only slash commands reach the app, e.g. /mentor help."
    )


def test_a_commands_answer_in_its_acknowledgement_is_shown_to_its_person_only(
    playground: Running,
) -> None:
    world = playground.world
    dm = im_id(world.emulator.workspace, JUNIOR)
    assert world.command(JUNIOR, dm, "/mentor help").ok
    [(_, answer)] = world.command_answers(JUNIOR, dm)
    assert "/mentor join" in str(answer)
    shown = build_page(world, JUNIOR, dm)
    assert [item.ephemeral_url for item in shown.items] == ["command"]
    assert "/mentor join" in shown.items[0].html
    other = JUNIORS[1].user_id
    assert build_page(world, other, im_id(world.emulator.workspace, other)).items == []
