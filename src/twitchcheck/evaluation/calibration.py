"""Calibration of the top cause (contracts.md §6): ten bins of its probability, the expected
calibration error (ECE) and its bootstrap interval.

A case's top cause is the cause ranked first; it is *observed* when it is among the case's
``gold_causes``. Bin b holds probabilities in [b/10, (b+1)/10); the last bin is closed, so 1.0
falls in bin 9. ECE = Σ_b (n_b / N)·|mean_p_b − observed_b|.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from twitchcheck.evaluation.intervals import bootstrap_interval

BINS = 10


def bin_of(p: float) -> int:
    """The bin of a probability, exact at the edges: the edge b/10 is compared as the float
    ``b / 10`` itself, so 0.3 is in bin 3 although 0.3 * 10 is 3.0000000000000004."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability {p} outside [0, 1]")
    b = min(int(p * BINS), BINS - 1)
    if p < b / BINS:
        b -= 1
    elif b < BINS - 1 and p >= (b + 1) / BINS:
        b += 1
    return b


def _bin_sums(
    bins: NDArray[np.int64], p: NDArray[np.float64], hit: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per bin: the number of cases, the sum of their p, the number whose top cause is gold."""
    n = np.bincount(bins, minlength=BINS).astype(np.float64)
    p_sum = np.bincount(bins, weights=p, minlength=BINS).astype(np.float64)
    hit_sum = np.bincount(bins, weights=hit, minlength=BINS).astype(np.float64)
    return n, p_sum, hit_sum


def _ece(bins: NDArray[np.int64], p: NDArray[np.float64], hit: NDArray[np.float64]) -> float:
    _, p_sum, hit_sum = _bin_sums(bins, p, hit)
    # Σ_b (n_b/N)|p_sum_b/n_b − hit_sum_b/n_b| = Σ_b |p_sum_b − hit_sum_b| / N; empty bins add 0.
    return float(np.abs(p_sum - hit_sum).sum() / len(p))


def calibration(
    top_probabilities: Sequence[float], top_is_gold: Sequence[bool]
) -> dict[str, object]:
    """``calibration`` (ten bins), ``ece`` and ``ece_ci95`` for the report."""
    if len(top_probabilities) != len(top_is_gold):
        raise ValueError("one probability per case and one outcome per case")
    p = np.asarray(top_probabilities, dtype=np.float64)
    hit = np.asarray(top_is_gold, dtype=np.float64)
    bins = np.array([bin_of(x) for x in p], dtype=np.int64)
    n, p_sum, hit_sum = _bin_sums(bins, p, hit)
    table: list[dict[str, object]] = []
    for b in range(BINS):
        count = int(n[b])
        table.append(
            {
                "bin": b,
                "mean_p": round(float(p_sum[b] / count), 6) if count else None,
                "observed": round(float(hit_sum[b] / count), 6) if count else None,
                "n": count,
            }
        )
    if not len(p):
        return {"calibration": table, "ece": None, "ece_ci95": None}
    ci = bootstrap_interval(lambda rows: _ece(bins[rows], p[rows], hit[rows]), len(p))
    return {
        "calibration": table,
        "ece": round(_ece(bins, p, hit), 6),
        "ece_ci95": [round(ci[0], 6), round(ci[1], 6)] if ci else None,
    }
