"""What enrolment says: confirmations, the leave prompt, pause/resume/leave answers,
and the parser of `/mentor pause`'s arguments."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.errors import InvalidInput
from bot.services.enrolment import ProfileAnswers, ProgramRef
from bot.views.blocks import section
from bot.views.enrolment import ROLE_TEXT, LeaveIds, hhmm, plain
from bot.views.payloads import id_or_none

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PAUSE_USAGE = (
    "Use `/mentor pause` (until you `/mentor resume`) or `/mentor pause until YYYY-MM-DD` "
    "with a date after today, for example `/mentor pause until {example}`."
)


def parse_pause_until(args: list[str], *, today: date) -> date | None:
    """`pause`, `pause until 2030-01-31` or `pause 2030-01-31`; anything else is refused.

    `today` is the person's own date, used only for the example in the refusal.
    """
    words = args[1:] if args and args[0].lower() == "until" else args
    if not args:
        return None
    try:
        if len(words) == 1 and ISO_DATE.fullmatch(words[0]):
            return date.fromisoformat(words[0])
    except ValueError:
        pass
    example = date.fromordinal(today.toordinal() + 14).isoformat()
    raise InvalidInput(PAUSE_USAGE.format(example=example))


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"*{n}*" for n in names)


def build_leave_prompt(enrolments: list[ProgramRef]) -> dict[str, Any]:
    """An ephemeral message with Confirm (danger, with Slack's confirm dialog) and Cancel."""
    names = _names([e.name for e in enrolments])
    value = ",".join(str(e.participant_id) for e in enrolments)
    confirm = {
        "type": "button",
        "action_id": LeaveIds.CONFIRM.value,
        "text": plain("Leave"),
        "style": "danger",
        "value": value,
        "confirm": {
            "title": plain("Leave the program?"),
            "text": plain("Your current pairs end and your partners are told kindly."),
            "confirm": plain("Leave"),
            "deny": plain("Stay"),
            "style": "danger",
        },
    }
    cancel = {
        "type": "button",
        "action_id": LeaveIds.CANCEL.value,
        "text": plain("Cancel"),
        "value": value,
    }
    text = f"Do you want to leave {names}?"
    blocks = [
        section(
            f"{text} Your current pairs end; your partners get a kind note (no reason, no "
            "details) and will be matched again at the next round. You can come back "
            "later with `/mentor join`."
        ),
        {"type": "actions", "block_id": LeaveIds.ACTIONS.value, "elements": [confirm, cancel]},
    ]
    return {"response_type": "ephemeral", "text": text, "blocks": blocks}


def parse_participant_ids(value: object) -> list[int]:
    """The ids a leave button carries (at most 50); [] when any part is not an id."""
    parts = value.split(",") if isinstance(value, str) else []
    ids = [id_or_none(p) for p in parts[:50]]
    return [i for i in ids if i is not None] if ids and None not in ids else []


def enrolled_text(
    *, program: ProgramRef, joined: bool, answers: ProfileAnswers, timezone: str
) -> str:
    hours = f"{hhmm(answers.work_start)}–{hhmm(answers.work_end)}"
    if not joined:
        return (
            f":white_check_mark: Your profile for *{program.name}* is updated "
            f"(sessions {hours}, {timezone})."
        )
    role = ROLE_TEXT[answers.role][0].lower()
    return (
        f":tada: You're in *{program.name}* as a {role}. Sessions will fit {hours} in your "
        f"timezone ({timezone}, from your Slack profile). Your coordinator will pair you at "
        "the next round.\n`/mentor profile` changes your answers, `/mentor pause` takes a "
        "break and `/mentor leave` steps back."
    )


def partner_notice_text(programs: tuple[str, ...]) -> str:
    return (
        f"Hi! Your mentoring partner in {_names(programs)} has stepped back from the program. "
        "Thank you for the time and openness you brought to your sessions together. Your "
        "coordinator will find you a new partner at the next round; there's nothing you need "
        "to do."
    )


def paused_text(changed: tuple[str, ...], unchanged: tuple[str, ...], until: str | None) -> str:
    period = f"until {until}" if until else "until you `/mentor resume`"
    if not changed:
        return f"You're already paused in {_names(unchanged)} {period}. Nothing changed."
    return (
        f":pause_button: Paused in {_names(changed)} {period}. You won't be matched or "
        "nudged meanwhile; `/mentor resume` brings you back any time."
    )


def resumed_text(changed: tuple[str, ...], unchanged: tuple[str, ...]) -> str:
    if not changed:
        return f"You're not paused (you're active in {_names(unchanged)}), so nothing changed."
    return f":wave: Welcome back! You're active again in {_names(changed)}."


def left_text(left: tuple[str, ...], already_left: tuple[str, ...]) -> str:
    if not left:
        return f"You had already left {_names(already_left)}. Nothing changed."
    return (
        f"You've left {_names(left)}. Thank you for taking part! Your partner, if you had "
        "one, has been told kindly, without details."
    )


CANCELLED_TEXT = "OK, you're staying. Nothing changed."
