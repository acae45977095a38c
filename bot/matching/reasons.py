"""Why a proposed pair fits, in a few short sentences a coordinator can read at a glance."""

from __future__ import annotations

from collections.abc import Iterable

from bot.matching.candidates import MINUTES_PER_DAY, Candidate, MatchRules, normalise
from bot.matching.hours import pair_overlap_minutes

MAX_REASONS = 3
MAX_CHARS = 120
FALLBACK = "no strong common ground; paired so that nobody is left out"


def pair_reasons(senior: Candidate, junior: Candidate, rules: MatchRules) -> tuple[str, ...]:
    """Up to three reasons, biggest score contribution first; never names or keys.

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
        (w.junior_shares * len(junior_gives), _topics("junior", "senior", junior_gives)),
        (w.senior_shares * len(senior_gives), _topics("senior", "junior", senior_gives)),
        (w.overlap_per_hour * capped / 60, f"{_duration(overlap)} of shared working hours"),
        (w.shared_language * bool(languages), _listing("both speak: ", languages, "")),
        (
            w.different_department * (normalise(s_dept) != normalise(j_dept)),
            f"different departments ({_clip(s_dept, 50)} / {_clip(j_dept, 50)})",
        ),
    ]
    ranked = sorted((c for c in candidates if c[0] > 0), key=lambda c: -c[0])
    return tuple(text for _, text in ranked[:MAX_REASONS]) or (FALLBACK,)


def _common(a: Iterable[str], b: Iterable[str]) -> list[str]:
    """Shared labels, normalised and sorted so the wording is deterministic."""
    return sorted({normalise(x) for x in a} & {normalise(x) for x in b})


def _topics(giver: str, taker: str, topics: list[str]) -> str:
    """'junior can share: ai tools; senior wants to learn it'."""
    pronoun = "it" if len(topics) == 1 else "them"
    return _listing(f"{giver} can share: ", topics, f"; {taker} wants to learn {pronoun}")


def _listing(prefix: str, items: list[str], suffix: str) -> str:
    """prefix + comma list + suffix within MAX_CHARS, ending in '+N more' when cut short."""
    for shown in range(len(items), 0, -1):
        more = f" +{len(items) - shown} more" if shown < len(items) else ""
        text = f"{prefix}{', '.join(items[:shown])}{more}{suffix}"
        if len(text) <= MAX_CHARS:
            return text
    first = items[0] if items else ""
    return f"{prefix}{_clip(first, MAX_CHARS - len(prefix) - len(suffix))}{suffix}"


def _duration(minutes: int) -> str:
    """'3h', '45m' or '2h 30m'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest}m" if rest else f"{hours}h"


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, marking a cut with an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
