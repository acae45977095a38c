"""Enrolment sequences: save in one transaction, then talk to Slack (never inside it)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.errors import TwowayError
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.enrolment import (
    LeaveResult,
    Mode,
    ProfileAnswers,
    Saved,
    SaveOutcome,
    save_enrolment,
)
from bot.services.participation import leave
from bot.slack.errors import SlackError
from bot.views.enrolment_messages import enrolled_text, partner_notice_text
from bot.workflows.profiles import sync_profile

log = get_logger("twoway.enrolment")


def complete_enrolment(
    runtime: Runtime,
    *,
    user_id: str,
    program_id: int,
    mode: Mode,
    answers: ProfileAnswers,
    view_id: str,
    now: datetime | None = None,
) -> Saved | None:
    """After the modal was acknowledged: save once, read the timezone, confirm by DM.

    A second submission of the same modal saves nothing and sends nothing. A refusal
    that appears only now (the program closed meanwhile) is told by DM, since a
    closed modal has nowhere else to show it.
    """
    now = now or datetime.now(UTC)
    assert runtime.workspace_id is not None
    try:
        with runtime.unit_of_work() as session:
            saved = save_enrolment(
                session,
                workspace_id=runtime.workspace_id,
                user_id=user_id,
                program_id=program_id,
                mode=mode,
                answers=answers,
                view_id=view_id,
                today=now.date(),
            )
    except TwowayError as refusal:
        log.info("enrolment.refused", user_id=user_id, program_id=program_id, view_id=view_id)
        runtime.gateway.post_message(channel=user_id, text=refusal.user_message)
        return None
    log.info(
        "enrolment.saved",
        user_id=user_id,
        program_id=program_id,
        participant_id=saved.participant_id,
        outcome=saved.outcome.value,
        view_id=view_id,
    )
    if saved.outcome == SaveOutcome.DUPLICATE or saved.program is None:
        return saved
    try:
        timezone = sync_profile(runtime, user_id, force=True, now=now).timezone
    except SlackError as error:  # the enrolment stands; the timezone is refreshed later
        log.warning("enrolment.profile_sync_failed", user_id=user_id, code=error.code)
        timezone = "UTC"
    text = enrolled_text(
        program=saved.program,
        joined=saved.outcome != SaveOutcome.UPDATED,
        answers=answers,
        timezone=timezone,
    )
    runtime.gateway.post_message(channel=user_id, text=text)
    return saved


def leave_programs(
    runtime: Runtime, *, user_id: str, participant_ids: list[int], now: datetime | None = None
) -> LeaveResult:
    """Leave in one transaction, then tell each partner once, kindly and without details."""
    now = now or datetime.now(UTC)
    assert runtime.workspace_id is not None
    with runtime.unit_of_work() as session:
        result = leave(
            session,
            workspace_id=runtime.workspace_id,
            user_id=user_id,
            participant_ids=participant_ids,
            now=now,
        )
    log.info(
        "enrolment.left",
        user_id=user_id,
        participant_ids=participant_ids,
        ended_pair_ids=list(result.ended_pair_ids),
        partners=[p.user_id for p in result.partners],
    )
    for partner in result.partners:
        try:
            runtime.gateway.post_message(
                channel=partner.user_id, text=partner_notice_text(partner.programs)
            )
        except SlackError as error:  # one unreachable partner must not hide the others' notes
            log.warning("enrolment.partner_notice_failed", user_id=partner.user_id, code=error.code)
    return result
