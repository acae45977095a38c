"""The playground's starting point: people and channels in the emulator, then (optionally)
a program created and joined through the app's own modals, as people would in Slack."""

from __future__ import annotations

from datetime import timedelta

from bot.playground.people import (
    ADMIN_CHANNEL,
    CELEBRATION_CHANNEL,
    COORDINATOR,
    GENERAL_CHANNEL,
    JUNIORS,
    PEOPLE,
    PROGRAM_NAME,
    SENIORS,
    Person,
)
from bot.playground.world import Playground
from bot.slack_emulator import SlackEmulator
from bot.views.enrolment import JoinIds
from bot.views.programs import ProgramIds


def seed_workspace(emulator: SlackEmulator) -> None:
    """The people, the coordinators' private channel (with the bot), #general and #wins."""
    for person in PEOPLE:
        emulator.add_user(
            person.user_id,
            name=person.handle,
            real_name=person.name,
            tz=person.timezone,
            is_admin=person is COORDINATOR,
        )
    everyone = [p.user_id for p in PEOPLE]
    emulator.add_channel(GENERAL_CHANNEL, name="general", members=everyone)
    emulator.add_channel(CELEBRATION_CHANNEL, name="wins", members=everyone)
    emulator.add_channel(
        ADMIN_CHANNEL,
        name="mentoring-admin",
        is_private=True,
        members=[COORDINATOR.user_id, emulator.bot_user_id],
    )


def _top_modal(world: Playground, user_id: str) -> str:
    """The id of the modal on top of this person's stack (it must be open)."""
    stack = world.modal_stack(user_id)
    if not stack:
        raise RuntimeError(f"no modal opened for {user_id}")
    return str(stack[-1]["id"])


def _submit(world: Playground, user_id: str, answers: dict[str, list[str]]) -> None:
    view_id = _top_modal(world, user_id)
    form = {f"{block}::{block}": values for block, values in answers.items()}
    outcome = world.submit(user_id, view_id, form)
    if not outcome.ok:
        raise RuntimeError(f"the app refused the seeded form: {outcome.errors or outcome.note}")


def create_program(
    world: Playground, name: str = PROGRAM_NAME, *, length_weeks: int = 13, rotation_weeks: int = 13
) -> None:
    """The coordinator creates the program in the admin channel, through the modal."""
    today = world.clock.now().date()
    world.command(COORDINATOR.user_id, ADMIN_CHANNEL, "/mentor admin program create")
    _submit(
        world,
        COORDINATOR.user_id,
        {
            ProgramIds.NAME: [name],
            ProgramIds.STARTS_ON: [(today + timedelta(days=1)).isoformat()],
            ProgramIds.LENGTH: [str(length_weeks)],
            ProgramIds.ROTATION: [str(rotation_weeks)],
            ProgramIds.CADENCE: ["weekly"],
            ProgramIds.SESSION_MINUTES: ["30"],
            ProgramIds.CELEBRATION: [CELEBRATION_CHANNEL],
            ProgramIds.LOOKBACK: ["6"],
        },
    )


def join(world: Playground, person: Person) -> None:
    """One person joins through `/mentor join` in their DM with the bot."""
    from bot.slack_emulator.browse import im_id

    world.command(person.user_id, im_id(world.emulator.workspace, person.user_id), "/mentor join")
    _submit(
        world,
        person.user_id,
        {
            JoinIds.ROLE: [person.role],
            JoinIds.DEPARTMENT: [person.department],
            JoinIds.CAN_SHARE: list(person.can_share),
            JoinIds.WANTS_TO_LEARN: list(person.wants_to_learn),
            JoinIds.WORK_START: [person.hours[0]],
            JoinIds.WORK_END: [person.hours[1]],
            JoinIds.LANGUAGES: list(person.languages),
        },
    )


def seed_program(world: Playground) -> None:
    """A program with everyone but the coordinator enrolled, ready for a first match."""
    create_program(world)
    for person in (*SENIORS, *JUNIORS):
        join(world, person)
