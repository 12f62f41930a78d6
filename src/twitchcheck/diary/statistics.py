"""The diary's one estimator: a robust Poisson regression of daily counts on one factor.

A log-linear model ``log E[count] = a + b·x`` fitted by iteratively reweighted least squares,
with a sandwich (HC1) standard error because daily twitch counts vary more than a Poisson model
allows; ``exp(b)`` is the rate ratio per unit of ``x``, given with a 95% interval. The trigger
view uses it with caffeine, sleep or stress as ``x``; the progression check with "recent" (0/1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: The standard normal's 97.5% quantile: a 95% interval is the estimate ± Z95 standard errors.
Z95 = 1.959963984540054

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PoissonFit:
    """``log E[count] = a + b·x``: ``b`` with its robust standard error."""

    a: float
    b: float
    se_b: float
    n: int

    @property
    def rate_ratio(self) -> float:
        return math.exp(self.b)

    @property
    def interval(self) -> tuple[float, float]:
        return math.exp(self.b - Z95 * self.se_b), math.exp(self.b + Z95 * self.se_b)


def poisson_fit(
    x: Sequence[float] | FloatArray, y: Sequence[float] | FloatArray, *, max_iter: int = 100
) -> PoissonFit | None:
    """Fit a two-parameter Poisson regression by IRLS; ``None`` when it has no finite answer.

    The standard error is the sandwich (HC1) estimate ``n/(n-2) · B⁻¹ M B⁻¹`` with
    ``B = Σ μ x xᵀ`` and ``M = Σ (y-μ)² x xᵀ``: valid when counts are overdispersed, which
    daily twitch counts are. No answer when ``x`` does not vary, there are fewer than three
    days, there are no counts at all, or the fit runs away (e.g. every twitch on one side of a
    threshold, where the maximum likelihood is at infinity).
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    n = xs.size
    if n < 3 or ys.sum() <= 0 or float(np.ptp(xs)) == 0.0:
        return None
    # Centring x keeps IRLS well conditioned; the slope is unchanged.
    xc = xs - xs.mean()
    design = np.column_stack([np.ones(n), xc])
    beta = np.array([math.log(ys.mean()), 0.0])
    converged = False
    for _ in range(max_iter):
        eta = design @ beta
        if np.max(np.abs(eta)) > 50:
            return None
        mu = np.exp(eta)
        z = eta + (ys - mu) / mu
        wx = design * mu[:, None]
        try:
            new = np.linalg.solve(design.T @ wx, wx.T @ z)
        except np.linalg.LinAlgError:
            return None
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            converged = True
            break
        beta = new
    if not converged or not np.all(np.isfinite(beta)):
        return None
    mu = np.exp(design @ beta)
    bread = design.T @ (design * mu[:, None])
    meat = design.T @ (design * ((ys - mu) ** 2)[:, None])
    try:
        inv = np.linalg.inv(bread)
    except np.linalg.LinAlgError:
        return None
    cov = inv @ meat @ inv * (n / (n - 2))
    se = math.sqrt(max(float(cov[1, 1]), 0.0))
    a = float(beta[0] - beta[1] * xs.mean())
    if not math.isfinite(se) or se == 0.0:
        return None
    return PoissonFit(a=a, b=float(beta[1]), se_b=se, n=n)
