"""The evidence made ready to solve: negatives absorbed into the causes' weights (they
factorise over causes), positives split into groups that share no cause, and each group
prepared for the exact methods (:class:`Group`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twitchcheck.engine.inference.answers import FloatArray, IntArray
from twitchcheck.engine.inference.network import NoisyOrNetwork


def absorb_negatives(
    net: NoisyOrNetwork, priors: FloatArray, absent: IntArray
) -> tuple[FloatArray, float]:
    """Cause priors updated by the absent findings, and ``log P(all absent)``.

    Absent findings factorise over causes: cause j's "active" weight is multiplied by
    ``prod_f (1 - q_jf)``; the leak contributes ``prod_f (1 - leak_f)``.
    """
    log_on = np.log(priors) + net.log_absent[:, absent].sum(axis=1)
    log_off = np.log1p(-priors)
    log_norm = np.logaddexp(log_on, log_off)
    adjusted = np.exp(log_on - log_norm)
    log_evidence = float(np.log1p(-net.leaks[absent]).sum() + log_norm.sum())
    return adjusted, log_evidence


def components(net: NoisyOrNetwork, present: IntArray) -> list[tuple[IntArray, IntArray]]:
    """Split the positives into groups that share no cause: ``[(findings, causes), ...]``.

    Deterministic: groups come out ordered by their smallest finding index.
    """
    fs = np.sort(present)
    if not fs.size:
        return []
    linked = net.links[:, fs] > 0  # (causes, positives)
    as_float = linked.astype(np.float64)
    shares = (as_float.T @ as_float) > 0  # positives that share at least one cause
    seen = np.zeros(fs.size, dtype=bool)
    out = []
    for start in range(fs.size):
        if seen[start]:
            continue
        members = np.zeros(fs.size, dtype=bool)
        members[start] = True
        while True:  # grow to everything reachable through shared causes
            grown = members | shares[members].any(axis=0)
            if np.array_equal(grown, members):
                break
            members = grown
        seen |= members
        causes = np.flatnonzero(linked[:, members].any(axis=1)).astype(np.intp)
        out.append((fs[members], causes))
    return out


@dataclass(frozen=True)
class Group:
    """One connected group of positives, prepared for the forward-backward pass.

    A link strength or leak may be one number, or one per batch row (an array): that is how
    :func:`lookahead` tries a different extra positive finding in each row.
    """

    size: int  # number of positives m
    causes: IntArray  # cause indices in the group
    bits: tuple[
        tuple[tuple[int, float | FloatArray], ...], ...
    ]  # per cause: (bit, q) per linked positive
    leaks: tuple[float | FloatArray, ...]  # leak of each positive
    # The same links as a dense (k, m) matrix when every one is a plain number (fast paths).
    q_matrix: FloatArray | None = None


def prepare(net: NoisyOrNetwork, findings: IntArray, causes: IntArray) -> Group:
    """A group of plain-number links; its per-cause bit lists are built only if needed."""
    sub = net.links[np.ix_(causes, findings)]
    return Group(int(findings.size), causes, (), tuple(net.leaks[findings].tolist()), sub)


def with_bits(group: Group) -> Group:
    """The group with its per-cause ``(bit, q)`` lists, derived from ``q_matrix`` if missing."""
    if group.bits or group.q_matrix is None or not group.q_matrix.size:
        return group
    sub = group.q_matrix
    rows, cols = np.nonzero(sub)
    per_cause: list[list[tuple[int, float | FloatArray]]] = [[] for _ in range(sub.shape[0])]
    for row, col, q in zip(rows.tolist(), cols.tolist(), sub[rows, cols].tolist(), strict=True):
        per_cause[row].append((col, q))
    return Group(group.size, group.causes, tuple(tuple(b) for b in per_cause), group.leaks, sub)


def without_bit(group: Group, bit: int) -> Group:
    """The group with one positive left out (plain-number links only)."""
    assert group.q_matrix is not None, "groups from prepare carry their link matrix"
    keep = [b for b in range(group.size) if b != bit]
    return Group(
        group.size - 1,
        group.causes,
        (),
        tuple(group.leaks[b] for b in keep),
        np.ascontiguousarray(group.q_matrix[:, keep]),
    )
