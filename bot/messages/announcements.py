"""Renderers of announcements and invitations: each copy is built at send time from the
announcement and the recipient as they are then (a person who paused or left since the
Send is skipped, and the report says so), plus the preview and the reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer
from bot.services.announcement_audiences import Recipient
from bot.services.announcement_copies import (
    PersonFacts,
    batch_people,
    first_name,
    known_dms,
    people_facts,
    person_facts,
)
from bot.services.announcements import (
    ANNOUNCEMENT,
    COPIES,
    INVITATION,
    PREVIEW,
    REPORT,
    SKIPPED,
    counts,
    get_announcement,
    preview_facts,
    program_facts,
    program_names,
    record_preview,
    timezone_of,
)
from bot.services.pairs import PairDetails, pair_details
from bot.services.workspaces import admin_channel_of
from bot.views.announcement_reports import Tally, build_report
from bot.views.announcements import (
    Summary,
    build_copy,
    build_preview,
    fill,
    when_words,
)
from bot.views.invitations import build_invitation
from models import Delivery
from models.announcement import Announcement, AnnouncementKind, AnnouncementStatus
from models.enums import PairStatus, ParticipantStatus

NO_PARTNER = "your partner (once you're matched)"


def _announcement(context: RenderContext, delivery: Delivery) -> Announcement | None:
    cache: dict[int, Announcement | None] = context.extras.setdefault("announcements", {})
    announcement_id = int(delivery.payload.get("announcement_id") or 0)
    if announcement_id not in cache:
        cache[announcement_id] = get_announcement(context.session, announcement_id=announcement_id)
    return cache[announcement_id]


def _program(context: RenderContext, program_id: int) -> str:
    cache: dict[int, str] = context.extras.setdefault("announcement_programs", {})
    if program_id not in cache:
        cache[program_id] = program_names(context.session, [program_id]).get(program_id, "")
    return cache[program_id]


def summary_of(session: Session, announcement: Announcement) -> Summary:
    timezone = timezone_of(
        session, workspace_id=announcement.workspace_id, user_id=announcement.created_by
    )
    when = when_words(
        announcement.send_mode,
        announcement.send_on,
        announcement.send_time,
        announcement.send_at,
        timezone,
    )
    program = program_names(session, [announcement.program_id]).get(announcement.program_id, "")
    return Summary(
        announcement.id,
        program,
        announcement.audience,
        when,
        announcement.recipients,
        announcement.status.value,
    )


def tally_of(session: Session, announcement: Announcement) -> Tally:
    """The copies' outcomes, plus those counted as skipped when planned (invitations)."""
    tally = counts(session, announcement_id=announcement.id)
    skipped = dict(tally.skipped)
    for reason, n in (announcement.skipped or {}).items():
        skipped[reason] = skipped.get(reason, 0) + int(n)
    return Tally(
        tally.sent, tally.pending, tally.uncertain, tally.cancelled, skipped, dict(tally.failed)
    )


def report_of(session: Session, announcement: Announcement) -> dict[str, Any]:
    """The report as it stands: what went, what was skipped or failed and why."""
    word = "Invitation" if announcement.kind == AnnouncementKind.INVITATION else "Announcement"
    return build_report(
        summary_of(session, announcement), tally_of(session, announcement), kind_word=word
    )


def _person_values(
    session: Session, announcement: Announcement, user_id: str, program: str
) -> tuple[dict[str, str], ParticipantStatus | None]:
    facts = person_facts(
        session,
        workspace_id=announcement.workspace_id,
        program_id=announcement.program_id,
        user_id=user_id,
    )
    partner = " and ".join(f"<@{u}>" for u in facts.partners) or NO_PARTNER
    values = {"first_name": facts.first_name or "there", "partner": partner, "program": program}
    return values, facts.status


def _pair_values(pair: PairDetails, program: str) -> dict[str, str]:
    names = [first_name(p.name) or "there" for p in pair.people]
    return {"first_name": " and ".join(names), "partner": "your partner", "program": program}


CHANNEL_VALUES = {"first_name": "everyone", "partner": "your partner"}


def _copy(announcement: Announcement, values: dict[str, str]) -> dict[str, Any]:
    return build_copy(
        fill(announcement.text or "", values), announcement.link_label, announcement.link_url
    )


def _batch(
    context: RenderContext, delivery: Delivery, announcement: Announcement
) -> tuple[dict[str, PersonFacts], dict[str, str]]:
    """Facts and DM channels of every person in the claimed batch, loaded once per batch."""
    key = f"announcement_batch:{announcement.id}"
    if key not in context.extras:
        people = batch_people(context.session, worker=delivery.claimed_by, kinds=COPIES)
        user_id = str(delivery.payload.get("user_id") or "")
        people = sorted({*people, user_id} - {""})
        facts = people_facts(
            context.session,
            workspace_id=announcement.workspace_id,
            program_id=announcement.program_id,
            user_ids=people,
        )
        dms = known_dms(context.session, workspace_id=announcement.workspace_id, user_ids=people)
        context.extras[key] = (facts, dms)
    facts, dms = context.extras[key]
    return facts, dms


def _facts(
    context: RenderContext, delivery: Delivery, announcement: Announcement, user_id: str
) -> PersonFacts:
    facts, _ = _batch(context, delivery, announcement)
    return facts.get(user_id) or PersonFacts(user_id, None, None, ())


