"""The App Home tab: a frame (welcome, privacy) around sections other modules build.

The participant's dashboard is one section (`participant_blocks`); coordinators' tools
may add another. `build_home` keeps any mix valid: at most 100 blocks, unique block
ids, texts cut to Slack's limits. Times are `<!date^…>` tokens, so each viewer reads
them in their own timezone.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.clock import zone
from bot.commands import SLASH_COMMAND
from bot.rhythm import Agenda
from bot.services.goals import GoalView
from bot.services.home_dashboard import Dashboard, PairPanel
from bot.services.pairs import PairPerson
from bot.views.blocks import VIEW_BLOCK_LIMIT, button, context, divider, header, section
from bot.views.goal_progress import ProgressIds, progress_words
from bot.views.goals import STATUS_EMOJI, GoalIds, goal_line
from models.enums import GoalStatus, PairStatus

HOME_CALLBACK_ID = "twoway-home"
SHOWN_PAIRS = 4
Blocks = list[dict[str, Any]]


class HomeIds(enum.StrEnum):
    PICK_TIME = "home-pick-time"  # value: pair id
    LOG_SESSION = "home-log-session"
    ADD_LEARNING = "home-add-learning"
    GIVE_FEEDBACK = "home-give-feedback"
    PAUSE = "home-pause"
    RESUME = "home-resume"
    SURVEY = "home-survey"  # value: survey id
    JOIN = "home-join"


def when(moment: datetime, pattern: str = "{date_short_pretty} at {time}") -> str:
    fallback = moment.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{pattern}|{fallback}>"


def _partner_line(person: PairPerson, now: datetime) -> str:
    local = now.astimezone(zone(person.timezone))
    hours = (
        f", works {person.work_start:%H:%M}–{person.work_end:%H:%M} their time"
        if person.work_start and person.work_end
        else ""
    )
    return (
        f"<@{person.user_id}> ({person.role.value}, {person.department}) — "
        f"{local:%H:%M} their time when this page was updated ({person.timezone}){hours}"
    )


def _goal_text(goal: GoalView) -> str:
    """The goal line; an open goal with no step yet says so (its owner can add one)."""
    if goal.progress is None and goal.status == GoalStatus.OPEN:
        return f"{goal_line(goal)}\n{progress_words(None)}"
    return goal_line(goal)


def _pair_blocks(panel: PairPanel, agenda: Agenda | None, *, user_id: str, now: datetime) -> Blocks:
    pair = panel.pair
    partners = pair.partners_of(user_id)
    names = ", ".join(f"<@{p.user_id}>" for p in partners)
    started = f"Started {when(pair.started_at, '{date_long}')}" if pair.started_at else "Starting"
    rotation = f" · next rotation {pair.next_rotation_on:%d %b %Y}" if pair.next_rotation_on else ""
    paused = " · _paused_" if pair.status == PairStatus.PAUSED else ""
    blocks: Blocks = [
        section(
            f"*Your partner:* {names} in *{pair.program_name}*, round {pair.round}\n"
            + "\n".join(_partner_line(p, now) for p in partners)
            + f"\n{started}{rotation}{paused}"
        )
    ]
    if panel.next_session_at:
        session_text = f"*Next session:* {when(panel.next_session_at)}"
    elif pair.status == PairStatus.ACTIVE:
        session_text = "*Next session:* no time picked yet."
    else:
        session_text = "*Next session:* none while the pair is paused."
    if agenda is not None and agenda.items:
        items = "\n".join(f"• {item.minutes} min · {item.title}" for item in agenda.items[:8])
        session_text += f"\n*Agenda so far*\n{items}"
    blocks.append(section(session_text))
    buttons = [button("Set or edit my goals", GoalIds.EDIT, str(pair.id))]
    if pair.status == PairStatus.ACTIVE and not panel.next_session_at:
        buttons.insert(0, button("Pick a time", HomeIds.PICK_TIME, str(pair.id), "primary"))
    blocks.append({"type": "actions", "block_id": f"home-pair-{pair.id}", "elements": buttons})
    me = pair.person(user_id)
    mine = [g for g in panel.goals if me and g.owner_id == me.participant_id]
    if not mine:
        blocks.append(section("*Your goals:* none yet. Set 1–3 with the button above."))
    for index, goal in enumerate(mine[:3]):
        block = section(("*Your goals*\n" if index == 0 else "") + _goal_text(goal))
        if goal.status == GoalStatus.OPEN:
            block["accessory"] = button("Record progress", ProgressIds.OPEN, str(goal.id))
        blocks.append(block)
    for partner in partners:
        theirs = [g for g in panel.goals if g.owner_id == partner.participant_id][:3]
        lines = "\n".join(_goal_text(g) for g in theirs) or "none yet."
        blocks.append(section(f"*<@{partner.user_id}>'s goals*\n{lines}"))
    achieved = [g for g in panel.goals if g.status == GoalStatus.ACHIEVED]
    if achieved:
        blocks.append(
            context(
                f"{STATUS_EMOJI[GoalStatus.ACHIEVED]} Achieved together so far: "
                + "; ".join(g.text for g in achieved[:6])
            )
        )
    return blocks


def _items_blocks(dashboard: Dashboard) -> Blocks:
    if not dashboard.items:
        return [section("*Your action items:* nothing open.")]
    lines = "\n".join(
        f"• {item.text}" + (f" — due {item.due_on:%d %b %Y}" if item.due_on else "")
        for item in dashboard.items
    )
    more = (
        f"\n_{dashboard.items_total - len(dashboard.items)} more: see all with "
        f"`{SLASH_COMMAND} actions`._"
        if dashboard.items_total > len(dashboard.items)
        else ""
    )
    return [section(f"*Your action items*\n{lines}{more}")]


def _learnings_blocks(dashboard: Dashboard) -> Blocks:
    if not dashboard.learnings:
        return [section("*Your latest learnings:* none yet. Add one with the button below.")]
    lines = "\n".join(
        f"• {when(entry.created_at, '{date_short}')}: {entry.text[:280]}"
        for entry in dashboard.learnings
    )
    return [
        section(
            f"*Your latest learnings* (only you see these)\n{lines}\n"
            f"_See all with `{SLASH_COMMAND} learnings`._"
        )
    ]


def _survey_blocks(dashboard: Dashboard) -> Blocks:
    survey = dashboard.survey
    if survey is None:
        return []
    return [
        section(
            f"*A survey is open* for *{survey.program_name}* until {when(survey.closes_at)}.",
            block_id="home-survey-text",
        ),
        {
            "type": "actions",
            "block_id": "home-survey",
            "elements": [button("Answer the survey", HomeIds.SURVEY, str(survey.id), "primary")],
        },
    ]


def _common_actions(dashboard: Dashboard) -> Blocks:
    elements = [
        button("Log a session", HomeIds.LOG_SESSION, "log"),
        button("Add a learning", HomeIds.ADD_LEARNING, "learning"),
        button("Give feedback", HomeIds.GIVE_FEEDBACK, "feedback"),
    ]
    if dashboard.can_pause:
        elements.append(button("Pause", HomeIds.PAUSE, "pause"))
    if dashboard.can_resume:
        elements.append(button("Resume", HomeIds.RESUME, "resume", "primary"))
    return [{"type": "actions", "block_id": "home-common", "elements": elements}]


def _open_to_join(dashboard: Dashboard) -> Blocks:
    names = dashboard.status.open_programs
    if not names:
        return []
    listed = ", ".join(f"*{n}*" for n in names[:10])
    return [section(f"*Open to join:* {listed} — type `{SLASH_COMMAND} join`.")]


def _newcomer_blocks(dashboard: Dashboard) -> Blocks:
    """Someone in no program: a warm welcome and how to join."""
    opening = (
        "*You're not in a program yet — and you'd be very welcome.*\n"
        "In a program you're paired with someone from another generation for a few months: "
        "you meet for half an hour every week or two, each of you teaches and learns, and "
        "twoway handles the scheduling, agendas and reminders."
    )
    if not dashboard.status.open_programs:
        return [
            section(
                f"{opening}\nNo program is open to join right now. Your coordinators will "
                f"announce the next one; then type `{SLASH_COMMAND} join`."
            )
        ]
    return [
        section(opening),
        *_open_to_join(dashboard),
        {
            "type": "actions",
            "block_id": "home-join",
            "elements": [button("Join a program", HomeIds.JOIN, "join", "primary")],
        },
    ]


def participant_blocks(
    dashboard: Dashboard,
    agendas: dict[int, Agenda],
    *,
    user_id: str,
    now: datetime,
    is_coordinator: bool,
) -> Blocks:
    """The participant's dashboard; for a coordinator in no program, nothing at all."""
    if not dashboard.is_participant:
        return [] if is_coordinator else _newcomer_blocks(dashboard)
    lines = "\n".join(
        f"• *{e.program_name}* — {e.role.value}, {e.status.value}"
        for e in dashboard.status.enrolments[:10]
    )
    blocks: Blocks = [section(f"*Your programs*\n{lines}")]
    if not dashboard.panels:
        blocks.append(
            section("*Your partners*\nYou'll meet your partner at the next matching round.")
        )
    for panel in dashboard.panels[:SHOWN_PAIRS]:
        blocks += [
            divider(),
            *_pair_blocks(panel, agendas.get(panel.pair.id), user_id=user_id, now=now),
        ]
    if len(dashboard.panels) > SHOWN_PAIRS:
        blocks.append(
            context(
                f"{len(dashboard.panels) - SHOWN_PAIRS} more pairs: see all with "
                f"`{SLASH_COMMAND} pair` and `{SLASH_COMMAND} goals`."
            )
        )
    blocks += [
        divider(),
        *_items_blocks(dashboard),
        *_learnings_blocks(dashboard),
        *_survey_blocks(dashboard),
        *_common_actions(dashboard),
        *_open_to_join(dashboard),
    ]
    return blocks


