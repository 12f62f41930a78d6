"""The forward-backward pass over one group's positives: its state is *which positives are
already switched on* (``2^m`` probabilities), each cause switches its positives on with its
link strength, and every step is a sum of products of probabilities, so nothing cancels."""

from __future__ import annotations

import numpy as np

from twitchcheck.engine.inference.answers import FloatArray
from twitchcheck.engine.inference.groups import Group, with_bits


def _per_row(q: float | FloatArray, batch: int) -> FloatArray:
    """A scalar as a 0-d array, or one value per batch row shaped to broadcast over the state."""
    qq: FloatArray = np.asarray(q, dtype=np.float64)
    return qq.reshape(batch, 1, 1) if qq.ndim else qq


def _switch_on(state: FloatArray, bit: int, q: float | FloatArray) -> None:
    """In place: each entry whose ``bit`` is off moves a share ``q`` of its mass to bit on.

    ``state`` has shape (batch, 2^m); ``q`` is a scalar or one value per batch row.
    """
    batch, size = state.shape
    low = 1 << bit
    view = state.reshape(batch, size // (2 * low), 2, low)
    qq = _per_row(q, batch)
    view[:, :, 1, :] += view[:, :, 0, :] * qq
    view[:, :, 0, :] *= 1.0 - qq


def _switch_on_transposed(state: FloatArray, bit: int, q: float | FloatArray) -> None:
    """The transpose of :func:`_switch_on` (used by the backward pass)."""
    batch, size = state.shape
    low = 1 << bit
    view = state.reshape(batch, size // (2 * low), 2, low)
    qq = _per_row(q, batch)
    view[:, :, 0, :] *= 1.0 - qq
    view[:, :, 0, :] += view[:, :, 1, :] * qq


def _initial_state(leaks: tuple[float | FloatArray, ...], batch: int) -> FloatArray:
    """The distribution over switched-on positives when only the leaks act."""
    state = np.zeros((batch, 1 << len(leaks)), dtype=np.float64)
    state[:, 0] = 1.0  # nothing switched on yet
    for bit, leak in enumerate(leaks):
        _switch_on(state, bit, leak)
    return state


class _Transitions:
    """How one active cause moves the state: ``T_j`` applied forwards, or transposed backwards.

    Two forms with the same arithmetic: bit by bit (``O(bits * 2^m)`` per cause, for many
    positives), or as dense ``2^m x 2^m`` matrices built once per group by Kronecker products
    (one matrix product per cause, far fewer NumPy calls when ``2^m`` is small).
    """

    #: Use dense matrices while causes x batch x (2^m)^2 stays below this many entries.
    DENSE_BUDGET = 1 << 22
    #: ... and only up to this many positives (past it the bitwise form is the cheaper one).
    DENSE_MAX_BITS = 6

    def __init__(self, group: Group, batch: int) -> None:
        self.group = group
        size = 1 << group.size
        fixed = all(np.ndim(q) == 0 for bits in group.bits for _, q in bits)
        self.dense: FloatArray | None = None
        # Dense pays off only for small states: building the matrices costs k x 4^m.
        if (
            fixed
            and group.size <= self.DENSE_MAX_BITS
            and len(group.bits) * size * size <= self.DENSE_BUDGET
        ):
            self.dense = self._matrices(group)

    @staticmethod
    def _matrices(group: Group) -> FloatArray:
        k = len(group.bits)
        q = np.zeros((k, group.size))
        for j, bits in enumerate(group.bits):
            for bit, value in bits:
                q[j, bit] = float(value)
        # T[j, to, from]; each new bit becomes the most significant one: kron(A_bit, T).
        t = np.ones((k, 1, 1))
        for bit in range(group.size):
            a = np.zeros((k, 2, 2))
            a[:, 0, 0] = 1.0 - q[:, bit]
            a[:, 1, 0] = q[:, bit]
            a[:, 1, 1] = 1.0
            n = t.shape[1]
            t = np.einsum("kab,kcd->kacbd", a, t).reshape(k, 2 * n, 2 * n)
        return t

    def forward(self, state: FloatArray, j: int) -> FloatArray:
        """``T_j`` applied to each row: the state had cause ``j`` been active."""
        if self.dense is not None:
            result: FloatArray = state @ self.dense[j].T
            return result
        active = state.copy()
        for bit, q in self.group.bits[j]:
            _switch_on(active, bit, q)
        return active

    def backward(self, beta: FloatArray, j: int) -> FloatArray:
        if self.dense is not None:
            result: FloatArray = beta @ self.dense[j]
            return result
        active = beta.copy()
        for bit, q in self.group.bits[j]:
            _switch_on_transposed(active, bit, q)
        return active


def _backward_step(trans: _Transitions, p_on: FloatArray, beta: FloatArray, j: int) -> FloatArray:
    """From the backward vector after cause ``j`` to the one after cause ``j - 1``."""
    p = p_on[:, j].reshape(-1, 1)
    beta = (1.0 - p) * beta + p * trans.backward(beta, j)
    # Rescale (max 1): only ratios of backward vectors are used, never their size.
    result: FloatArray = beta / beta.max(axis=1, keepdims=True)
    return result


def _backward_block(
    trans: _Transitions, p_on: FloatArray, end_beta: FloatArray, first: int, last: int
) -> list[FloatArray]:
    """``[beta_first, ..., beta_{last-1}]`` from ``beta_{last-1}``; ``beta_j`` is the backward
    vector after cause ``j`` (it accounts for every cause after ``j``)."""
    out = [end_beta]
    for j in range(last - 1, first, -1):
        out.append(_backward_step(trans, p_on, out[-1], j))
    out.reverse()
    return out


def exact_component(
    group: Group, p_on: FloatArray, state_budget: int, terminal: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """:func:`exact_component_state` without its final state."""
    marginals, log_evidence, _ = exact_component_state(group, p_on, state_budget, terminal)
    return marginals, log_evidence


def exact_component_state(
    group: Group, p_on: FloatArray, state_budget: int, terminal: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact posteriors of the group's causes and log P(positives | negatives), per batch row.

    ``p_on`` has shape (batch, k): each cause's probability after the negatives. ``terminal``
    (batch, 2^m) says which final states count as "the evidence holds": by default only "all
    positives on"; marking a bit as don't-care leaves that positive out of the evidence exactly
    (used to explain each answer's effect in one pass). At most ``state_budget`` entries of
    backward vectors are kept at once (:attr:`Limits.state_budget`).
    """
    group = with_bits(group)
    batch, k = p_on.shape
    full = (1 << group.size) - 1
    trans = _Transitions(group, batch)
    if terminal is None:
        beta = np.zeros((batch, 1 << group.size), dtype=np.float64)
        beta[:, full] = 1.0
    else:
        beta = terminal

    # Keep at most `block` backward vectors at once. When every one fits (the usual case) there
    # is one block and one backward pass; otherwise a first pass keeps the vector that ends each
    # block (a checkpoint) and each block is recomputed just before the forward pass needs it.
    block = max(1, min(k, state_budget // max(1, batch << group.size)))
    checkpoints: dict[int, FloatArray] = {k - 1: beta}
    if block < k:
        for j in range(k - 1, 0, -1):
            beta = _backward_step(trans, p_on, beta, j)
            if j % block == 0:
                checkpoints[j - 1] = beta

    marginals = np.empty((batch, k), dtype=np.float64)
    state = _initial_state(group.leaks, batch)
    for first in range(0, k, block):
        last = min(k, first + block)
        betas = _backward_block(trans, p_on, checkpoints[last - 1], first, last)
        for j in range(first, last):
            active = trans.forward(state, j)
            p = p_on[:, j]
            state = (1.0 - p)[:, None] * state + p[:, None] * active
            # P(cause j | e) = p * <beta_j, T_j alpha_{j-1}> / <beta_j, alpha_j>
            num = p * np.einsum("bs,bs->b", betas[j - first], active)
            den = np.einsum("bs,bs->b", betas[j - first], state)
            marginals[:, j] = num / den
    # Each step is a stochastic matrix, so `state` stays a distribution over switched-on sets:
    # its "all on" entry is P(every positive present | the negatives).
    final: FloatArray = (
        state[:, full] if terminal is None else np.einsum("bs,bs->b", terminal, state)
    )
    return np.clip(marginals, 0.0, 1.0), np.log(final), state


def off_ratios(state: FloatArray, size: int) -> FloatArray:
    """``state[all on but bit b] / state[all on]`` for every bit b, per batch row."""
    full = (1 << size) - 1
    bits = 1 << np.arange(size)
    result: FloatArray = state[:, full ^ bits] / state[:, full][:, None]
    return result
