"""What a pair sees of its rhythm: the session nudge, time slots, agendas, `/mentor next`.

Times use Slack's `<!date^…>` tokens, so each person sees them in their own timezone.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from bot.clock import zone
from bot.errors import TwowayError
from bot.rhythm import Agenda, Slot
from bot.services.pairs import PairDetails
from bot.views.blocks import button, context, header, section
from bot.views.payloads import StaleButton, StaleForm, bounded_int, id_or_none, period_key_or_none
from bot.views.state import State, selected_date, selected_value, text_value

REASON_MAX = 500
NEXT_HELP = "Your next session and the agenda so far."  # `/mentor help` lines
LOG_HELP = "Log a session you held without a nudge (date, minutes)."


class RhythmIds(enum.StrEnum):
    PICK_TIME = "rhythm-pick-time"
    CHOOSE_TIME = "rhythm-choose-time"  # on the pair's list of times: my own choices, my timezone
    SLOT = "rhythm-slot"  # each slot button adds its position: rhythm-slot-0, -1, -2
    MET = "rhythm-met"
    SKIP = "rhythm-skip"
    HELP = "rhythm-help"
    SKIP_CALLBACK = "rhythm-skip-reason"
    SKIP_REASON = "rhythm-skip-reason-text"
    LOG_CALLBACK = "rhythm-log"
    LOG_PAIR = "rhythm-log-pair"
    LOG_DATE = "rhythm-log-date"
    LOG_MINUTES = "rhythm-log-minutes"


def slack_time(moment: datetime, pattern: str = "{date_short_pretty} at {time}") -> str:
    """A time every reader sees in their own timezone (with a UTC fallback)."""
    fallback = moment.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{pattern}|{fallback}>"


def button_value(pair_id: int, period_key: str, extra: str = "") -> str:
    return f"{pair_id}:{period_key}" + (f":{extra}" if extra else "")


EPOCH_MAX = 2**33  # the year 2242: past any slot offered, within what datetime can hold


def parse_button_value(
    value: object, stale: type[TwowayError] = StaleButton
) -> tuple[int, str, str]:
    """The pair id, period key and extra part of a value `button_value` wrote; `stale` else."""
    parts = value.split(":", 2) if isinstance(value, str) else []
    pair_id = id_or_none(parts[0]) if len(parts) >= 2 else None
    period_key = period_key_or_none(parts[1]) if len(parts) >= 2 else None
    if pair_id is None or period_key is None:
        raise stale()
    return pair_id, period_key, parts[2] if len(parts) == 3 else ""


def parse_form_value(value: object) -> tuple[int, str]:
    """The pair and period a skip modal's metadata carries; `StaleForm` when it is not ours."""
    pair_id, period_key, _ = parse_button_value(value, StaleForm)
    return pair_id, period_key


def slots_value(pair_id: int, period_key: str, starts: Sequence[datetime]) -> str:
    """A *Choose a time* button's value: the pair, the period and the offered starts."""
    return button_value(pair_id, period_key, ".".join(str(int(t.timestamp())) for t in starts))


def parse_slots_value(value: object) -> tuple[int, str, list[datetime]]:
    """What `slots_value` wrote; `StaleButton` when any part is not ours."""
    pair_id, period_key, extra = parse_button_value(value)
    seconds = [bounded_int(part, low=0, high=EPOCH_MAX) for part in extra.split(".")[:5]]
    if not extra or any(s is None for s in seconds):
        raise StaleButton()
    return pair_id, period_key, [datetime.fromtimestamp(s or 0, UTC) for s in seconds]


def parse_slot_value(value: object) -> tuple[int, str, datetime]:
    """A slot button's pair, period and start time (UTC)."""
    pair_id, period_key, epoch = parse_button_value(value)
    seconds = bounded_int(epoch, low=0, high=EPOCH_MAX)
    if seconds is None:
        raise StaleButton()
    return pair_id, period_key, datetime.fromtimestamp(seconds, UTC)


