"""Optimal senior–junior matching: a pure module, data in and a result out (no I/O)."""

from bot.matching.assignment import match
from bot.matching.candidates import Candidate, MatchRules, Weights
from bot.matching.greedy import greedy_match
from bot.matching.hours import pair_overlap_minutes
from bot.matching.results import MatchResult, ProposedPair, Unmatched
from bot.matching.same_role import match_within
from bot.matching.scoring import score_matrix

__all__ = [
    "Candidate",
    "MatchResult",
    "MatchRules",
    "ProposedPair",
    "Unmatched",
    "Weights",
    "greedy_match",
    "match",
    "match_within",
    "pair_overlap_minutes",
    "score_matrix",
]