def _values(facts: PersonFacts, program: str) -> dict[str, str]:
    partner = " and ".join(f"<@{u}>" for u in facts.partners) or NO_PARTNER
    return {"first_name": facts.first_name or "there", "partner": partner, "program": program}


def _dm(context: RenderContext, delivery: Delivery, user_id: str, message: dict[str, Any]) -> Post:
    """A DM to one person: to the channel opened before when there is one."""
    announcement = _announcement(context, delivery)
    channel = _batch(context, delivery, announcement)[1].get(user_id) if announcement else None
    if channel:
        return Post(message["text"], message["blocks"], channel=channel)
    return Post(message["text"], message["blocks"], open_with=(user_id,))


def render_copy(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """One recipient's copy, or the reason it is skipped (counted in the report)."""
    announcement = _announcement(context, delivery)
    if announcement is None or announcement.status == AnnouncementStatus.CANCELLED:
        return "announcement cancelled"
    program = _program(context, announcement.program_id)
    if delivery.pair_id is not None:
        pair = context.pairs.get(delivery.pair_id)
        if pair is None or pair.status != PairStatus.ACTIVE:
            return SKIPPED + "pair no longer active"
        message = _copy(announcement, _pair_values(pair, program))
        if pair.dm_channel_id:
            return Post(message["text"], message["blocks"], channel=pair.dm_channel_id)
        return Post(message["text"], message["blocks"], open_with=pair.user_ids)
    channel = delivery.payload.get("channel")
    if channel:
        message = _copy(announcement, {**CHANNEL_VALUES, "program": program})
        return Post(message["text"], message["blocks"], channel=str(channel))
    user_id = str(delivery.payload.get("user_id") or "")
    facts = _facts(context, delivery, announcement, user_id)
    values, status = _values(facts, program), facts.status
    if status == ParticipantStatus.PAUSED:
        return SKIPPED + "paused"
    if status == ParticipantStatus.LEFT:
        return SKIPPED + "left the program"
    message = _copy(announcement, values)
    return _dm(context, delivery, user_id, message)


def render_invitation(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    announcement = _announcement(context, delivery)
    if announcement is None or announcement.status == AnnouncementStatus.CANCELLED:
        return "announcement cancelled"
    user_id = str(delivery.payload.get("user_id") or "")
    facts = _facts(context, delivery, announcement, user_id)
    if facts.status is not None:
        return SKIPPED + "already enrolled"
    cache = context.extras.setdefault("invitation_programs", {})
    if announcement.program_id not in cache:
        cache[announcement.program_id] = program_facts(
            context.session, program_id=announcement.program_id
        )
    program = cache[announcement.program_id]
    if program is None:
        return "program is gone"
    message = build_invitation(
        program_id=program.id,
        program=program.name,
        minutes=program.minutes,
        cadence=program.cadence,
        weeks=program.weeks,
    )
    return _dm(context, delivery, user_id, message)


def _sample_words(recipient: Recipient, pair: PairDetails | None) -> str:
    if recipient.channel:
        return f"everyone in <#{recipient.channel}>"
    if pair is not None:
        return "the pair " + " and ".join(f"<@{u}>" for u in pair.user_ids)
    return f"<@{recipient.user_id}>"


def preview_of(session: Session, announcement: Announcement, now: datetime) -> dict[str, Any]:
    """The preview: one real recipient's copy (placeholders filled for them), the count."""
    recipients = preview_facts(session, announcement, now)
    announcement.recipients = len(recipients)
    program = program_names(session, [announcement.program_id]).get(announcement.program_id, "")
    sample = recipients[0] if recipients else None
    pair = None
    if sample is None or sample.channel:
        values = {**CHANNEL_VALUES, "program": program}
    elif sample.pair_id is not None:
        pair = pair_details(session, sample.pair_id)
        values = _pair_values(pair, program)
    else:
        values, _ = _person_values(session, announcement, sample.user_id or "", program)
    return build_preview(
        summary_of(session, announcement),
        _copy(announcement, values),
        _sample_words(sample, pair) if sample else None,
    )


def render_preview(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """The preview in the admin channel; its ts is kept so the report can replace it."""
    announcement = _announcement(context, delivery)
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if announcement is None or announcement.status != AnnouncementStatus.DRAFT or not channel:
        return "no draft to preview, or no admin channel"
    message = preview_of(context.session, announcement, context.now)
    announcement_id = announcement.id

    def remember(session: Session, channel: str, ts: str) -> None:
        record_preview(session, announcement_id=announcement_id, channel=channel, ts=ts)

    return Post(message["text"], message["blocks"], channel=channel, on_sent=remember)


def render_invitation_report(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    announcement = _announcement(context, delivery)
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if announcement is None or not channel:
        return "no admin channel to tell"
    message = report_of(context.session, announcement)
    announcement_id = announcement.id

    def remember(session: Session, channel: str, ts: str) -> None:
        record_preview(session, announcement_id=announcement_id, channel=channel, ts=ts)

    return Post(message["text"], message["blocks"], channel=channel, on_sent=remember)


ANNOUNCEMENT_RENDERERS: dict[str, Renderer] = {
    ANNOUNCEMENT: render_copy,
    INVITATION: render_invitation,
    PREVIEW: render_preview,
    REPORT: render_invitation_report,
}
