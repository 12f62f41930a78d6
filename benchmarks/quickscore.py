"""A plain NumPy inclusion–exclusion Quickscore (Heckerman 1989), for comparison only.

Not used by twitchcheck. It sums ``2^m`` terms of alternating sign over the subsets ``S`` of the
``m`` positive findings:

    P(F+ present, F- absent) = sum_S (-1)^|S| P(S and F- all absent)
    P(S and F- absent)       = prod_{f in S u F-} (1 - leak_f)
                               * prod_j [(1 - p_j) + p_j * prod_{f in S u F-} (1 - q_jf)]

and the same with cause ``j``'s factor replaced by its "on" term for ``P(d_j = 1, evidence)``.
The terms are O(1) while their sum can be tiny, so cancellation loses digits as ``m`` grows:
this is the error the engine's subtraction-free pass avoids. Written straightforwardly, in
float64, as a typical implementation would be.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def quickscore(
    priors: FloatArray,
    leaks: FloatArray,
    links: FloatArray,
    present: npt.ArrayLike,
    absent: npt.ArrayLike,
) -> tuple[FloatArray, float]:
    """Posterior marginals and P(evidence) by inclusion–exclusion over the positives."""
    present = np.asarray(present, dtype=np.intp)
    absent = np.asarray(absent, dtype=np.intp)
    m = present.size
    subsets = ((np.arange(1 << m)[:, None] >> np.arange(m)) & 1).astype(np.float64)  # 2^m x m
    sign = np.where(subsets.sum(axis=1) % 2 == 0, 1.0, -1.0)
    log_keep = np.log1p(-links)  # log(1 - q_jf)
    neg = log_keep[:, absent].sum(axis=1)  # per cause, from the negatives
    # Probability that cause j, if on, switches on none of S u F-: 2^m x n.
    none_on = np.exp(subsets @ log_keep[:, present].T + neg)
    leak_off = np.exp(np.log1p(-leaks[absent]).sum() + subsets @ np.log1p(-leaks[present]))
    on = priors * none_on
    factor = (1.0 - priors) + on
    all_causes = np.prod(factor, axis=1)
    terms = sign * leak_off * all_causes
    evidence = float(terms.sum())
    joint_on = (terms[:, None] / factor * on).sum(axis=0)
    return joint_on / evidence, evidence