def build_nudge(
    pair: PairDetails,
    *,
    period_key: str,
    period_ends_on: date,
    fits_everyone: bool,
    when: datetime,
    first: bool = False,
) -> dict[str, Any]:
    """`first`: the pair's first nudge, which says "first" where later ones say "again"."""
    mentions = " and ".join(f"<@{p.user_id}>" for p in pair.people)
    junior = pair.people[0]
    lines = [
        f":calendar: {mentions}, time for your {'first' if first else 'next'} "
        f"*{pair.session_minutes}-minute* session (before {period_ends_on:%d %b}). "
        + (
            f"<@{junior.user_id}> leads the agenda: that's what makes it reverse mentoring."
            if first
            else f"<@{junior.user_id}> leads the agenda again."
        )
    ]
    if not fits_everyone:
        lines.append(
            ":earth_africa: Your working hours don't overlap, so I picked the fairest time I could "
            f"({slack_time(when)}); it is a little outside someone's hours. *Pick a time* offers the least awkward slots."
        )
    value = button_value(pair.id, period_key)
    return {
        "text": f"Time for your next reverse-mentoring session ({pair.session_minutes} min)",
        "blocks": [
            section("\n".join(lines)),
            {
                "type": "actions",
                "block_id": f"nudge-{pair.id}-{period_key}",
                "elements": [
                    button("Pick a time", RhythmIds.PICK_TIME, value, "primary"),
                    button("We already met", RhythmIds.MET, value),
                    button("Skip this time", RhythmIds.SKIP, value),
                    button("Need help", RhythmIds.HELP, value),
                ],
            },
        ],
    }


def build_slot_choices(pair: PairDetails, *, period_key: str, slots: list[Slot]) -> dict[str, Any]:
    """For the pair: the times in Slack date tokens (each reader sees their own timezone) and
    one button that gives whoever presses it buttons labelled in their own timezone."""
    if not slots:
        return {
            "text": "No common time found",
            "blocks": [
                section(
                    "I couldn't find a time in the next days that suits you both. Agree on one here and use `/mentor log` afterwards."
                )
            ],
        }
    fits = all(s.fits_everyone for s in slots)
    intro = (
        "Here are times that fit both your working hours"
        if fits
        else "Your hours don't overlap; these are the fairest times"
    )
    times = "\n".join(
        f"• {slack_time(slot.start, '{date_long_pretty} at {time}')}" for slot in slots
    )
    return {
        "text": "Pick a time for your session",
        "blocks": [
            section(f"{intro}, each shown in your own timezone:\n{times}"),
            {
                "type": "actions",
                "block_id": f"slots-{pair.id}-{period_key}",
                "elements": [
                    button(
                        "Choose one of these times",
                        RhythmIds.CHOOSE_TIME,
                        slots_value(pair.id, period_key, [slot.start for slot in slots]),
                        "primary",
                    )
                ],
            },
            context("Either of you can choose; the other gets the calendar invite too."),
        ],
    }