def _fit(blocks: Blocks, limit: int) -> Blocks:
    """Keep a valid view: unique block ids, and within the block limit (a note if cut)."""
    seen: set[str] = set()
    kept: Blocks = []
    for block in blocks:
        block_id = block.get("block_id")
        if block_id in seen:
            block = {k: v for k, v in block.items() if k != "block_id"}
        elif block_id:
            seen.add(block_id)
        kept.append(block)
    if len(kept) > limit:
        more = context(f"There's more than fits here: type `{SLASH_COMMAND} help` for every list.")
        kept = [*kept[: limit - 1], more]
    return kept


def build_home(*, user_id: str, sections: Sequence[Blocks] = ()) -> dict[str, Any]:
    """Welcome, what reverse mentoring is, then each section in order."""
    intro: Blocks = [
        header("Welcome to twoway :wave:"),
        section(f"Hi <@{user_id}>! twoway runs *reverse-mentoring* programs right here in Slack."),
        section(
            "*How it works*\n"
            "• *Juniors* bring digital fluency, current trends and fresh eyes.\n"
            "• *Seniors* bring institutional memory, strategic context and career guidance.\n"
            "• Pairs set measurable goals, meet for 20–45 minutes on a steady rhythm, "
            "log what they learned and what they will apply, and reflect every quarter."
        ),
        section(
            "*Your privacy*\nWhat you and your partner write stays with the two of you. "
            "Coordinators only ever see totals, and never for fewer than 3 people."
        ),
    ]
    footer = context(f"Type `{SLASH_COMMAND} help` in any channel to see what you can do.")
    body = [block for blocks in sections if blocks for block in [divider(), *blocks]]
    return {
        "type": "home",
        "callback_id": HOME_CALLBACK_ID,
        "blocks": _fit([*intro, *body, footer], VIEW_BLOCK_LIMIT),
    }
