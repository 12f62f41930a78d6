"""The approximation for groups of positives too large to solve whole: assumed-density
filtering over chunks of positives, each chunk solved exactly, and the shift that moves an
exact answer by an approximate change (so that the approximation's own error largely cancels)."""

from __future__ import annotations

import numpy as np

from twitchcheck.engine.inference.answers import FloatArray, IntArray
from twitchcheck.engine.inference.forward_backward import exact_component
from twitchcheck.engine.inference.groups import Group, with_bits
from twitchcheck.engine.numeric import logit

#: The filtering hands each chunk's posteriors on as the next chunk's priors, and the shift
#: takes their log-odds: both need them strictly inside (0, 1), so they are held within these
#: bounds (the full double range below).
OPEN_LOW, OPEN_HIGH = 1e-300, 1.0 - 1e-16


def chunks(groups: list[IntArray], chunk: int, whole: int) -> list[IntArray]:
    """Groups of at most ``whole`` positives each as one chunk (solved exactly); larger groups
    split into chunks of ``chunk`` in index order."""
    out: list[IntArray] = []
    for findings in groups:
        step = findings.size if findings.size <= whole else chunk
        out.extend(findings[start : start + step] for start in range(0, findings.size, step))
    return out


def shifted(
    exact_full: FloatArray, approx_full: FloatArray, approx_variant: FloatArray
) -> FloatArray:
    """``exact_full`` moved by the approximate change from ``approx_full`` to each variant row."""
    z = (
        logit(exact_full, OPEN_LOW, OPEN_HIGH)[None, :]
        - logit(approx_full, OPEN_LOW, OPEN_HIGH)[None, :]
        + logit(approx_variant, OPEN_LOW, OPEN_HIGH)
    )
    out: FloatArray = 1.0 / (1.0 + np.exp(-z))
    return out


def approximate_component(
    group: Group, p_on: FloatArray, chunk_size: int, state_budget: int
) -> tuple[FloatArray, FloatArray]:
    """Approximation for groups above :attr:`Limits.max_exact_positives` positives.

    The positives are split into chunks of at most ``chunk_size``, in index order. Each
    chunk is solved exactly, and the posterior marginals after one chunk become the (again
    independent) priors of the next: assumed-density filtering. It keeps each chunk's
    correlations exactly and drops those between chunks. Its error against the exact answer is
    measured in ``benchmarks/`` (see BENCHMARKS.md).
    """
    group = with_bits(group)
    batch = p_on.shape[0]
    current = p_on
    log_evidence = np.zeros(batch)
    for start in range(0, group.size, chunk_size):
        chunk = range(start, min(group.size, start + chunk_size))
        bits = tuple(
            tuple((b - start, q) for b, q in cause_bits if b in chunk) for cause_bits in group.bits
        )
        sub = Group(len(chunk), group.causes, bits, group.leaks[start : chunk.stop])
        current, log_ev = exact_component(sub, np.clip(current, OPEN_LOW, OPEN_HIGH), state_budget)
        log_evidence += log_ev
    return current, log_evidence
