"""Turn people's label sets into numeric arrays, so pair criteria become matrix algebra."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from bot.matching.candidates import normalise


def one_hot_pair(
    left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """People × labels 0/1 matrices over one shared vocabulary, for `left @ right.T`.

    float32 is exact for these small counts and halves the memory of the product.
    """
    vocabulary: dict[str, int] = {}
    cells = [_cells(sets, vocabulary) for sets in (left, right)]
    width = max(len(vocabulary), 1)
    matrices = []
    for sets, (rows, cols) in zip((left, right), cells, strict=True):
        matrix = np.zeros((len(sets), width), dtype=np.float32)
        matrix[rows, cols] = 1.0
        matrices.append(matrix)
    return matrices[0], matrices[1]


def common_counts(left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]) -> np.ndarray:
    """How many labels each (left, right) pair shares, as a float32 L×R matrix."""
    a, b = one_hot_pair(left, right)
    return a @ b.T


def label_codes(left: Sequence[str], right: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One integer per label, equal exactly when the normalised labels are equal."""
    vocabulary: dict[str, int] = {}
    return tuple(  # type: ignore[return-value]
        np.array([vocabulary.setdefault(normalise(x), len(vocabulary)) for x in side], np.int32)
        for side in (left, right)
    )


def _cells(
    sets: Sequence[Iterable[str]], vocabulary: dict[str, int]
) -> tuple[list[int], list[int]]:
    """Row and column indices of the ones; grows the shared vocabulary as labels appear."""
    rows: list[int] = []
    cols: list[int] = []
    for row, labels in enumerate(sets):
        for label in sorted({normalise(x) for x in labels}):
            rows.append(row)
            cols.append(vocabulary.setdefault(label, len(vocabulary)))
    return rows, cols
