"""Time and memory of `match` on a realistic random program, against the greedy baseline.

Run: .venv/bin/python bench/bench_matching.py [--seniors 2500 --juniors 2500 --seed 1]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matching import Candidate, MatchResult, MatchRules, greedy_match, match, score_matrix

T = TypeVar("T")

TOPICS = [
    "ai tools", "prompting", "data literacy", "spreadsheets", "automation", "no-code apps",
    "social media", "tiktok", "linkedin", "personal branding", "video editing", "podcasting",
    "gen z culture", "remote work", "async communication", "slack etiquette", "design tools",
    "figma", "python", "sql", "cloud basics", "cybersecurity", "privacy", "sustainability",
    "inclusion", "mental health", "strategy", "negotiation", "public speaking", "career paths",
]  # fmt: skip
DEPARTMENTS = [
    "Sales", "Marketing", "IT", "Finance", "HR", "Legal", "Operations", "Product",
    "Engineering", "Support", "Design", "Research",
]  # fmt: skip
# (UTC offset in minutes, local language besides English, share of people)
TIMEZONES = [(-300, "es", 0.2), (-480, "es", 0.1), (0, "en", 0.2), (60, "de", 0.25),
             (330, "hi", 0.1), (540, "ja", 0.15)]  # fmt: skip
WINDOWS = [(9 * 60, 17 * 60), (8 * 60, 16 * 60), (10 * 60, 18 * 60), (7 * 60, 15 * 60),
           (22 * 60, 6 * 60)]  # fmt: skip
WINDOW_SHARES = [0.6, 0.15, 0.15, 0.07, 0.03]


def build_people(rng: random.Random, n: int, role: str, prefix: str) -> list[Candidate]:
    """People with skewed topic popularity, a home timezone and a few languages."""
    topic_weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(TOPICS))]
    dept_weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(DEPARTMENTS))]
    people = []
    for k in range(n):
        offset, local, _ = rng.choices(TIMEZONES, weights=[t[2] for t in TIMEZONES])[0]
        start, end = rng.choices(WINDOWS, weights=WINDOW_SHARES)[0]
        languages = {"en", local} if rng.random() < 0.85 else {local}
        if rng.random() < 0.1:
            languages.add(rng.choice(["de", "es", "hi", "ja", "fr"]))
        people.append(
            Candidate(
                key=f"{prefix}{k:05d}",
                role=role,  # type: ignore[arg-type]
                department=rng.choices(DEPARTMENTS, weights=dept_weights)[0],
                can_share=frozenset(rng.choices(TOPICS, topic_weights, k=rng.randint(1, 4))),
                wants_to_learn=frozenset(rng.choices(TOPICS, topic_weights, k=rng.randint(1, 4))),
                languages=frozenset(languages),
                utc_offset_minutes=offset,
                work_start_minute=start,
                work_end_minute=end,
            )
        )
    return people


def build_program(
    n_seniors: int, n_juniors: int, seed: int
) -> tuple[list[Candidate], list[Candidate], MatchRules]:
    """A round with a few avoid entries (managers) and some pairs that met before."""
    rng = random.Random(seed)
    seniors = build_people(rng, n_seniors, "senior", "S")
    juniors = build_people(rng, n_juniors, "junior", "J")
    for side, others in ((seniors, juniors), (juniors, seniors)):
        for index in rng.sample(range(len(side)), k=len(side) // 50):
            avoid = frozenset(p.key for p in rng.sample(others, k=min(len(others), 2)))
            side[index] = replace(side[index], avoid=avoid)
    past = frozenset(
        frozenset({rng.choice(seniors).key, rng.choice(juniors).key})
        for _ in range(min(n_seniors, n_juniors) // 5)
    )
    return seniors, juniors, MatchRules(past_pairs=past, min_overlap_minutes=60)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Result and wall seconds of one call."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def traced_peak_mib(fn: Callable[[], object]) -> float:
    """Peak of Python and numpy allocations during one call (scipy's C++ buffers not seen)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    """Build the program, run both matchers, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seniors", type=int, default=2500)
    parser.add_argument("--juniors", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    seniors, juniors, rules = build_program(args.seniors, args.juniors, args.seed)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"program: {len(seniors)} seniors, {len(juniors)} juniors, "
          f"{len(rules.past_pairs)} past pairs, seed {args.seed}")  # fmt: skip

    (scores, feasible), t_scores = timed(lambda: score_matrix(seniors, juniors, rules))
    print(f"score_matrix: {t_scores:.3f} s  ({feasible.mean():.1%} of pairs feasible)")
    del scores, feasible

    best: MatchResult
    best, t_match = timed(lambda: match(seniors, juniors, rules))
    rss_match = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"match:        {t_match:.3f} s  (scoring included)")
    print(f"  pairs {len(best.pairs)}, unmatched {len(best.unmatched)}, "
          f"total score {best.total_score:.2f}")  # fmt: skip
    print(f"  max RSS after match: {rss_match:.0f} MiB (before matching: {rss_before:.0f} MiB)")
    print(
        f"  tracemalloc peak of match: {traced_peak_mib(lambda: match(seniors, juniors, rules)):.0f} MiB"
    )

    greedy, t_greedy = timed(lambda: greedy_match(seniors, juniors, rules))
    gain = (best.total_score - greedy.total_score) / greedy.total_score if greedy.total_score else 0
    print(f"greedy_match: {t_greedy:.3f} s  (scoring included)")
    print(f"  pairs {len(greedy.pairs)}, unmatched {len(greedy.unmatched)}, "
          f"total score {greedy.total_score:.2f}")  # fmt: skip
    print(f"match vs greedy: {best.total_score:.2f} vs {greedy.total_score:.2f} "
          f"(+{gain:.2%}), pairs {len(best.pairs)} vs {len(greedy.pairs)}")  # fmt: skip
    for reason in {u.reason for u in best.unmatched[:3]}:
        print(f"  e.g. unmatched: {reason}")
    if best.pairs:
        print(f"  e.g. reasons: {best.pairs[0].reasons}")


if __name__ == "__main__":
    main()
