"""Independent reference answer: enumerate every combination of causes (small networks only)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np


def brute_force(
    priors: Sequence[float],
    leaks: Sequence[float],
    links: np.ndarray,
    present: Sequence[int],
    absent: Sequence[int],
) -> tuple[list[float], float]:
    """Posterior marginals and P(evidence) by summing the joint over all 2^n cause states.

    Written straight from the model's definition, sharing no code with the engine, and summed
    with math.fsum so that its own rounding is negligible.
    """
    n = len(priors)
    joint_terms: list[float] = []
    per_cause: list[list[float]] = [[] for _ in range(n)]
    for state in itertools.product((0, 1), repeat=n):
        weight = 1.0
        for j, on in enumerate(state):
            weight *= priors[j] if on else 1.0 - priors[j]
        for f in list(present) + list(absent):
            p_absent = 1.0 - leaks[f]
            for j, on in enumerate(state):
                if on:
                    p_absent *= 1.0 - links[j][f]
            weight *= (1.0 - p_absent) if f in present else p_absent
        joint_terms.append(weight)
        for j, on in enumerate(state):
            if on:
                per_cause[j].append(weight)
    z = math.fsum(joint_terms)
    return [math.fsum(t) / z for t in per_cause], z
