"""Pair leftover people of one side among themselves, when a coordinator allows it.

With uneven sides some people stay unmatched; a coordinator may choose same-role pairs
for them. This is a matching in a general graph (anyone may pair with anyone of the
group), so it uses networkx's maximum-weight matching (most pairs first) on the same
scores and hard constraints as the main round. Groups are small: the sides' difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import networkx as nx

from bot.matching.candidates import Candidate, MatchRules
from bot.matching.results import ProposedPair
from bot.matching.scoring import score_matrix

SAME_ROLE_REASON = (
    "same role on both sides, allowed by the coordinators so nobody is left without a partner"
)


def match_within(
    people: Sequence[Candidate], rules: MatchRules
) -> tuple[list[ProposedPair], list[str]]:
    """Pairs among `people` (all of one role) and the keys still left over."""
    if len(people) < 2:
        return [], [p.key for p in people]
    as_seniors = [replace(p, role="senior") for p in people]
    as_juniors = [replace(p, role="junior") for p in people]
    scores, feasible = score_matrix(as_seniors, as_juniors, rules)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(people)))
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            if feasible[i, j] and feasible[j, i]:
                graph.add_edge(i, j, weight=float(max(scores[i, j], scores[j, i])) + 1.0)
    chosen = nx.max_weight_matching(graph, maxcardinality=True)
    pairs = [
        ProposedPair(
            senior=people[min(i, j)].key,
            junior=people[max(i, j)].key,
            score=round(graph[i][j]["weight"] - 1.0, 3),
            reasons=(SAME_ROLE_REASON,),
        )
        for i, j in sorted(tuple(sorted(edge)) for edge in chosen)
    ]
    paired = {key for p in pairs for key in (p.senior, p.junior)}
    return pairs, [p.key for p in people if p.key not in paired]
