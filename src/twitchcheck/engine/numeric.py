"""The two small numerical helpers the engine and the explanations share: log-odds and
binary entropy, written once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def logit(p: FloatArray, low: float, high: float) -> FloatArray:
    """log(p / (1 - p)) with ``p`` first held within [low, high], so certainties stay finite.
    Callers choose the bounds: explanations keep 1e-15 on both sides, the approximation's shift
    keeps the full double range below."""
    q = np.minimum(np.maximum(p, low), high)  # np.clip's values, at a lower cost per call
    result: FloatArray = np.log(q) - np.log1p(-q)
    return result


def binary_entropy(p: FloatArray) -> FloatArray:
    """The binary entropy (bits) of each probability; 0 at 0 and 1."""
    q = np.clip(p, 1e-300, 1.0)
    r = np.clip(1.0 - p, 1e-300, 1.0)
    result: FloatArray = -(p * np.log2(q) + (1.0 - p) * np.log2(r))
    return result


def entropy(p: FloatArray) -> FloatArray:
    """Sum over causes of the binary entropy (bits), along the last axis (causes are not
    exclusive, so this is the interview's objective)."""
    result: FloatArray = binary_entropy(p).sum(axis=-1)
    return result
