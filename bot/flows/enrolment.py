"""Joining and editing a profile: the modal, its submission, and the confirmation DM.

Each change is saved in one short transaction that also plans the DM reporting it
(the outbox); Slack is called only after the commit, so a Slack outage delays the
DM (the scheduler retries it) and never loses it or sends it twice.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import TwowayError
from bot.flows.caller import Caller
from bot.flows.profiles import sync_profile
from bot.logging import get_logger
from bot.messages.enrolment import CONFIRMED, REFUSED, confirmed_key, refused_key
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.deliveries import plan_now
from bot.services.enrolment import (
    Mode,
    ProfileAnswers,
    Saved,
    SaveOutcome,
    check_submission,
    join_target,
    profile_target,
    save_enrolment,
)
from bot.services.home_refresh import mark_homes
from bot.slack.errors import SlackError
from bot.views.enrolment import build_join_modal

log = get_logger("twoway.enrolment")

SAVED = (SaveOutcome.CREATED, SaveOutcome.REJOINED, SaveOutcome.UPDATED)


def open_join_modal(runtime: Runtime, caller: Caller, *, name: str | None, trigger_id: str) -> None:
    """`/mentor join [name]`: the join form, or the profile when already in that program.

    Refusals (nothing open, unknown name) are raised before any Slack call; the
    trigger id expires in 3 s, so nothing slow happens before views.open.
    """
    with runtime.unit_of_work() as session:
        target = join_target(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            name=name,
            today=caller.today,
        )
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_join_modal(target))


def open_profile_modal(
    runtime: Runtime, caller: Caller, *, name: str | None, trigger_id: str
) -> None:
    """`/mentor profile [name]`: the profile of that program, else of the latest one joined."""
    with runtime.unit_of_work() as session:
        target = profile_target(
            session, workspace_id=caller.workspace_id, user_id=caller.user_id, name=name
        )
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_join_modal(target))


def submit_enrolment(
    runtime: Runtime,
    caller: Caller,
    *,
    program_id: int,
    mode: Mode,
    answers: ProfileAnswers,
    view_id: str,
    accept: Callable[[], None],
) -> str | None:
    """A valid form: refuse it while the modal is still open, or accept it and save it.

    The check reads only and runs before the ack; a refusal is returned (its words go
    back in the ack, and `accept` is not called). Otherwise `accept()` acknowledges
    the submission (the modal closes) and the save and its DM follow.
    """
    refusal = _refusal(runtime, caller, program_id=program_id, mode=mode)
    if refusal is not None:
        log.info(
            "enrolment.refused", user_id=caller.user_id, program_id=program_id, view_id=view_id
        )
        return refusal
    accept()
    _save(runtime, caller, program_id=program_id, mode=mode, answers=answers, view_id=view_id)
    return None


def _refusal(runtime: Runtime, caller: Caller, *, program_id: int, mode: Mode) -> str | None:
    """Why this submission can't be saved (a read, before the ack), or None."""
    try:
        with runtime.unit_of_work() as session:
            check_submission(
                session,
                workspace_id=caller.workspace_id,
                user_id=caller.user_id,
                program_id=program_id,
                mode=mode,
                today=caller.today,
            )
    except TwowayError as error:
        return error.user_message
    return None


def _save(
    runtime: Runtime,
    caller: Caller,
    *,
    program_id: int,
    mode: Mode,
    answers: ProfileAnswers,
    view_id: str,
) -> Saved:
    """Save once and plan the DM in the same transaction; then read the timezone and send.

    A second submission of the same modal saves and sends nothing. A refusal that
    appears only now (the program closed meanwhile) is told by DM, since a closed
    modal has nowhere else to show it.
    """
    with runtime.unit_of_work() as session:
        saved = save_enrolment(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            program_id=program_id,
            mode=mode,
            answers=answers,
            view_id=view_id,
            today=caller.today,
        )
        if saved.outcome in SAVED:
            mark_homes(
                session,
                workspace_id=caller.workspace_id,
                user_ids=[caller.user_id],
                now=caller.now,
            )
        delivery_id = None
        if saved.outcome == SaveOutcome.REFUSED and saved.refusal is not None:
            delivery_id = plan_now(
                session,
                workspace_id=caller.workspace_id,
                kind=REFUSED,
                key=refused_key(view_id),
                now=caller.now,
                payload={
                    "user_id": caller.user_id,
                    "program_id": program_id,
                    "refusal": saved.refusal.value,
                },
            )
        elif saved.outcome in SAVED and saved.participant_id is not None:
            delivery_id = plan_now(
                session,
                workspace_id=caller.workspace_id,
                kind=CONFIRMED,
                key=confirmed_key(saved.participant_id, view_id),
                now=caller.now,
                participant_id=saved.participant_id,
                payload={"joined": saved.outcome != SaveOutcome.UPDATED},
            )
    log.info(
        "enrolment.saved" if saved.outcome in SAVED else f"enrolment.{saved.outcome.value}",
        user_id=caller.user_id,
        program_id=program_id,
        participant_id=saved.participant_id,
        outcome=saved.outcome.value,
        view_id=view_id,
        delivery_id=delivery_id,
    )
    if saved.outcome in SAVED:
        try:  # the confirmation names the timezone: read it before sending
            sync_profile(runtime, caller.user_id, force=True)
        except SlackError as error:  # the enrolment stands; the timezone is refreshed later
            log.warning("enrolment.profile_sync_failed", user_id=caller.user_id, code=error.code)
    if delivery_id is not None:
        send_now(runtime, [delivery_id])
    return saved
