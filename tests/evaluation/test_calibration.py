"""Calibration bins, ECE and its bootstrap interval, against computations by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twitchcheck.evaluation.calibration import bin_of, calibration


@pytest.mark.parametrize(
    ("p", "b"),
    [
        (0.0, 0),
        (0.0999, 0),
        (0.1, 1),
        (0.3, 3),
        (0.7, 7),
        (0.6, 6),
        (0.8999, 8),
        (0.9, 9),
        (1.0, 9),
    ],
)
def test_bins_are_half_open_and_the_last_is_closed(p: float, b: int) -> None:
    assert bin_of(p) == b


def test_bin_of_refuses_a_non_probability() -> None:
    with pytest.raises(ValueError):
        bin_of(1.2)


def test_table_and_ece_by_hand() -> None:
    p = [0.95, 0.92, 1.0, 0.55, 0.51, 0.15]
    hit = [True, True, False, True, False, False]
    got = calibration(p, hit)
    table = got["calibration"]
    assert isinstance(table, list) and len(table) == 10
    assert [row["bin"] for row in table] == list(range(10))
    nine, five, one = table[9], table[5], table[1]
    assert nine == {
        "bin": 9,
        "mean_p": pytest.approx(2.87 / 3),
        "observed": pytest.approx(2 / 3),
        "n": 3,
    }
    assert five == {"bin": 5, "mean_p": pytest.approx(0.53), "observed": 0.5, "n": 2}
    assert one == {"bin": 1, "mean_p": 0.15, "observed": 0.0, "n": 1}
    assert table[0] == {"bin": 0, "mean_p": None, "observed": None, "n": 0}
    # ECE = Σ (n_b/N)|mean_p_b − observed_b|
    ece = 3 / 6 * abs(2.87 / 3 - 2 / 3) + 2 / 6 * abs(0.53 - 0.5) + 1 / 6 * 0.15
    assert got["ece"] == pytest.approx(ece, abs=1e-6)


def _ece_loop(p: list[float], hit: list[bool]) -> float:
    """ECE written the plain way: group by bin, then weigh each bin's gap."""
    groups: dict[int, list[int]] = {}
    for i, x in enumerate(p):
        groups.setdefault(min(math.floor(x * 10 + 1e-9), 9), []).append(i)
    total = 0.0
    for members in groups.values():
        mean_p = sum(p[i] for i in members) / len(members)
        observed = sum(hit[i] for i in members) / len(members)
        total += len(members) / len(p) * abs(mean_p - observed)
    return total


def test_ece_interval_against_an_independent_bootstrap() -> None:
    rng = np.random.default_rng(12345)
    p = [float(x) for x in rng.uniform(0.2, 1.0, size=60).round(3)]
    hit = [bool(x) for x in rng.uniform(size=60) < np.array(p) * 0.8]
    got = calibration(p, hit)
    draws = np.random.default_rng(0).integers(0, 60, size=(1000, 60))
    values = sorted(
        _ece_loop([p[int(i)] for i in row], [hit[int(i)] for i in row]) for row in draws
    )

    def percentile(q: float) -> float:
        position = q / 100 * (len(values) - 1)
        below = math.floor(position)
        return values[below] + (values[below + 1] - values[below]) * (position - below)

    assert got["ece"] == pytest.approx(_ece_loop(p, hit), abs=1e-6)
    assert got["ece_ci95"] == [
        pytest.approx(percentile(2.5), abs=1e-6),
        pytest.approx(percentile(97.5), abs=1e-6),
    ]


def test_perfect_calibration_has_no_error_in_any_resample() -> None:
    got = calibration([1.0] * 5 + [0.0] * 5, [True] * 5 + [False] * 5)
    assert got["ece"] == 0.0 and got["ece_ci95"] == [0.0, 0.0]
    assert calibration([], [])["ece"] is None