def local_label(moment: datetime, timezone: str) -> str:
    """A button label in one person's timezone: 'Wed 4 Mar, 15:30'."""
    local = moment.astimezone(zone(timezone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def build_slot_buttons(
    *, pair_id: int, period_key: str, starts: Sequence[datetime], timezone: str, note: str = ""
) -> dict[str, Any]:
    """Only for the person who asked: one button per time, labelled in their own timezone."""
    if not starts:
        text = (
            "These times have passed. Agree on one in your pair conversation, or use "
            "*Pick a time* on your next nudge for fresh ones."
        )
        return {"text": text, "blocks": [section(text)]}
    zone_name = timezone.rsplit("/", 1)[-1].replace("_", " ")
    intro = f"{note}\n" if note else ""
    return {
        "text": "Choose a time for your session",
        "blocks": [
            section(f"{intro}Choose a time (shown in your timezone, {zone_name}):"),
            {
                "type": "actions",
                "block_id": f"slot-choice-{pair_id}-{period_key}",
                "elements": [
                    button(
                        local_label(start, timezone),
                        f"{RhythmIds.SLOT}-{index}",  # button ids are unique within a block
                        button_value(pair_id, period_key, str(int(start.timestamp()))),
                    )
                    for index, start in enumerate(starts)
                ],
            },
        ],
    }


def build_session_planned(
    *, user_id: str, start: datetime, minutes: int, agenda_sent: bool
) -> dict[str, Any]:
    """The pick, for the pair; the agenda comes an hour before unless this period's went out."""
    agenda = (
        "your agenda for it is already above in this chat."
        if agenda_sent
        else "I'll send your agenda an hour before."
    )
    text = (
        f":white_check_mark: <@{user_id}> picked {slack_time(start)} ({minutes} min). "
        f"The calendar invite is attached; {agenda}"
    )
    return {"text": "Session planned", "blocks": [section(text)]}


def build_skip_note(*, user_id: str) -> dict[str, Any]:
    """For the pair: who skipped this period, never why."""
    text = f"<@{user_id}> can't make it this time. See you at the next nudge!"
    return {"text": text, "blocks": [section(text)]}


def build_agenda_message(
    pair: PairDetails, agenda: Agenda, *, when: datetime | None
) -> dict[str, Any]:
    leads = {p.role.value: p.user_id for p in pair.people}
    timing = f" for {slack_time(when)}" if when else ""
    lines = []
    clock = 0
    for item in agenda.items:
        lead = (
            f" — led by <@{leads[item.lead.value]}>"
            if item.lead is not None and item.lead.value in leads
            else ""
        )
        lines.append(f"*{clock}–{clock + item.minutes} min · {item.title}*{lead}\n{item.detail}")
        clock += item.minutes
    opening = (
        f"Your session{timing}:"
        if timing
        else "No time is picked yet: choose one with *Pick a time* on your nudge. Here's the plan:"
    )
    due = _due_goals(agenda)
    return {
        "text": f"Your {pair.session_minutes}-minute agenda",
        "blocks": [
            header(f"Agenda for your {pair.session_minutes}-minute session"),
            section(opening),
            *(section(line) for line in lines),
            *([section(due)] if due else []),
            context("The junior leads; adapt freely. After the session I'll ask how it went."),
        ],
    }


def _due_goals(agenda: Agenda) -> str:
    """The goals whose target date is near, so the pair can check where they stand."""
    if not agenda.due_goals:
        return ""
    lines = "\n".join(f"• {text} (by {on:%a} {on.day} {on:%b})" for text, on in agenda.due_goals)
    return f":dart: *Target dates coming up*: worth a look at where you stand.\n{lines}"


def build_skip_modal(*, value: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": RhythmIds.SKIP_CALLBACK,
        "private_metadata": value,
        "title": {"type": "plain_text", "text": "Skip this time"},
        "submit": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": RhythmIds.SKIP_REASON,
                "label": {
                    "type": "plain_text",
                    "text": "Why skip this time? (kept for your program's records)",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": RhythmIds.SKIP_REASON,
                    "multiline": True,
                    "max_length": REASON_MAX,
                },
            }
        ],
    }


def parse_skip_reason(state: State) -> str | dict[str, str]:
    reason = " ".join(text_value(state, RhythmIds.SKIP_REASON, RhythmIds.SKIP_REASON).split())
    if len(reason) < 3:
        return {
            RhythmIds.SKIP_REASON: "A few words, please (for example: travelling, deadline week)."
        }
    if len(reason) > REASON_MAX:
        return {RhythmIds.SKIP_REASON: f"Please keep it under {REASON_MAX} characters."}
    return reason


