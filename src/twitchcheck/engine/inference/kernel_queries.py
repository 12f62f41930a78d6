"""The queries as the compiled kernel answers them: one kernel call per posterior, its chunked
approximation where it declines a group too large for it, and the lookahead and left-out
variants as kernel calls. Each answers None where the kernel has no answer (the NumPy path
in :mod:`~twitchcheck.engine.inference.queries` answers then)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Literal

import numpy as np

from twitchcheck.engine.inference import bridge
from twitchcheck.engine.inference.answers import FloatArray, IntArray, Lookahead, Posterior
from twitchcheck.engine.inference.approximation import OPEN_HIGH, OPEN_LOW, chunks, shifted
from twitchcheck.engine.inference.groups import components
from twitchcheck.engine.inference.limits import Limits
from twitchcheck.engine.inference.network import NoisyOrNetwork, validate_evidence


def kernel_posterior(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    limits: Limits,
    method: int = bridge.KERNEL_AUTO,
) -> Posterior | None:
    """The exact posterior from the compiled kernel; None without it or when a group is too
    large for its table budget (then the NumPy path answers)."""
    return bridge.solve(
        net._compiled,
        net.n_causes,
        base,
        present_idx,
        absent_idx,
        method,
        limits.kernel_table_budget,
    )


def kernel_chunked(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    chunk: int,
    whole: int,
    limits: Limits,
    groups: list[IntArray] | None = None,
) -> Posterior | None:
    """The chunked approximation (assumed-density filtering) with each chunk solved exactly by
    the kernel: the posteriors after one chunk are the priors of the next. Groups of at most
    ``whole`` positives are one chunk each and stay exact (independent groups lose nothing to
    the filtering). ``groups``: the positives' groups if the caller has them already. None
    without the kernel or if it declines a chunk."""
    if groups is None:
        groups = [fs for fs, _ in components(net, np.sort(present_idx))]
    if not groups:
        return kernel_posterior(net, base, present_idx, absent_idx, limits)
    current = base
    negatives = absent_idx
    log_evidence = 0.0
    answer = None
    for part in chunks(groups, chunk, whole):
        answer = kernel_posterior(net, current, part, negatives, limits)
        if answer is None:
            return None
        log_evidence += answer.log_evidence
        current = np.clip(answer.marginals, OPEN_LOW, OPEN_HIGH)  # the next chunk's priors
        negatives = absent_idx[:0]  # absorbed by the first chunk
    if answer is None:
        return None
    largest = max((fs.size for fs in groups), default=0)
    method: Literal["exact", "approximate"] = "approximate" if largest > whole else "exact"
    return Posterior(answer.marginals, log_evidence, method, largest)


def fast_posterior(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    limits: Limits,
) -> Posterior | None:
    """The kernel's exact answer; where it declines and a group is above
    ``limits.max_exact_positives``, the kernel's chunked approximation; else None (the NumPy
    path answers)."""
    answer = kernel_posterior(net, base, present_idx, absent_idx, limits)
    if answer is not None or net._compiled is None:
        return answer
    validate_evidence(net, present_idx, absent_idx)  # (the kernel checks only what it solves)
    groups = [fs for fs, _ in components(net, np.sort(present_idx))]
    if max((fs.size for fs in groups), default=0) <= limits.max_exact_positives:
        return None
    size = min(limits.kernel_chunk, limits.max_exact_positives)
    return kernel_chunked(net, base, present_idx, absent_idx, size, size, limits, groups)


def kernel_lookahead(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    cand: IntArray,
    limits: Limits,
) -> Lookahead | None:
    """:func:`lookahead` as two kernel calls per candidate (None if any call declines)."""
    current = kernel_posterior(net, base, present_idx, absent_idx, limits)
    if current is None:
        return None
    n = cand.size
    if_present = np.empty((n, net.n_causes))
    if_absent = np.empty((n, net.n_causes))
    log_z_present = np.empty(n)
    for row, f in enumerate(cand.tolist()):
        with_f = kernel_posterior(net, base, np.append(present_idx, f), absent_idx, limits)
        without_f = kernel_posterior(net, base, present_idx, np.append(absent_idx, f), limits)
        if with_f is None or without_f is None:
            return None
        if_present[row], log_z_present[row] = with_f.marginals, with_f.log_evidence
        if_absent[row] = without_f.marginals
    p_present = np.exp(log_z_present - current.log_evidence)
    return Lookahead(cand, np.clip(p_present, 0.0, 1.0), if_present, if_absent, current)


def _variants_one_by_one(
    net: NoisyOrNetwork,
    present_idx: IntArray,
    absent_idx: IntArray,
    solve: Callable[[IntArray, IntArray], Posterior | None],
) -> tuple[FloatArray, FloatArray] | None:
    """:func:`leave_one_out`'s variants, one ``solve(present, absent)`` each (None if any call
    declines)."""
    variants = []
    for shown, hidden in ((present_idx, absent_idx), (absent_idx, present_idx)):
        rows = np.empty((shown.size, net.n_causes))
        keep = np.ones(shown.size, dtype=bool)
        for i in range(shown.size):
            keep[i] = False
            pres, abs_ = (shown[keep], hidden) if shown is present_idx else (hidden, shown[keep])
            variant = solve(pres, abs_)
            keep[i] = True
            if variant is None:
                return None
            rows[i] = variant.marginals
        variants.append(rows)
    return variants[0], variants[1]


def kernel_leave_one_out(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    exact_limit: int | None,
    limits: Limits,
) -> tuple[Posterior, FloatArray, FloatArray] | Posterior | None:
    """:func:`leave_one_out` through the kernel: every variant exact (one call each), unless a
    group is above ``exact_limit`` and the full answer is approximate or the exact variants
    would cost more than ``limits.explain_work_limit``: then each variant comes from the kernel's
    chunked approximation (chunks of ``limits.explain_chunk``, groups up to ``exact_limit`` whole
    and exact), moved onto the full answer by its change in log-odds, so that the
    approximation's own error largely cancels. Returns only the full posterior when the
    variants are left to the NumPy path, None when the kernel has no answer at all."""
    full = fast_posterior(net, base, present_idx, absent_idx, limits)
    if full is None:
        return None
    n_variants = present_idx.size + absent_idx.size
    rough = (
        exact_limit is not None
        and full.largest_group > exact_limit
        and (full.method == "approximate" or full.work * n_variants > limits.explain_work_limit)
    )
    if not rough and full.method == "exact":
        exact = bridge.exact_variants(
            net._compiled,
            net.n_causes,
            base,
            present_idx,
            absent_idx,
            limits.kernel_table_budget,
        )
        return full if exact is None else (full, exact[0], exact[1])
    if not rough:
        return full
    assert exact_limit is not None
    limit = exact_limit

    def chunked(p: IntArray, a: IntArray) -> Posterior | None:
        return kernel_chunked(net, base, p, a, limits.explain_chunk, limit, limits)

    approx_full = chunked(present_idx, absent_idx)
    variants = _variants_one_by_one(net, present_idx, absent_idx, chunked)
    if approx_full is None or variants is None:
        return full
    moved = [shifted(full.marginals, approx_full.marginals, v) for v in variants]
    return replace(full, variants="approximate"), moved[0], moved[1]
