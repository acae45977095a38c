"""Explain, per person left unpaired, why: uneven sides, exclusions, or partners taken."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidates import Candidate
from bot.matching.feasibility import Feasibility
from bot.matching.results import Unmatched


def explain_unmatched(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    feasibility: Feasibility,
    paired_seniors: np.ndarray,
    paired_juniors: np.ndarray,
) -> list[Unmatched]:
    """One Unmatched per unpaired person: seniors first, then juniors, in input order."""
    sides = f"uneven sides: {_count(len(seniors), 'senior')}, {_count(len(juniors), 'junior')}"
    feasible = feasibility.feasible
    return [
        *_explain_side(seniors, "junior", paired_seniors, paired_juniors,
                       feasible.sum(axis=1), feasibility.senior_exclusions, sides),
        *_explain_side(juniors, "senior", paired_juniors, paired_seniors,
                       feasible.sum(axis=0), feasibility.junior_exclusions, sides),
    ]  # fmt: skip


def _explain_side(
    people: Sequence[Candidate],
    other: str,
    paired: np.ndarray,
    other_paired: np.ndarray,
    partners: np.ndarray,
    exclusions: dict[str, np.ndarray],
    sides: str,
) -> list[Unmatched]:
    """Reasons for one side, given how many feasible partners each person had.

    A person with a feasible partner is only left out when that partner is paired (else
    the matching would not have the most pairs), so "taken" is the only other case.
    """
    found = []
    for index in np.flatnonzero(~paired).tolist():
        if partners[index] == 0 and len(other_paired):
            counts = ", ".join(
                f"{name}: {int(per_person[index])}"
                for name, per_person in exclusions.items()
                if per_person[index]
            )
            reason = f"every possible {other} is excluded ({counts})"
        elif other_paired.all():
            reason = f"no {other} left ({sides})"
        elif partners[index] == 1:
            reason = f"the only possible {other} was needed for another pair"
        else:
            reason = (
                f"all {partners[index]} possible {other}s were paired with others, "
                "which gave more pairs or a better total fit"
            )
        found.append(Unmatched(key=people[index].key, role=people[index].role, reason=reason))
    return found


def _count(n: int, noun: str) -> str:
    """'1 senior', '12 seniors'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
