"""The phrase bank agendas draw from; `{}` marks where the pair's own words go.

Several phrasings per item keep a months-long rhythm from reading like a form letter.
Each bank holds at least two entries, so the next variant always reads differently.
"""

from __future__ import annotations

Phrase = tuple[str, str]  # (title, detail)

JUNIOR_TOPIC: tuple[Phrase, ...] = (
    (
        "Junior teaches: {}",
        "The junior walks through it with a real example; the senior asks beginner questions.",
    ),
    (
        "Show and tell: {}",
        "The junior shows it live on screen; the senior tries one step themselves.",
    ),
    (
        "Junior's lesson: {}",
        "The junior explains why it matters and how they use it; the senior notes one thing to try.",
    ),
    (
        "Junior guides, senior drives: {}",
        "The senior does it hands-on while the junior coaches. Learn by doing, not by watching.",
    ),
    (
        "Fresh eyes on {}",
        "The junior shows what a newcomer notices that veterans miss; the senior asks 'why?' twice.",
    ),
)

JUNIOR_GOAL: tuple[Phrase, ...] = (
    (
        "Junior shows progress: {}",
        "The junior shows where they are and what blocks them; the senior listens first, then asks.",
    ),
    (
        "Junior demos a step towards: {}",
        "The junior shows one concrete thing they did since last time, and what they learned.",
    ),
    (
        "Junior walks through: {}",
        "The junior explains their plan; the senior helps find the next smallest step.",
    ),
    (
        "Junior's update on: {}",
        "The junior shows what worked and what didn't; together pick what to try next.",
    ),
)

JUNIOR_OPEN: tuple[Phrase, ...] = (
    (
        "Junior shows a tool or habit they rely on",
        "The junior demos it on screen; the senior tries it on something real.",
    ),
    (
        "Junior teaches something new to the senior",
        "A shortcut, an app, a trend the junior's peers use: the senior gets hands-on.",
    ),
    (
        "Junior shares how their generation works",
        "Channels, tools, expectations: the junior shows, the senior compares notes.",
    ),
)

FOLLOW_ACTION: tuple[Phrase, ...] = (
    ("Follow-up: {}", "Done, in progress or dropped? What helped or got in the way?"),
    (
        "Check in on: {}",
        "Each says where their open action stands; close it, keep it, or reshape it.",
    ),
    (
        "Since last time: {}",
        "What happened with the open actions? Celebrate what's done, unblock what isn't.",
    ),
)

FOLLOW_LEARNING: tuple[Phrase, ...] = (
    ("Revisit: {}", "Did either of you try it since? What changed, what didn't stick?"),
    ("Last time you learned: {}", "Where did it show up in your week? One example each."),
    ("Back to: {}", "Still useful, or does it need a tweak? Say what you'd keep."),
)

SENIOR_TOPIC: tuple[Phrase, ...] = (
    (
        "Senior shares context: {}",
        "The senior explains the background: history, trade-offs, who decides. The junior asks what's unwritten.",
    ),
    (
        "Career corner: {}",
        "The senior tells a story from their own path; the junior picks one idea to test.",
    ),
    (
        "Behind the scenes: {}",
        "The senior shows how this works beyond the org chart; the junior asks one hard question.",
    ),
    (
        "Senior's view on {}",
        "The senior shares what they wish they'd known earlier; the junior relates it to their work.",
    ),
)

SENIOR_SUBJECTS: tuple[str, ...] = (
    "how decisions get made here",
    "a turning point in their career",
    "getting things done across teams",
    "a mistake worth learning from",
)

CLOSE: tuple[Phrase, ...] = (
    (
        "Close: what will each of you apply?",
        "One concrete action each, with a date. The junior goes first.",
    ),
    (
        "Wrap-up: one takeaway each",
        "What will each of you apply before you next meet? Note it as an action.",
    ),
    ("Close: commit to one step", "Each names one thing to apply and when; say it out loud."),
    (
        "Close: what sticks?",
        "Each shares what they will apply this week, and how the other will know.",
    ),
)