def build_log_modal(pairs: list[PairDetails], *, today: date) -> dict[str, Any]:
    options = [
        {
            "text": {"type": "plain_text", "text": f"{p.program_name}, round {p.round}"[:75]},
            "value": str(p.id),
        }
        for p in pairs[:100]
    ]
    return {
        "type": "modal",
        "callback_id": RhythmIds.LOG_CALLBACK,
        "title": {"type": "plain_text", "text": "Log a session"},
        "submit": {"type": "plain_text", "text": "Log it"},
        "blocks": [
            {
                "type": "input",
                "block_id": RhythmIds.LOG_PAIR,
                "label": {"type": "plain_text", "text": "Pair"},
                "element": {
                    "type": "static_select",
                    "action_id": RhythmIds.LOG_PAIR,
                    "options": options,
                    "initial_option": options[0],
                },
            },
            {
                "type": "input",
                "block_id": RhythmIds.LOG_DATE,
                "label": {"type": "plain_text", "text": "When did you meet?"},
                "element": {
                    "type": "datepicker",
                    "action_id": RhythmIds.LOG_DATE,
                    "initial_date": today.isoformat(),
                },
            },
            {
                "type": "input",
                "block_id": RhythmIds.LOG_MINUTES,
                "label": {"type": "plain_text", "text": "Minutes"},
                "element": {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "action_id": RhythmIds.LOG_MINUTES,
                    "min_value": "5",
                    "max_value": "240",
                    "initial_value": str(pairs[0].session_minutes),
                },
            },
        ],
    }


def parse_log(state: State, *, today: date) -> tuple[int, date, int] | dict[str, str]:
    errors: dict[str, str] = {}
    pair_value = selected_value(state, RhythmIds.LOG_PAIR, RhythmIds.LOG_PAIR)
    held_on = selected_date(state, RhythmIds.LOG_DATE, RhythmIds.LOG_DATE)
    raw_minutes = text_value(state, RhythmIds.LOG_MINUTES, RhythmIds.LOG_MINUTES)
    if pair_value is None:
        errors[RhythmIds.LOG_PAIR] = "Pick the pair."
    if held_on is None:
        errors[RhythmIds.LOG_DATE] = "Pick the date you met."
    elif held_on > today:
        errors[RhythmIds.LOG_DATE] = "That's in the future; log a session once it has happened."
    pair_id = id_or_none(pair_value)
    if pair_value is not None and pair_id is None:
        errors[RhythmIds.LOG_PAIR] = "Pick one of your pairs from the list."
    minutes = bounded_int(raw_minutes, low=5, high=240)
    if minutes is None:
        errors[RhythmIds.LOG_MINUTES] = "Between 5 and 240 minutes."
    if errors or pair_id is None or held_on is None or minutes is None:
        return errors
    return pair_id, held_on, minutes


def _no_time_yet(nudged: bool, next_nudge: datetime | None) -> str:
    if nudged:
        return "No time picked yet — use *Pick a time* on your latest nudge."
    if next_nudge is not None:
        return (
            f"No time picked yet. Your first nudge arrives {slack_time(next_nudge)}, "
            "with a *Pick a time* button."
        )
    return "No time picked yet. Your first nudge, with a *Pick a time* button, arrives shortly."


class NextSession(NamedTuple):
    """One entry of `/mentor next`: the pair, its next planned time, the agenda so far, and
    whether a nudge reached the pair yet (else when the first one is due)."""

    pair: PairDetails
    when: datetime | None
    agenda: Agenda
    nudged: bool = True
    next_nudge: datetime | None = None


def build_next(entries: Sequence[NextSession], *, user_id: str) -> dict[str, Any]:
    if not entries:
        return {
            "response_type": "ephemeral",
            "text": "No active pair",
            "blocks": [section("You have no active pair right now, so no session is planned.")],
        }
    blocks: list[dict[str, Any]] = [header("Your next session")]
    for pair, when, agenda, nudged, next_nudge in entries[:5]:
        partners = ", ".join(f"<@{p.user_id}>" for p in pair.partners_of(user_id))
        planned = f"Planned for {slack_time(when)}" if when else _no_time_yet(nudged, next_nudge)
        items = "\n".join(f"• {item.minutes} min · {item.title}" for item in agenda.items)
        due = _due_goals(agenda)
        blocks.append(
            section(
                f"*{pair.program_name}* with {partners}\n{planned}\n*Agenda so far*\n{items}"
                + (f"\n{due}" if due else "")
            )
        )
    return {"response_type": "ephemeral", "text": "Your next session", "blocks": blocks}
