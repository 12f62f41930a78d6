"""Wilson intervals and the percentile bootstrap against independent computations.

scipy and statsmodels are not in the environment, so the references are published values
(Newcombe 1998, Statistics in Medicine 17:857-872, Table II, method 3: the Wilson score interval
without continuity correction) and closed forms worked by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twitchcheck.evaluation.intervals import (
    BOOTSTRAP_RESAMPLES,
    Z95,
    bootstrap_indices,
    bootstrap_interval,
    wilson,
)


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(k: int, n: int, lo: float, hi: float) -> None:
    got = wilson(k, n)
    assert got[0] == pytest.approx(lo, abs=5e-5)
    assert got[1] == pytest.approx(hi, abs=5e-5)


def test_wilson_closed_forms_at_the_ends() -> None:
    # k = 0: the centre and half-width are equal, so lo = 0 and hi = z²/(n + z²).
    z2 = 1.959963984540054**2
    for n in (1, 9, 20, 186):
        assert wilson(0, n) == (0.0, pytest.approx(z2 / (n + z2), abs=1e-12))
        assert wilson(n, n) == (pytest.approx(n / (n + z2), abs=1e-12), 1.0)
    # half of 100: symmetric about 0.5, half-width z·sqrt(0.25/n + z²/4n²)/(1 + z²/n)
    lo, hi = wilson(50, 100)
    half = Z95 * math.sqrt(0.25 / 100 + z2 / 40000) / (1 + z2 / 100)
    assert (lo, hi) == (pytest.approx(0.5 - half), pytest.approx(0.5 + half))
    assert abs(Z95 - 1.96) < 5e-5


def test_wilson_without_cases_and_bad_counts() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_the_resamples_are_numpys_default_rng_seed_0() -> None:
    rows = bootstrap_indices(7)
    assert rows.shape == (BOOTSTRAP_RESAMPLES, 7)
    expected = np.random.default_rng(0).integers(0, 7, size=(1000, 7))
    assert (rows == expected).all()
    assert rows.min() >= 0 and rows.max() <= 6


def _percentile(values: list[float], q: float) -> float:
    """The textbook linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = q / 100 * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def test_bootstrap_interval_of_a_mean_by_hand() -> None:
    data = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]
    got = bootstrap_interval(lambda rows: float(np.mean([data[i] for i in rows])), len(data))
    draws = np.random.default_rng(0).integers(0, len(data), size=(1000, len(data)))
    means = [sum(data[int(i)] for i in row) / len(row) for row in draws]
    assert got == (pytest.approx(_percentile(means, 2.5)), pytest.approx(_percentile(means, 97.5)))
    assert got is not None and got[0] <= 0.7 <= got[1]
    assert bootstrap_interval(lambda rows: 0.0, 0) is None
