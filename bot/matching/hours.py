"""Shared working time of two people in different timezones, for whole S×J grids at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidates import MINUTES_PER_DAY, Candidate


def utc_windows(people: Sequence[Candidate]) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each daily working window in UTC minutes; start in [0, 1440).

    Local = UTC + offset, so the UTC start is the local start minus the offset, wrapped to
    the day. A window whose end is before its start runs past midnight.
    """
    start = np.fromiter((p.work_start_minute for p in people), np.int16, len(people))
    end = np.fromiter((p.work_end_minute for p in people), np.int16, len(people))
    offset = np.fromiter((p.utc_offset_minutes for p in people), np.int16, len(people))
    length = (end - start) % MINUTES_PER_DAY
    length[length == 0] = MINUTES_PER_DAY  # only 0..1440 reaches here; 00:00-24:00 is all day
    return (start - offset) % MINUTES_PER_DAY, length


def overlap_minutes(seniors: Sequence[Candidate], juniors: Sequence[Candidate]) -> np.ndarray:
    """Minutes per day both are at work, as an int16 S×J matrix.

    Both windows repeat daily, so they are arcs on a 1440-minute circle. Unrolling the
    senior's arc onto [0, 2880) and adding the junior's copies shifted by -1, 0 and +1 day
    covers every way they can meet (that is the ±1 day shift across the date line).
    """
    s_start, s_len = utc_windows(seniors)
    j_start, j_len = utc_windows(juniors)
    a0, a1 = s_start[:, None], (s_start + s_len)[:, None]
    total = np.zeros((len(seniors), len(juniors)), np.int16)
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        b0 = (j_start + shift)[None, :]
        b1 = b0 + j_len[None, :]
        part = np.minimum(a1, b1)
        part -= np.maximum(a0, b0)
        np.maximum(part, 0, out=part)
        total += part
    return total


def pair_overlap_minutes(senior: Candidate, junior: Candidate) -> int:
    """The overlap for one pair (for reasons and tests), computed exactly as for the grid."""
    return int(overlap_minutes([senior], [junior])[0, 0])
