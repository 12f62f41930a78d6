"""Exact posterior marginals in a two-layer noisy-OR network with leak (the shape of QMR-DT).

The model: causes ``d_j`` are independent a priori with ``P(d_j = 1) = prior_j``; findings are
independent given the causes, with

    P(finding f absent | causes) = (1 - leak_f) * prod_j (1 - q_jf) ** d_j.

**Negative findings** factorise over causes (Quickscore, Heckerman 1989): each absent finding
multiplies cause ``j``'s "present" weight by ``1 - q_jf``. They are absorbed in linear time.

**Positive findings** couple the causes they share. Quickscore sums ``2^m`` terms of alternating
sign over subsets of the ``m`` positives; the terms cancel and the answer drifts (by 1e-3 at ten
positives on some networks). This package computes the same sum without any subtraction: a
forward-backward pass over the causes linked to the positives, whose state is *which positives
have already been switched on* (a vector of ``2^m`` probabilities). Switching is noisy-OR's own
mechanism: the leak switches finding ``f`` on with probability ``leak_f``, and an active cause
``j`` switches it on with probability ``q_jf``. Every quantity is a sum of products of
probabilities, so the relative rounding error stays near machine precision however many
positives there are (measured within 1e-12 of brute-force enumeration in the tests).

Cost: ``O(L * 2^m)`` per connected group of positives, with ``L`` the number of links between
the positives and their causes. Positives that share no cause are solved independently, so
``m`` is the size of the largest group. Above :data:`MAX_EXACT_POSITIVES` positives in one group
(``Limits.max_exact_positives``, passed to every query as ``limits=``) the NumPy implementation
switches to a documented approximation (``approximation.py``).

**The compiled kernel** (``_kernel.c``) does the same per query in one call, and adds a junction
tree over the shared causes, whose cost depends on the widest clique rather than on ``m``: it
answers first wherever it was built and the group fits its budget; the NumPy code is the
reference (``posteriors(..., compiled=False)``) and the fallback. See docs/engine.md.

The modules, from the bottom up: ``answers`` (the result types), ``limits``, ``bridge`` (the
compiled kernel's calls), ``network`` (the network and its checks), ``groups`` (negatives
absorbed, positives grouped), ``forward_backward``, ``approximation``, ``solve`` (one group by
enumeration or forward-backward, then all groups), ``kernel_queries`` (each query through the
kernel) and ``queries`` (the public queries, kernel first).

Everything here is pure and deterministic: no I/O, no randomness, no global state.
"""

from __future__ import annotations

from twitchcheck.engine.inference.answers import FloatArray, IntArray, Lookahead, Posterior
from twitchcheck.engine.inference.bridge import (
    KERNEL_AUTO,
    KERNEL_FORWARD_BACKWARD,
    KERNEL_JUNCTION_TREE,
    has_kernel,
)
from twitchcheck.engine.inference.groups import absorb_negatives
from twitchcheck.engine.inference.limits import (
    DEFAULT_LIMITS,
    EXPLAIN_EXACT_POSITIVES,
    MAX_EXACT_POSITIVES,
    Limits,
)
from twitchcheck.engine.inference.network import NoisyOrNetwork
from twitchcheck.engine.inference.queries import leave_one_out, lookahead, posteriors

__all__ = [
    "DEFAULT_LIMITS",
    "EXPLAIN_EXACT_POSITIVES",
    "KERNEL_AUTO",
    "KERNEL_FORWARD_BACKWARD",
    "KERNEL_JUNCTION_TREE",
    "MAX_EXACT_POSITIVES",
    "FloatArray",
    "IntArray",
    "Limits",
    "Lookahead",
    "NoisyOrNetwork",
    "Posterior",
    "absorb_negatives",
    "has_kernel",
    "leave_one_out",
    "lookahead",
    "posteriors",
]
