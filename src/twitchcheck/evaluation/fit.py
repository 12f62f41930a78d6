"""Fitting the causes' priors to vignettes by maximum a posteriori (docs/fitting.md).

The objective, over the cases of one split and every cause ``i``, is the Bernoulli
log-likelihood of ``y_i`` = "cause i is a gold cause" under the posterior marginal ``m_i`` of
that cause (structured mode: the case's present and absent findings, closed, its age and sex),
plus a Gaussian log-prior on each prior's log-odds centred on its unfitted value (read from a
source or estimated) with standard deviation ``strength``::

    F(d) = sum_cases sum_i [y_i log m_i + (1 - y_i) log(1 - m_i)] - sum_i d_i^2 / (2 strength^2)

where ``d_i`` is the shift of cause i's prior log-odds. The age and sex odds ratios multiply the
odds, so a shift of the reference prior's log-odds shifts every person's by the same ``d_i``.

The prior enters the network as the natural parameter of an exponential family, so
``dm_i/dd_j = Cov(c_i, c_j | evidence)``, computed exactly from the posterior with cause j made
certain: ``Cov = m_j (P(c_i | e, c_j) - m_i)``. The optimiser is Fisher scoring (the expected
Hessian ``J' W J + I/strength^2``, ``W = 1/(m(1-m))``) with a backtracking line search from
``d = 0``: no randomness, so the same data and KB give the same numbers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from twitchcheck.api import Checker
from twitchcheck.domain import Sex
from twitchcheck.evaluation.vignettes import Vignette
from twitchcheck.kb.fitted import exact_value, fitted_label, format_value, unfitted, with_priors
from twitchcheck.kb.model import KnowledgeBase

FloatArray = npt.NDArray[np.float64]

#: Standard deviation of the Gaussian prior on each log-odds shift (natural log): a factor of
#: e either way is one standard deviation. Most priors are order-of-magnitude estimates (a share
#: of "spells" we assumed, a prevalence converted to "active now"), wrong by a factor of 2-3
#: more often than by 10; at strength 1 a factor of 10 (2.3 sd) needs strong evidence in the data.
DEFAULT_STRENGTH = 1.0
#: A prior made (numerically) certain: to condition on a cause being active.
CERTAIN = 1.0 - 1e-12
#: Posteriors are kept this far inside (0, 1) in the log-likelihood.
EPS = 1e-12
MAX_ITERATIONS = 50
#: Stop when an iteration gains less than this in the objective.
TOLERANCE = 1e-7


@dataclass(frozen=True)
class FitCase:
    """One case as the fit sees it: closed evidence and the gold causes as a 0/1 vector."""

    id: str
    age: int
    sex: Sex
    present: tuple[str, ...]
    absent: tuple[str, ...]
    gold: FloatArray


@dataclass(frozen=True)
class Objective:
    value: float  # log-likelihood + log-prior (up to a constant)
    loglik: float
    gradient: FloatArray
    fisher: FloatArray  # the expected negative Hessian of the log-likelihood


@dataclass(frozen=True)
class Fit:
    """The fit's outcome: the shifts, the priors before and after, and how it got there."""

    cause_ids: tuple[str, ...]
    old: FloatArray  # the unfitted reference priors
    new: FloatArray  # the fitted ones (not rounded)
    shift: FloatArray  # in natural-log odds
    strength: float
    categories: tuple[str, ...]  # the categories fitted; () for all
    start: Objective
    end: Objective
    iterations: int
    cases: int

    def rounded(self) -> dict[str, str]:
        """The fitted values as they are written (:func:`format_value`)."""
        return {c: format_value(float(p)) for c, p in zip(self.cause_ids, self.new, strict=True)}


def fit_cases(checker: Checker, vignettes: Sequence[Vignette]) -> list[FitCase]:
    """The vignettes read through the checker (evidence closed by implications and groups)."""
    out = []
    for v in vignettes:
        req = checker.request(
            age=v.age, sex=v.sex, present=v.present, absent=v.absent, initial=v.initial
        )
        gold = np.zeros(len(checker.kb.causes))
        for cause in v.gold_causes:
            gold[checker.kb.cause_index[cause]] = 1.0
        out.append(
            FitCase(
                v.id,
                req.age,
                req.sex,
                tuple(sorted(req.closed.present)),
                tuple(sorted(req.closed.absent)),
                gold,
            )
        )
    return out


def logit(p: FloatArray) -> FloatArray:
    return np.log(p) - np.log1p(-p)


def shifted(priors: FloatArray, shift: FloatArray) -> FloatArray:
    """``priors`` with their log-odds moved by ``shift``, kept inside the open interval."""
    out = 1.0 / (1.0 + np.exp(-(logit(priors) + shift)))
    return np.clip(out, EPS, CERTAIN)


