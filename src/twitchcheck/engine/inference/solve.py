"""Solving the positives group by group: private causes folded into their positive's leak,
the shared causes by enumeration of their states or by the forward-backward pass (whichever a
cost model says is cheaper), the approximation above the exact limit, and all groups of a query
put together (:func:`solve_all`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from twitchcheck.engine.inference.answers import FloatArray, IntArray, Posterior
from twitchcheck.engine.inference.approximation import approximate_component
from twitchcheck.engine.inference.forward_backward import exact_component_state, off_ratios
from twitchcheck.engine.inference.groups import Group, absorb_negatives, components, prepare
from twitchcheck.engine.inference.limits import Limits
from twitchcheck.engine.inference.network import NoisyOrNetwork


def _enumeration_is_cheaper(batch: int, k: int, m: int, budget: int) -> bool:
    """A rough cost model of the two exact methods: enumeration costs a fixed overhead plus a
    cost per state entry; the forward-backward pass a cost per cause (its NumPy calls) plus a
    cost per state entry and bit. Its constants were measured on the development machine.
    Never above ``budget`` state entries (:attr:`Limits.enumeration_budget`)."""
    if batch * (1 << k) * (k + m) > budget:
        return False
    enumeration = 50e-6 + 6e-9 * batch * (1 << k) * (k + m)
    forward_backward = k * (40e-6 + 3e-9 * batch * (1 << m) * m)
    return enumeration < forward_backward


@lru_cache(maxsize=32)
def _cause_states(k: int) -> FloatArray:
    """Every on/off state of k causes, one row each (cached: the same k recurs)."""
    states = ((np.arange(1 << k)[:, None] >> np.arange(k)) & 1).astype(np.float64)
    states.setflags(write=False)
    return states


def _enumerate_core(
    group: Group, p_on: FloatArray, leaks: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact answer by summing over every state of the group's (few) causes.

    For a state ``s`` of the k causes, P(positive f | s) = 1 - (1 - leak_f) prod (1 - q)^s is
    computed as ``-expm1(log ...)``, without cancellation, and everything else is sums and
    products of positive terms. ``O(2^k (k + m))`` in a handful of vectorised operations:
    the fastest form when few causes are shared, whatever the number of positives.
    """
    k = p_on.shape[1]
    states = _cause_states(k)  # (2^k, k)
    assert group.q_matrix is not None
    log_keep = np.log1p(-group.q_matrix)  # (k, m)
    log_leak_off = np.log1p(-leaks)  # (batch, m)
    log_off = log_leak_off[:, None, :] + (states @ log_keep)[None, :, :]  # log P(f off | s)
    log_on = np.log(-np.expm1(log_off))  # log P(f on | s), accurate also when it is tiny
    log_prior = states @ (np.log(p_on) - np.log1p(-p_on)).T + np.log1p(-p_on).sum(
        axis=1
    )  # (2^k, batch)
    log_joint = log_prior.T + log_on.sum(axis=2)  # (batch, 2^k)
    top = log_joint.max(axis=1, keepdims=True)
    weights = np.exp(log_joint - top)
    total = weights.sum(axis=1)
    posterior = weights / total[:, None]
    marginals = posterior @ states
    log_evidence = np.log(total) + top[:, 0]
    # P(all positives but f on, f off) / P(all on) = E[P(f off | s) / P(f on | s) | evidence].
    ratios = np.einsum("bs,bsm->bm", posterior, np.exp(log_off - log_on))
    return np.clip(marginals, 0.0, 1.0), log_evidence, ratios


