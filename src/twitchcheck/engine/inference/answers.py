"""What the inference answers: the posterior marginals (:class:`Posterior`) and the one-step
lookahead the interview scores its questions with (:class:`Lookahead`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Posterior:
    """Posterior marginals ``P(cause j active | evidence)`` and ``log P(evidence)``."""

    marginals: FloatArray
    log_evidence: float
    method: Literal["exact", "approximate"]
    largest_group: int
    #: For :func:`leave_one_out`: whether its left-out variants are exact too.
    variants: Literal["exact", "approximate"] = "exact"
    #: The compiled kernel's estimate of its work (table entries touched); 0 from NumPy.
    work: float = 0.0


@dataclass(frozen=True)
class Lookahead:
    """For each candidate finding: how likely it is, and the posteriors either answer gives."""

    candidates: IntArray
    p_present: FloatArray  # P(candidate present | evidence), shape (n,)
    if_present: FloatArray  # posterior marginals if present, shape (n, causes)
    if_absent: FloatArray  # posterior marginals if absent, shape (n, causes)
    current: Posterior
