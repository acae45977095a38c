"""Turn chosen (senior, junior) index pairs into the MatchResult the caller sees."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidates import Candidate, MatchRules
from bot.matching.reasons import pair_reasons
from bot.matching.results import MatchResult, ProposedPair
from bot.matching.scoring import Scored
from bot.matching.unmatched import explain_unmatched


def build_result(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    rules: MatchRules,
    scored: Scored,
    rows: np.ndarray,
    cols: np.ndarray,
) -> MatchResult:
    """Pairs in senior order with reasons; everyone else explained; nobody dropped.

    Refuses an infeasible pair outright: proposing one would break a promise to a person.
    """
    if not scored.feasibility.feasible[rows, cols].all():
        raise AssertionError("an infeasible pair reached the result")
    order = np.argsort(rows, kind="stable")
    rows, cols = rows[order], cols[order]
    pairs = tuple(
        ProposedPair(
            senior=seniors[i].key,
            junior=juniors[j].key,
            score=float(scored.scores[i, j]),
            reasons=pair_reasons(seniors[i], juniors[j], rules),
        )
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    )
    paired_seniors = np.zeros(len(seniors), dtype=bool)
    paired_juniors = np.zeros(len(juniors), dtype=bool)
    paired_seniors[rows] = True
    paired_juniors[cols] = True
    unmatched = explain_unmatched(
        seniors, juniors, scored.feasibility, paired_seniors, paired_juniors
    )
    return MatchResult(
        pairs=pairs,
        unmatched=tuple(unmatched),
        total_score=float(sum(p.score for p in pairs)),
    )
