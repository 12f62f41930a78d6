"""Seeded random two-layer noisy-OR networks and evidence for the engine benchmarks.

Everything here is deterministic given the seed (``numpy.random.default_rng``). A network is
returned as plain arrays ``(priors, leaks, links)`` with ``links[j, f] = P(f | cause j alone)``
(0 = no link), the layout of :class:`twitchcheck.engine.inference.NoisyOrNetwork`, so that the
same numbers can be fed to pyAgrum, pgmpy, brute force and the NumPy Quickscore.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class NetworkSpec:
    """Shape and parameter ranges of a random network.

    Each finding gets ``k`` distinct parents chosen uniformly among the causes: ``k`` uniform in
    ``[parents_min, parents_max]`` (``parent_dist="uniform"``), or ``1 + NegBinomial(2, ...)``
    with mean ``parents_mean`` capped at ``parents_max`` (``parent_dist="negbin"``, a heavy
    tail as in QMR-DT, where a few findings have many parents).
    """

    n_causes: int
    n_findings: int
    parents_min: int = 1
    parents_max: int = 4
    parent_dist: str = "uniform"
    parents_mean: float = 0.0
    link_low: float = 0.05
    link_high: float = 0.9
    prior_low: float = 0.01
    prior_high: float = 0.2
    leak_low: float = 1e-3
    leak_high: float = 0.05

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _log_uniform(rng: np.random.Generator, low: float, high: float, size: int) -> FloatArray:
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def random_network(spec: NetworkSpec, seed: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(priors, leaks, links)`` of a random network; every finding has at least one parent.

    Link probabilities are uniform in ``[link_low, link_high]``; priors and leaks are
    log-uniform in their ranges (so small values are as common as large ones, as in QMR-DT).
    """
    rng = np.random.default_rng(seed)
    n, m = spec.n_causes, spec.n_findings
    priors = _log_uniform(rng, spec.prior_low, spec.prior_high, n)
    leaks = _log_uniform(rng, spec.leak_low, spec.leak_high, m)
    links = np.zeros((n, m), dtype=np.float64)
    for f in range(m):
        if spec.parent_dist == "uniform":
            k = int(rng.integers(spec.parents_min, spec.parents_max + 1))
        elif spec.parent_dist == "negbin":
            r = 2.0
            mean_extra = max(spec.parents_mean - 1.0, 1e-9)
            k = 1 + int(rng.negative_binomial(r, r / (r + mean_extra)))
        else:
            raise ValueError(f"unknown parent_dist {spec.parent_dist!r}")
        k = max(1, min(k, spec.parents_max, n))
        parents = rng.choice(n, size=k, replace=False)
        links[parents, f] = rng.uniform(spec.link_low, spec.link_high, k)
    return priors, leaks, links


def random_evidence(
    links: FloatArray,
    n_present: int,
    n_absent: int,
    rng: np.random.Generator,
    n_true: int | None = None,
) -> tuple[IntArray, IntArray]:
    """Sorted ``(present, absent)`` finding indices.

    Realistic overlap: ``n_true`` "true" causes (1–3 when not given) are drawn, and the positives
    are drawn among their children, weighted by link probability; if they have too few children
    the rest are drawn uniformly. Negatives are drawn uniformly among the remaining findings.
    """
    n, m = links.shape
    if n_present + n_absent > m:
        raise ValueError("more observed findings than the network has")
    if n_true is None:
        n_true = int(rng.integers(1, 4))
    true = rng.choice(n, size=min(n_true, n), replace=False)
    weight = links[true].max(axis=0)
    candidates = np.flatnonzero(weight > 0)
    take = min(n_present, candidates.size)
    present = list(
        rng.choice(
            candidates, size=take, replace=False, p=weight[candidates] / weight[candidates].sum()
        )
    )
    if take < n_present:
        rest = np.setdiff1d(np.arange(m), present)
        present += list(rng.choice(rest, size=n_present - take, replace=False))
    others = np.setdiff1d(np.arange(m), present)
    absent = rng.choice(others, size=n_absent, replace=False)
    return np.sort(np.array(present, dtype=np.intp)), np.sort(absent.astype(np.intp))


# --- the networks used by each section of bench_engine -------------------------------------


def library_spec(n_causes: int, dense: bool = False) -> NetworkSpec:
    """Section 1 (against pyAgrum and pgmpy): 2.5 findings per cause, 1–4 parents each
    (``dense``: 2–6 parents each)."""
    lo, hi = (2, 6) if dense else (1, 4)
    return NetworkSpec(
        n_causes=n_causes, n_findings=int(2.5 * n_causes), parents_min=lo, parents_max=hi
    )


def library_evidence_sizes(n_causes: int) -> tuple[int, int]:
    """Section 1: (positives, negatives) for a size: 3–8 positives, 5–30 negatives."""
    n_present = int(np.clip(n_causes // 5 + 2, 3, 8))
    n_absent = int(np.clip(n_causes, 5, 30))
    return n_present, n_absent


#: Section 2: a QMR-DT-sized network (534 causes, 4,040 findings, about 40,000 links).
QMR_SPEC = NetworkSpec(
    n_causes=534,
    n_findings=4040,
    parents_min=1,
    parents_max=60,
    parent_dist="negbin",
    parents_mean=9.9,
    link_low=0.01,
    link_high=0.9,
    prior_low=1e-4,
    prior_high=0.05,
    leak_low=1e-4,
    leak_high=0.01,
)

#: Section 3 (exactness): small networks, two parameter regimes.
EXACT_SPECS = {
    "typical": NetworkSpec(n_causes=12, n_findings=40, parents_min=1, parents_max=4),
    "qmr-like": NetworkSpec(
        n_causes=12,
        n_findings=40,
        parents_min=1,
        parents_max=4,
        link_low=0.01,
        link_high=0.9,
        prior_low=1e-4,
        prior_high=0.05,
        leak_low=1e-4,
        leak_high=0.01,
    ),
}

#: Section 4 (approximation): a mid-sized network whose positives form one large group.
APPROX_SPEC = NetworkSpec(n_causes=30, n_findings=80, parents_min=1, parents_max=4)
