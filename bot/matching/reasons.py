"""Why a proposed pair fits, in words a person would write: for the intro and the preview."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.matching.candidates import MINUTES_PER_DAY, Candidate, MatchRules, normalise
from bot.matching.hours import pair_overlap_minutes
from bot.topics import LANGUAGES, TOPICS, topic_key

MAX_REASONS = 3
MAX_CHARS = 120
FALLBACK = "paired so that nobody is left without a partner this round"
JUNIOR, SENIOR = "{junior}", "{senior}"  # filled with the people when shown (`fill_reasons`)
TOPIC_LABELS = {topic_key(label): label for label in TOPICS}
LANGUAGE_NAMES = dict(LANGUAGES)


def pair_reasons(senior: Candidate, junior: Candidate, rules: MatchRules) -> tuple[str, ...]:
    """Up to three reasons, biggest score contribution first; never names or keys.

    Each reason is part of a sentence with `{junior}` and `{senior}` where the people go,
    so the intro can name them ("Jo can show Sam AI tools, which Sam wants to learn").
    The contributions use the same weights as the score, so the first reason is the one
    that drove the match most. Ties keep the order below (junior's sharing first).
    """
    w = rules.weights
    junior_gives = _common(junior.can_share, senior.wants_to_learn)
    senior_gives = _common(senior.can_share, junior.wants_to_learn)
    languages = _common(senior.languages, junior.languages)
    overlap = pair_overlap_minutes(senior, junior)
    capped = min(overlap, w.overlap_cap_minutes, MINUTES_PER_DAY)
    s_dept, j_dept = senior.department.strip(), junior.department.strip()
    candidates = [
        (
            w.junior_shares * len(junior_gives),
            _topics(
                f"{JUNIOR} can show {SENIOR} ", junior_gives, f", which {SENIOR} wants to learn"
            ),
        ),
        (
            w.senior_shares * len(senior_gives),
            _topics(
                f"{SENIOR} can guide {JUNIOR} on ", senior_gives, f", which {JUNIOR} wants to learn"
            ),
        ),
        (
            w.overlap_per_hour * capped / 60,
            f"working hours overlap by {_duration(overlap)} a day",
        ),
        (
            w.shared_language * bool(languages),
            _topics(
                "both speak ",
                [LANGUAGE_NAMES.get(code, code) for code in languages],
                "",
                as_topics=False,
            ),
        ),
        (
            w.different_department * (normalise(s_dept) != normalise(j_dept)),
            f"{SENIOR} works in {_clip(s_dept, 40)} and {JUNIOR} in {_clip(j_dept, 40)}, "
            "so each sees another part of the organisation",
        ),
    ]
    ranked = sorted((c for c in candidates if c[0] > 0), key=lambda c: -c[0])
    return tuple(text for _, text in ranked[:MAX_REASONS]) or (FALLBACK,)


def fill_reasons(reasons: Sequence[str], *, junior: str, senior: str) -> str:
    """The reasons as one sentence a person would write, with the people in it."""
    filled = [r.replace(JUNIOR, junior).replace(SENIOR, senior) for r in reasons if r.strip()]
    if not filled:
        return ""
    text = "; ".join(filled)
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _common(a: Iterable[str], b: Iterable[str]) -> list[str]:
    """Shared labels, normalised and sorted so the wording is deterministic."""
    return sorted({normalise(x) for x in a} & {normalise(x) for x in b})


def _label(topic: str) -> str:
    """'ai tools' → 'AI tools', 'social media' → 'social media' (lower case mid-sentence)."""
    label = TOPIC_LABELS.get(topic_key(topic), topic)
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _topics(prefix: str, items: list[str], suffix: str, *, as_topics: bool = True) -> str:
    """prefix + 'a, b and c' + suffix within MAX_CHARS, ending 'and N more' when cut short."""
    labels = [_label(item) for item in items] if as_topics else items
    for shown in range(len(labels), 0, -1):
        rest = len(labels) - shown
        listed = _and(labels[:shown] + ([f"{rest} more"] if rest else []))
        text = f"{prefix}{listed}{suffix}"
        if len(text) <= MAX_CHARS:
            return text
    first = labels[0] if labels else ""
    return f"{prefix}{_clip(first, MAX_CHARS - len(prefix) - len(suffix))}{suffix}"


def _duration(minutes: int) -> str:
    """'3 hours', '45 minutes' or '2 hours 30 minutes'."""
    hours, rest = divmod(minutes, 60)
    hour_text = f"{hours} hour{'s' if hours != 1 else ''}"
    minute_text = f"{rest} minute{'s' if rest != 1 else ''}"
    if not hours:
        return minute_text
    return f"{hour_text} {minute_text}" if rest else hour_text


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, marking a cut with an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