def case_terms(
    checker: Checker, case: FitCase, shift: FloatArray, *, derivatives: bool = True
) -> tuple[float, FloatArray, FloatArray, FloatArray]:
    """One case's log-likelihood, its gradient and expected Hessian in the shifts, and the
    posterior marginals. Without ``derivatives`` the last three but the marginals are zeros."""
    priors = shifted(checker.priors(case.age, case.sex), shift)
    m = checker.infer(priors, case.present, case.absent).marginals
    mc = np.clip(m, EPS, 1.0 - EPS)
    y = case.gold
    loglik = float(np.sum(y * np.log(mc) + (1.0 - y) * np.log1p(-mc)))
    n = len(m)
    if not derivatives:
        return loglik, np.zeros(n), np.zeros((n, n)), m
    jac = np.empty((n, n))  # jac[i, j] = dm_i / dshift_j = Cov(c_i, c_j | evidence)
    for j in range(n):
        certain = priors.copy()
        certain[j] = CERTAIN
        given = checker.infer(certain, case.present, case.absent).marginals
        jac[:, j] = m[j] * (given - m)
        jac[j, j] = m[j] * (1.0 - m[j])
    weight = 1.0 / (mc * (1.0 - mc))
    gradient = jac.T @ ((y - mc) * weight)
    fisher = jac.T @ (weight[:, None] * jac)
    return loglik, gradient, fisher, m


def objective(
    checker: Checker,
    cases: Sequence[FitCase],
    shift: FloatArray,
    strength: float,
    *,
    derivatives: bool = True,
) -> Objective:
    n = len(checker.kb.causes)
    loglik, gradient, fisher = 0.0, np.zeros(n), np.zeros((n, n))
    for case in cases:
        ll, g, f, _ = case_terms(checker, case, shift, derivatives=derivatives)
        loglik += ll
        gradient += g
        fisher += f
    precision = 1.0 / strength**2
    return Objective(
        value=loglik - 0.5 * precision * float(shift @ shift),
        loglik=loglik,
        gradient=gradient - precision * shift,
        fisher=fisher + precision * np.eye(n),
    )


def fit_priors(
    kb: KnowledgeBase,
    vignettes: Sequence[Vignette],
    strength: float = DEFAULT_STRENGTH,
    categories: Collection[str] = (),
) -> Fit:
    """MAP priors of the causes of ``kb`` on ``vignettes`` (centred on the unfitted values):
    every cause, or those of the given categories (the others keep their unfitted prior)."""
    if not (strength > 0.0 and math.isfinite(strength)):
        raise ValueError(f"strength must be a positive number, not {strength}")
    base = unfitted(kb)
    unknown = sorted(set(categories) - {c.category for c in base.causes})
    if unknown:
        raise ValueError(f"no cause has the categories {unknown}")
    free = np.array([not categories or c.category in categories for c in base.causes])
    checker = Checker(base)
    fit = fit_cases_map(checker, fit_cases(checker, vignettes), strength, free)
    return dataclasses.replace(fit, categories=tuple(sorted(categories)))


def fit_cases_map(
    checker: Checker,
    cases: Sequence[FitCase],
    strength: float = DEFAULT_STRENGTH,
    free: npt.NDArray[np.bool_] | None = None,
) -> Fit:
    """The MAP shifts of the priors of ``checker``'s (unfitted) KB on ``cases``; ``free`` marks
    the causes fitted (all by default). Fisher scoring from 0 with a backtracking line search."""
    base = checker.kb
    n = len(base.causes)
    free = np.ones(n, dtype=bool) if free is None else free
    shift = np.zeros(n)
    start = current = objective(checker, cases, shift, strength)
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (reported after the loop)
        step = np.zeros(n)  # the fixed causes' shifts stay 0
        step[free] = np.linalg.solve(current.fisher[np.ix_(free, free)], current.gradient[free])
        slope = float(current.gradient @ step)  # > 0: the Fisher matrix is positive definite
        t = 1.0
        while True:
            candidate = objective(checker, cases, shift + t * step, strength, derivatives=False)
            if candidate.value >= current.value + 1e-4 * t * slope:
                break
            t /= 2.0
            if t < 1e-6:
                break
        if t < 1e-6:
            break  # no step uphill along the scoring direction: at the optimum (to rounding)
        shift = shift + t * step
        gained = candidate.value - current.value
        current = objective(checker, cases, shift, strength)
        if gained < TOLERANCE:
            break
    old = np.array([c.prior.value for c in base.causes])
    return Fit(
        cause_ids=tuple(c.id for c in base.causes),
        old=old,
        new=shifted(old, shift),
        shift=shift,
        strength=strength,
        categories=(),
        start=start,
        end=current,
        iterations=iterations,
        cases=len(cases),
    )


def fitted_kb(kb: KnowledgeBase, fit: Fit) -> KnowledgeBase:
    """``kb`` (unfitted) with the fit's priors as they would be written (rounded), unlabelled:
    for measuring the fit without writing it."""
    return with_priors(unfitted(kb), {c: float(v) for c, v in fit.rounded().items()})


def fit_changes(
    kb: KnowledgeBase, fit: Fit, *, command: str, data: str, sha256: str, date: str
) -> dict[str, tuple[str, str | None]]:
    """What ``kb fit --write`` puts into causes.yaml: cause id -> (value text, label or None).

    A prior whose rounded fit equals its unfitted value is not labelled (and a previously
    fitted one goes back to its unfitted value); the others get the label with the command,
    the data and its hash.
    """
    fitted_before = {c.id for c in kb.causes if c.prior.fitted is not None}
    changes: dict[str, tuple[str, str | None]] = {}
    for cause, old, new in zip(fit.cause_ids, fit.old, fit.rounded().values(), strict=True):
        if float(new) != float(old):
            label = fitted_label(float(old), new, command, data, sha256, date)
            changes[cause] = (new, label)
        elif cause in fitted_before:
            changes[cause] = (exact_value(float(old)), None)
    return changes