def solve_group(
    group: Group, p_on: FloatArray, limits: Limits
) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    """Posteriors and log-evidence of one group, per batch row, and the off-ratios of its bits.

    Causes linked to exactly one positive ("private" causes; most of them in a QMR-like
    network) act on that positive's bit alone. Marginalising them exactly turns them into extra
    leak on that bit, so only the shared ("core") causes need the full treatment: by
    enumeration of their states when they are few, else by the forward-backward pass over the
    positives' states. Afterwards each private cause's posterior follows in closed form,
    because the probability of the evidence is linear in the bit's leak ``l``:
    Z(l) = V1 + l V0, so ``P(j | e) = p_j (1 + r_j R_b)`` with ``r_j = q_j (1 - p_j) / (1 - p_j q_j)``
    and ``R_b = P(all on but b, b off) / P(all on)`` (the off-ratio): sums and products only.
    The third value holds the off-ratio of every bit (None for the approximation).
    """
    if group.size > limits.max_exact_positives:
        post, log_ev = approximate_component(
            group, p_on, limits.max_exact_positives, limits.state_budget
        )
        return post, log_ev, None
    batch, k = p_on.shape
    if group.q_matrix is not None:
        linked = group.q_matrix > 0
        private_mask = linked.sum(axis=1) == 1
        private = np.flatnonzero(private_mask)
        core = np.flatnonzero(~private_mask)
        bit_of = linked[private].argmax(axis=1)
        q_of = group.q_matrix[private, bit_of]
    else:
        private = np.array(
            [j for j, bits in enumerate(group.bits) if len(bits) == 1 and np.ndim(bits[0][1]) == 0],
            dtype=np.intp,
        )
        core = np.setdiff1d(np.arange(k), private)
        bit_of = np.array([group.bits[j][0][0] for j in private], dtype=np.intp)
        q_of = np.array([float(group.bits[j][0][1]) for j in private])
    p_priv = p_on[:, private]  # (batch, n_private)
    if group.q_matrix is not None:  # plain numbers throughout
        log_off = np.tile(np.log1p(-np.array(group.leaks, dtype=np.float64)), (batch, 1))
    else:
        log_off = np.empty((batch, group.size))
        for bit, leak in enumerate(group.leaks):
            log_off[:, bit] = np.log1p(-np.asarray(leak, dtype=np.float64))
    if private.size:
        # Each private cause multiplies its bit's "off" probability by (1 - p q).
        onehot = np.zeros((private.size, group.size))
        onehot[np.arange(private.size), bit_of] = 1.0
        log_off += np.log1p(-p_priv * q_of) @ onehot
    folded = -np.expm1(log_off)  # (batch, m): each bit's leak with its private causes
    q_core = None if group.q_matrix is None else group.q_matrix[core]
    if q_core is not None and _enumeration_is_cheaper(
        batch, int(core.size), group.size, limits.enumeration_budget
    ):
        sub = Group(group.size, group.causes[core], (), (), q_core)
        post_core, log_ev, ratios = _enumerate_core(sub, p_on[:, core], folded)
    else:
        leaks = tuple(folded[:, bit] for bit in range(group.size))
        core_bits = () if q_core is not None else tuple(group.bits[j] for j in core)
        sub = Group(group.size, group.causes[core], core_bits, leaks, q_core)
        post_core, log_ev, state = exact_component_state(sub, p_on[:, core], limits.state_budget)
        ratios = off_ratios(state, group.size)
    out = np.empty_like(p_on)
    out[:, core] = post_core
    r = q_of * (1.0 - p_priv) / (1.0 - p_priv * q_of)
    out[:, private] = p_priv * (1.0 + r * ratios[:, bit_of])
    return np.clip(out, 0.0, 1.0), log_ev, ratios


@dataclass(frozen=True)
class SolvedGroup:
    """One solved group of positives: its findings, causes and log P(its positives | negatives)."""

    group: Group
    findings: IntArray
    causes: IntArray
    log_evidence: float


def solve_all(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    limits: Limits,
) -> tuple[Posterior, list[SolvedGroup], FloatArray, float]:
    """The posterior, each group as solved, the causes after the negatives, log P(negatives)."""
    adjusted, log_negatives = absorb_negatives(net, base, absent_idx)
    marginals = adjusted.copy()
    log_evidence = log_negatives
    method: Literal["exact", "approximate"] = "exact"
    largest = 0
    solved = []
    for findings, causes in components(net, present_idx):
        group = prepare(net, findings, causes)
        largest = max(largest, group.size)
        if group.size > limits.max_exact_positives:
            method = "approximate"
        post, log_ev, _ = solve_group(group, adjusted[causes].reshape(1, -1), limits)
        marginals[causes] = post[0]
        log_evidence += float(log_ev[0])
        solved.append(SolvedGroup(group, findings, causes, float(log_ev[0])))
    return Posterior(marginals, log_evidence, method, largest), solved, adjusted, log_negatives
