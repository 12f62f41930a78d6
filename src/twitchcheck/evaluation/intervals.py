"""95% intervals for an evaluation report (contracts.md §6): Wilson for rates, the percentile
bootstrap for statistics that are not a simple count (the calibration error)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

#: The two-sided 95% normal quantile, Φ⁻¹(0.975).
Z95 = 1.959963984540054
#: Resamples of the cases, and the seed, for every bootstrap interval (contracts.md §6).
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``successes`` out of ``n``.

    Chosen over the plain (Wald) interval because it stays inside [0, 1] and keeps its coverage
    for rates near 0 or 1 and for small groups, which is where the triage rates live. With no
    cases there is no information: [0, 1].
    """
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} must lie in [0, {n}]")
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # k = 0 and k = n give exactly 0 and 1 in exact arithmetic; say so rather than keep the
    # rounding dust (2.8e-17) that floating point leaves.
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return (lo, hi)


def bootstrap_indices(
    n: int, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> NDArray[np.int64]:
    """``resamples`` rows of ``n`` case indices drawn with replacement, from
    ``numpy.random.default_rng(seed)`` (one ``integers(0, n, size=(resamples, n))`` call), so
    a run is repeatable and anyone can redraw the same resamples."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(resamples, n), dtype=np.int64)


def bootstrap_interval(
    statistic: Callable[[NDArray[np.int64]], float],
    n: int,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """The percentile bootstrap: the 2.5th and 97.5th percentiles (numpy's default linear
    interpolation) of ``statistic`` over resamples of the ``n`` cases. None without cases."""
    if n == 0:
        return None
    values = np.array([statistic(row) for row in bootstrap_indices(n, resamples, seed)])
    lo, hi = np.percentile(values, [2.5, 97.5])
    return (float(lo), float(hi))
