"""Exact posterior marginals in a two-layer noisy-OR network with leak (the shape of QMR-DT).

The model: causes ``d_j`` are independent a priori with ``P(d_j = 1) = prior_j``; findings are
independent given the causes, with

    P(finding f absent | causes) = (1 - leak_f) * prod_j (1 - q_jf) ** d_j.

**Negative findings** factorise over causes (Quickscore, Heckerman 1989): each absent finding
multiplies cause ``j``'s "present" weight by ``1 - q_jf``. They are absorbed in linear time.

**Positive findings** couple the causes they share. Quickscore sums ``2^m`` terms of alternating
sign over subsets of the ``m`` positives; the terms cancel and the answer drifts (by 1e-3 at ten
positives on some networks). This module computes the same sum without any subtraction: a
forward-backward pass over the causes linked to the positives, whose state is *which positives
have already been switched on* (a vector of ``2^m`` probabilities). Switching is noisy-OR's own
mechanism: the leak switches finding ``f`` on with probability ``leak_f``, and an active cause
``j`` switches it on with probability ``q_jf``. Every quantity is a sum of products of
probabilities, so the relative rounding error stays near machine precision however many
positives there are (measured within 1e-12 of brute-force enumeration in the tests).

Cost: ``O(L * 2^m)`` per connected group of positives, with ``L`` the number of links between
the positives and their causes. Positives that share no cause are solved independently, so
``m`` is the size of the largest group. Above :data:`MAX_EXACT_POSITIVES` positives in one group
this NumPy implementation switches to a documented approximation (:func:`_approximate_component`).

**The compiled kernel** (``_kernel.c``) does the same per query in one call, and adds a junction
tree over the shared causes, whose cost depends on the widest clique rather than on ``m``: it
answers first wherever it was built and the group fits its budget; this module's NumPy code is
the reference (``posteriors(..., compiled=False)``) and the fallback. See docs/engine.md.

Everything here is pure and deterministic: no I/O, no randomness, no global state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from twitchcheck.errors import NetworkError

try:  # the compiled inner loop (setup.py builds it; optional: NumPy answers without it)
    from twitchcheck.engine import _kernel
except ImportError:  # pragma: no cover - exercised only where no C compiler was available
    _kernel = None  # type: ignore[assignment]


def has_kernel() -> bool:
    """Whether the compiled kernel was built (without it NumPy answers: same, slower)."""
    return _kernel is not None


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: The largest number of positive findings in one connected group solved exactly. The state
#: vector has ``2^m`` entries: at 20 that is 8 MiB per vector and about a second of work.
MAX_EXACT_POSITIVES = 20

#: Explanations leave each answer out in turn. Done exactly, leaving out positives costs about
#: m full solves of the 2^m state (measured on the shipped KB: 0.14 s at 12 positives in one
#: group, 4 s at 16, ~30 s at 18). Above this many positives in a group, callers that pass
#: ``exact_limit`` get those variants from the chunked approximation in chunks of
#: :data:`EXPLAIN_CHUNK` instead; the full-evidence posterior stays exact.
EXPLAIN_EXACT_POSITIVES = 12
EXPLAIN_CHUNK = 8
#: The compiled kernel computes every variant exactly (one call each) unless a group is above
#: ``exact_limit`` and the calls together would touch more than this many table entries
#: (~60 ms here; on the shipped KB that is past 12 positives in one group, whose locations
#: share many causes, while thin networks stay exact far beyond).
EXPLAIN_WORK_LIMIT = 3e7

#: How many backward vectors may be kept at once (entries, not bytes): beyond this the
#: backward pass is recomputed in blocks from checkpoints, trading time for memory.
_STATE_BUDGET = 1 << 23


@dataclass(frozen=True)
class NoisyOrNetwork:
    """A two-layer noisy-OR network: ``links[j, f]`` is P(f | cause j alone), 0 when unlinked.

    ``priors`` are the default priors; :func:`posteriors` accepts per-person priors instead.
    The constructor checks shapes and ranges (as pgmpy checks a model before inference).
    """

    priors: FloatArray
    leaks: FloatArray
    links: FloatArray
    # Derived, sparse views used by the inference (filled in __post_init__).
    _parents: tuple[IntArray, ...] = field(init=False, repr=False, compare=False)
    _log_absent: FloatArray = field(init=False, repr=False, compare=False)
    # Every link as (cause, finding, q), for sparse sums over links.
    _link_causes: IntArray = field(init=False, repr=False, compare=False)
    _link_findings: IntArray = field(init=False, repr=False, compare=False)
    _link_q: FloatArray = field(init=False, repr=False, compare=False)
    # The same links in the compiled kernel's own form (None without the kernel).
    _compiled: object | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        priors = np.ascontiguousarray(self.priors, dtype=np.float64)
        leaks = np.ascontiguousarray(self.leaks, dtype=np.float64)
        links = np.ascontiguousarray(self.links, dtype=np.float64)
        if priors.ndim != 1 or leaks.ndim != 1 or links.ndim != 2:
            raise NetworkError("priors and leaks must be vectors and links a matrix")
        if links.shape != (priors.size, leaks.size):
            raise NetworkError(
                f"links has shape {links.shape}, expected (causes, findings) = "
                f"({priors.size}, {leaks.size})"
            )
        _check_open_unit("priors", priors)
        _check_open_unit("leaks", leaks)
        if not np.all(np.isfinite(links)) or np.any(links < 0.0) or np.any(links >= 1.0):
            raise NetworkError("every link probability must lie in [0, 1)")
        object.__setattr__(self, "priors", priors)
        object.__setattr__(self, "leaks", leaks)
        object.__setattr__(self, "links", links)
        parents = tuple(np.flatnonzero(links[:, f]) for f in range(leaks.size))
        object.__setattr__(self, "_parents", parents)
        object.__setattr__(self, "_log_absent", np.log1p(-links))
        link_causes, link_findings = np.nonzero(links)
        object.__setattr__(self, "_link_causes", link_causes.astype(np.intp))
        object.__setattr__(self, "_link_findings", link_findings.astype(np.intp))
        object.__setattr__(self, "_link_q", links[link_causes, link_findings])
        object.__setattr__(self, "_compiled", _compile(links, leaks))

    @property
    def n_causes(self) -> int:
        return int(self.priors.size)

    @property
    def n_findings(self) -> int:
        return int(self.leaks.size)

    def parents_of(self, finding: int) -> IntArray:
        return self._parents[finding]


def _compile(links: FloatArray, leaks: FloatArray) -> object | None:
    """The links per finding (CSR) handed to the compiled kernel, or None without it."""
    if _kernel is None:
        return None
    findings, causes = np.nonzero(links.T)  # sorted by finding, then cause
    ptr = np.searchsorted(findings, np.arange(leaks.size + 1)).astype(np.int64)
    return _kernel.network(
        links.shape[0],
        ptr,
        causes.astype(np.int64),
        np.ascontiguousarray(links.T[findings, causes]),
        leaks,
    )


#: Which method the kernel uses for a group's shared causes: chosen by cost (auto), or forced
#: (tests compare each method with brute force).
KERNEL_AUTO, KERNEL_FORWARD_BACKWARD, KERNEL_JUNCTION_TREE = 0, 1, 2


def _kernel_posterior(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    method: int = KERNEL_AUTO,
) -> Posterior | None:
    """The exact posterior from the compiled kernel; None without it or when a group is too
    large for its memory budget (then the NumPy path answers). The kernel sorts and checks the
    evidence itself (the same checks and messages as :func:`_validate_evidence`)."""
    if net._compiled is None:
        return None
    out = np.empty(net.n_causes)
    try:
        answer = _kernel.solve(
            net._compiled,
            base,
            np.ascontiguousarray(present_idx, dtype=np.int64),  # the kernel reads raw buffers
            np.ascontiguousarray(absent_idx, dtype=np.int64),
            out,
            method,
        )
    except ValueError as exc:
        raise NetworkError(str(exc)) from None
    if answer is None:
        return None
    return Posterior(out, answer[0], "exact", answer[1], work=answer[2])


#: Positives per chunk when the kernel approximates a group too large for it (2^16 states x ~30
#: shared causes fits its budget: ~10 ms per chunk on the shipped KB).
KERNEL_CHUNK = 16


def _chunks(groups: list[IntArray], chunk: int, whole: int) -> list[IntArray]:
    """Groups of at most ``whole`` positives each as one chunk (solved exactly); larger groups
    split into chunks of ``chunk`` in index order."""
    out: list[IntArray] = []
    for findings in groups:
        step = findings.size if findings.size <= whole else chunk
        out.extend(findings[start : start + step] for start in range(0, findings.size, step))
    return out


def _kernel_chunked(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    chunk: int,
    whole: int,
    groups: list[IntArray] | None = None,
) -> Posterior | None:
    """The chunked approximation (assumed-density filtering) with each chunk solved exactly by
    the kernel: the posteriors after one chunk are the priors of the next. Groups of at most
    ``whole`` positives are one chunk each and stay exact (independent groups lose nothing to
    the filtering). ``groups``: the positives' groups if the caller has them already. None
    without the kernel or if it declines a chunk."""
    if groups is None:
        groups = [fs for fs, _ in _components(net, np.sort(present_idx))]
    if not groups:
        return _kernel_posterior(net, base, present_idx, absent_idx)
    current = base
    negatives = absent_idx
    log_evidence = 0.0
    answer = None
    for part in _chunks(groups, chunk, whole):
        answer = _kernel_posterior(net, current, part, negatives)
        if answer is None:
            return None
        log_evidence += answer.log_evidence
        current = np.clip(answer.marginals, 1e-300, 1.0 - 1e-16)  # priors stay inside (0, 1)
        negatives = absent_idx[:0]  # absorbed by the first chunk
    if answer is None:
        return None
    largest = max((fs.size for fs in groups), default=0)
    method: Literal["exact", "approximate"] = "approximate" if largest > whole else "exact"
    return Posterior(answer.marginals, log_evidence, method, largest)


def _fast_posterior(
    net: NoisyOrNetwork, base: FloatArray, present_idx: IntArray, absent_idx: IntArray
) -> Posterior | None:
    """The kernel's exact answer; where it declines and a group is above MAX_EXACT_POSITIVES,
    the kernel's chunked approximation; else None (the NumPy path answers)."""
    answer = _kernel_posterior(net, base, present_idx, absent_idx)
    if answer is not None or net._compiled is None:
        return answer
    _validate_evidence(net, present_idx, absent_idx)  # (the kernel checks only what it solves)
    groups = [fs for fs, _ in _components(net, np.sort(present_idx))]
    if max((fs.size for fs in groups), default=0) <= MAX_EXACT_POSITIVES:
        return None
    # Read at call time: the benchmark lowers MAX_EXACT_POSITIVES in-process.
    size = min(KERNEL_CHUNK, MAX_EXACT_POSITIVES)
    return _kernel_chunked(net, base, present_idx, absent_idx, size, size, groups)


def _check_open_unit(name: str, values: FloatArray) -> None:
    if not np.all(np.isfinite(values)) or np.any(values <= 0.0) or np.any(values >= 1.0):
        raise NetworkError(f"every value of {name} must lie strictly between 0 and 1")


@dataclass(frozen=True)
class Posterior:
    """Posterior marginals ``P(cause j active | evidence)`` and ``log P(evidence)``."""

    marginals: FloatArray
    log_evidence: float
    method: Literal["exact", "approximate"]
    largest_group: int
    #: For :func:`leave_one_out`: whether its left-out variants are exact too.
    variants: Literal["exact", "approximate"] = "exact"
    #: The compiled kernel's estimate of its work (table entries touched); 0 from NumPy.
    work: float = 0.0


def _validate_evidence(net: NoisyOrNetwork, present: IntArray, absent: IntArray) -> None:
    both = np.concatenate([present, absent])
    if not both.size:
        return
    if both.min() >= 0 and both.max() < net.n_findings and np.bincount(both).max() <= 1:
        return  # the usual case, in one pass; the messages below say what is wrong otherwise
    for name, idx in (("present", present), ("absent", absent)):
        if idx.size and (idx.min() < 0 or idx.max() >= net.n_findings):
            raise NetworkError(f"{name} holds a finding index outside 0..{net.n_findings - 1}")
        if np.unique(idx).size != idx.size:
            raise NetworkError(f"{name} holds the same finding twice")
    raise NetworkError("a finding cannot be both present and absent")


def absorb_negatives(
    net: NoisyOrNetwork, priors: FloatArray, absent: IntArray
) -> tuple[FloatArray, float]:
    """Cause priors updated by the absent findings, and ``log P(all absent)``.

    Absent findings factorise over causes: cause j's "active" weight is multiplied by
    ``prod_f (1 - q_jf)``; the leak contributes ``prod_f (1 - leak_f)``.
    """
    log_on = np.log(priors) + net._log_absent[:, absent].sum(axis=1)
    log_off = np.log1p(-priors)
    log_norm = np.logaddexp(log_on, log_off)
    adjusted = np.exp(log_on - log_norm)
    log_evidence = float(np.log1p(-net.leaks[absent]).sum() + log_norm.sum())
    return adjusted, log_evidence


def _components(net: NoisyOrNetwork, present: IntArray) -> list[tuple[IntArray, IntArray]]:
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


@dataclass(frozen=True)
class _Group:
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


def _prepare(net: NoisyOrNetwork, findings: IntArray, causes: IntArray) -> _Group:
    """A group of plain-number links; its per-cause bit lists are built only if needed."""
    sub = net.links[np.ix_(causes, findings)]
    return _Group(int(findings.size), causes, (), tuple(net.leaks[findings].tolist()), sub)


def _with_bits(group: _Group) -> _Group:
    """The group with its per-cause ``(bit, q)`` lists, derived from ``q_matrix`` if missing."""
    if group.bits or group.q_matrix is None or not group.q_matrix.size:
        return group
    sub = group.q_matrix
    rows, cols = np.nonzero(sub)
    per_cause: list[list[tuple[int, float | FloatArray]]] = [[] for _ in range(sub.shape[0])]
    for row, col, q in zip(rows.tolist(), cols.tolist(), sub[rows, cols].tolist(), strict=True):
        per_cause[row].append((col, q))
    return _Group(group.size, group.causes, tuple(tuple(b) for b in per_cause), group.leaks, sub)


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
    #: ... and only up to this many positives (measured: slower than bitwise from 8 up).
    DENSE_MAX_BITS = 6

    def __init__(self, group: _Group, batch: int) -> None:
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
    def _matrices(group: _Group) -> FloatArray:
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


def _exact_component(
    group: _Group, p_on: FloatArray, terminal: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    marginals, log_evidence, _ = _exact_component_state(group, p_on, terminal)
    return marginals, log_evidence


def _exact_component_state(
    group: _Group, p_on: FloatArray, terminal: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact posteriors of the group's causes and log P(positives | negatives), per batch row.

    ``p_on`` has shape (batch, k): each cause's probability after the negatives. ``terminal``
    (batch, 2^m) says which final states count as "the evidence holds": by default only "all
    positives on"; marking a bit as don't-care leaves that positive out of the evidence exactly
    (used to explain each answer's effect in one pass).
    """
    group = _with_bits(group)
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
    block = max(1, min(k, _STATE_BUDGET // max(1, batch << group.size)))
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


#: Never enumerate more than this many cause states x positives x batch rows (memory).
_ENUMERATION_BUDGET = 1 << 20


def _enumeration_is_cheaper(batch: int, k: int, m: int) -> bool:
    """A rough cost model, measured on this machine: enumeration costs ~6 ns per state entry
    plus a fixed 50 us; the forward-backward pass ~40 us of NumPy calls per cause plus ~3 ns per
    state entry and bit."""
    if batch * (1 << k) * (k + m) > _ENUMERATION_BUDGET:
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


def _off_ratios(state: FloatArray, size: int) -> FloatArray:
    """``state[all on but bit b] / state[all on]`` for every bit b, per batch row."""
    full = (1 << size) - 1
    bits = 1 << np.arange(size)
    result: FloatArray = state[:, full ^ bits] / state[:, full][:, None]
    return result


def _enumerate_core(
    group: _Group, p_on: FloatArray, leaks: FloatArray
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


def _solve(group: _Group, p_on: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray | None]:
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
    if group.size > MAX_EXACT_POSITIVES:
        post, log_ev = _approximate_component(group, p_on)
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
    if q_core is not None and _enumeration_is_cheaper(batch, int(core.size), group.size):
        sub = _Group(group.size, group.causes[core], (), (), q_core)
        post_core, log_ev, ratios = _enumerate_core(sub, p_on[:, core], folded)
    else:
        leaks = tuple(folded[:, bit] for bit in range(group.size))
        core_bits = () if q_core is not None else tuple(group.bits[j] for j in core)
        sub = _Group(group.size, group.causes[core], core_bits, leaks, q_core)
        post_core, log_ev, state = _exact_component_state(sub, p_on[:, core])
        ratios = _off_ratios(state, group.size)
    out = np.empty_like(p_on)
    out[:, core] = post_core
    r = q_of * (1.0 - p_priv) / (1.0 - p_priv * q_of)
    out[:, private] = p_priv * (1.0 + r * ratios[:, bit_of])
    return np.clip(out, 0.0, 1.0), log_ev, ratios


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, 1e-300, 1.0 - 1e-16)
    out: FloatArray = np.log(q) - np.log1p(-q)
    return out


def _shifted(
    exact_full: FloatArray, approx_full: FloatArray, approx_variant: FloatArray
) -> FloatArray:
    """``exact_full`` moved by the approximate change from ``approx_full`` to each variant row."""
    z = _logit(exact_full)[None, :] - _logit(approx_full)[None, :] + _logit(approx_variant)
    out: FloatArray = 1.0 / (1.0 + np.exp(-z))
    return out


def _without_bit(group: _Group, bit: int) -> _Group:
    """The group with one positive left out (plain-number links only)."""
    assert group.q_matrix is not None, "groups from _prepare carry their link matrix"
    keep = [b for b in range(group.size) if b != bit]
    return _Group(
        group.size - 1,
        group.causes,
        (),
        tuple(group.leaks[b] for b in keep),
        np.ascontiguousarray(group.q_matrix[:, keep]),
    )


def _approximate_component(
    group: _Group, p_on: FloatArray, chunk_size: int | None = None
) -> tuple[FloatArray, FloatArray]:
    """Approximation for groups above :data:`MAX_EXACT_POSITIVES` positives.

    The positives are split into chunks of at most MAX_EXACT_POSITIVES, in index order. Each
    chunk is solved exactly, and the posterior marginals after one chunk become the (again
    independent) priors of the next: assumed-density filtering. It keeps each chunk's
    correlations exactly and drops those between chunks. Its error against the exact answer is
    measured in ``benchmarks/`` (see BENCHMARKS.md).
    """
    # Read at call time, not bound at definition: the benchmark lowers the limit in-process.
    chunk_size = chunk_size or MAX_EXACT_POSITIVES
    group = _with_bits(group)
    batch = p_on.shape[0]
    current = p_on
    log_evidence = np.zeros(batch)
    for start in range(0, group.size, chunk_size):
        chunk = range(start, min(group.size, start + chunk_size))
        bits = tuple(
            tuple((b - start, q) for b, q in cause_bits if b in chunk) for cause_bits in group.bits
        )
        sub = _Group(len(chunk), group.causes, bits, group.leaks[start : chunk.stop])
        current, log_ev = _exact_component(sub, np.clip(current, 1e-300, 1.0 - 1e-16))
        log_evidence += log_ev
    return current, log_evidence


def posteriors(
    net: NoisyOrNetwork,
    present: npt.ArrayLike = (),
    absent: npt.ArrayLike = (),
    priors: FloatArray | None = None,
    *,
    compiled: bool = True,
) -> Posterior:
    """Posterior marginal of every cause given present and absent findings (indices).

    Findings in neither list are unknown and carry no evidence. ``priors`` overrides the
    network's priors (e.g. adjusted for the person's age and sex). The compiled kernel answers
    where it is built and the groups fit its budget; ``compiled=False`` asks the NumPy
    implementation alone (the kernel's reference in tests and benchmarks).
    """
    present_idx = np.asarray(present, dtype=np.intp).reshape(-1)
    absent_idx = np.asarray(absent, dtype=np.intp).reshape(-1)
    base = _checked_priors(net, priors)
    answer = _fast_posterior(net, base, present_idx, absent_idx) if compiled else None
    if answer is not None:
        return answer
    _validate_evidence(net, present_idx, absent_idx)
    # Sorted, so that the rounding of every sum is the same whatever order the evidence came in.
    return _solve_all(net, base, np.sort(present_idx), np.sort(absent_idx))[0]


def _checked_priors(net: NoisyOrNetwork, priors: FloatArray | None) -> FloatArray:
    if priors is None:
        return net.priors  # checked when the network was built
    base = np.ascontiguousarray(priors, dtype=np.float64)
    if base.shape != net.priors.shape:
        raise NetworkError(f"priors must have {net.n_causes} entries")
    if not ((base > 0.0) & (base < 1.0)).all():  # also refuses NaN and infinities
        _check_open_unit("priors", base)  # says which rule failed
    return base


@dataclass(frozen=True)
class _Solved:
    """One solved group of positives: its findings, causes and log P(its positives | negatives)."""

    group: _Group
    findings: IntArray
    causes: IntArray
    log_evidence: float


def _solve_all(
    net: NoisyOrNetwork, base: FloatArray, present_idx: IntArray, absent_idx: IntArray
) -> tuple[Posterior, list[_Solved], FloatArray, float]:
    """The posterior, each group as solved, the causes after the negatives, log P(negatives)."""
    adjusted, log_negatives = absorb_negatives(net, base, absent_idx)
    marginals = adjusted.copy()
    log_evidence = log_negatives
    method: Literal["exact", "approximate"] = "exact"
    largest = 0
    solved = []
    for findings, causes in _components(net, present_idx):
        group = _prepare(net, findings, causes)
        largest = max(largest, group.size)
        if group.size > MAX_EXACT_POSITIVES:
            method = "approximate"
        post, log_ev, _ = _solve(group, adjusted[causes].reshape(1, -1))
        marginals[causes] = post[0]
        log_evidence += float(log_ev[0])
        solved.append(_Solved(group, findings, causes, float(log_ev[0])))
    return Posterior(marginals, log_evidence, method, largest), solved, adjusted, log_negatives


@dataclass(frozen=True)
class Lookahead:
    """For each candidate finding: how likely it is, and the posteriors either answer gives."""

    candidates: IntArray
    p_present: FloatArray  # P(candidate present | evidence), shape (n,)
    if_present: FloatArray  # posterior marginals if present, shape (n, causes)
    if_absent: FloatArray  # posterior marginals if absent, shape (n, causes)
    current: Posterior


#: Upper bound on batch rows x state entries per batched pass (memory, not correctness).
_BATCH_BUDGET = 1 << 20


def lookahead(
    net: NoisyOrNetwork,
    present: npt.ArrayLike,
    absent: npt.ArrayLike,
    candidates: npt.ArrayLike,
    priors: FloatArray | None = None,
) -> Lookahead:
    """Exact one-step lookahead for many unobserved findings at once (the interview's core).

    Equivalent to calling :func:`posteriors` twice per candidate (tests check exactly that),
    but batched: "absent" answers only change the causes' weights after the negatives, so all of
    them share one pass over the current positive groups; "present" answers add one positive,
    tried in a batch whose extra bit has a different link strength and leak in each row.
    """
    present_idx = np.sort(np.asarray(present, dtype=np.intp).reshape(-1))
    absent_idx = np.sort(np.asarray(absent, dtype=np.intp).reshape(-1))
    cand = np.asarray(candidates, dtype=np.intp).reshape(-1)
    _validate_evidence(net, present_idx, absent_idx)
    if np.intersect1d(cand, np.concatenate([present_idx, absent_idx])).size:
        raise NetworkError("a candidate finding is already observed")
    base = _checked_priors(net, priors)
    compiled = _kernel_lookahead(net, base, present_idx, absent_idx, cand)
    if compiled is not None:
        return compiled
    current, solved, adjusted, log_z_neg = _solve_all(net, base, present_idx, absent_idx)
    n, k_all = cand.size, net.n_causes
    if n == 0:
        empty = np.zeros((0, k_all))
        return Lookahead(cand, np.zeros(0), empty, empty, current)

    q_cand = net.links[:, cand]  # (causes, n)

    # --- "absent" answers: each candidate adds one negative -------------------------------
    log_on = np.log(base) + net._log_absent[:, absent_idx].sum(axis=1)
    log_on_b = log_on[None, :] + net._log_absent[:, cand].T  # (n, causes)
    log_off = np.log1p(-base)[None, :]
    log_norm = np.logaddexp(log_on_b, log_off)
    if_absent = np.exp(log_on_b - log_norm)
    log_z_absent = (
        np.log1p(-net.leaks[absent_idx]).sum() + np.log1p(-net.leaks[cand]) + log_norm.sum(axis=1)
    )
    for done in solved:
        group, causes = done.group, done.causes
        # Candidates linked to none of this group's causes leave it as it is now.
        touch = np.flatnonzero(q_cand[causes].any(axis=0))
        untouched = np.setdiff1d(np.arange(n), touch)
        if_absent[np.ix_(untouched, causes)] = current.marginals[causes]
        log_z_absent[untouched] += done.log_evidence
        if touch.size == 0:
            continue
        post, log_ev, _ = _solve(group, if_absent[np.ix_(touch, causes)])
        if_absent[np.ix_(touch, causes)] = post
        log_z_absent[touch] += log_ev

    # --- "present" answers: the current positives as one group, plus one extra bit ---------
    # Causes linked to no current positive touch only the candidate's own bit: they are folded
    # into that bit's leak (lam), and their posteriors follow in closed form afterwards.
    m = present_idx.size
    in_core = (net.links[:, present_idx] > 0).any(axis=1)
    core = np.flatnonzero(in_core)
    outside = np.flatnonzero(~in_core)
    p_out = adjusted[outside][:, None]
    q_out = q_cand[outside]
    log_leak_off = np.log1p(-net.leaks[cand]) + np.log1p(-p_out * q_out).sum(axis=0)
    lam = -np.expm1(log_leak_off)
    if_present = np.tile(adjusted, (n, 1))
    log_z_present = np.full(n, log_z_neg)
    if m + 1 > MAX_EXACT_POSITIVES:
        for row, f in enumerate(cand):  # rare: fall back to one call per candidate
            post_f = posteriors(net, np.append(present_idx, f), absent_idx, base)
            if_present[row], log_z_present[row] = post_f.marginals, post_f.log_evidence
    else:
        rows_per_pass = max(1, _BATCH_BUDGET >> (m + 1))
        sub = net.links[np.ix_(core, present_idx)]
        for start in range(0, n, rows_per_pass):
            rows = np.arange(start, min(n, start + rows_per_pass))
            q_extra = q_cand[np.ix_(core, rows)]  # (k, batch)
            bits = tuple(
                tuple((int(b), float(sub[r, b])) for b in np.flatnonzero(sub[r]))
                + (((m, q_extra[r]),) if q_extra[r].any() else ())
                for r in range(core.size)
            )
            leaks: tuple[float | FloatArray, ...] = (
                *(float(x) for x in net.leaks[present_idx]),
                lam[rows],
            )
            group = _Group(m + 1, core, bits, leaks)
            post, log_ev, off_ratios = _solve(group, np.tile(adjusted[core], (rows.size, 1)))
            assert off_ratios is not None  # m + 1 is within the exact limit here
            if_present[np.ix_(rows, core)] = post
            log_z_present[rows] += log_ev
            # P(outside cause j | e, f) = p_j (1 + r_j * P(all but f on, f off) / P(all on)),
            # with r_j = q (1 - p_j) / (1 - p_j q): cause j raises the bit's leak by that share.
            ratio = off_ratios[:, m]
            q_rows = q_out[:, rows]
            r = q_rows * (1.0 - p_out) / (1.0 - p_out * q_rows)
            if_present[np.ix_(rows, outside)] = (p_out * (1.0 + r * ratio[None, :])).T
    p_present = np.exp(log_z_present - current.log_evidence)
    return Lookahead(cand, np.clip(p_present, 0.0, 1.0), if_present, if_absent, current)


def _kernel_lookahead(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    cand: IntArray,
) -> Lookahead | None:
    """:func:`lookahead` as two kernel calls per candidate (None if any call declines)."""
    current = _kernel_posterior(net, base, present_idx, absent_idx)
    if current is None:
        return None
    n = cand.size
    if_present = np.empty((n, net.n_causes))
    if_absent = np.empty((n, net.n_causes))
    log_z_present = np.empty(n)
    for row, f in enumerate(cand.tolist()):
        with_f = _kernel_posterior(net, base, np.append(present_idx, f), absent_idx)
        without_f = _kernel_posterior(net, base, present_idx, np.append(absent_idx, f))
        if with_f is None or without_f is None:
            return None
        if_present[row], log_z_present[row] = with_f.marginals, with_f.log_evidence
        if_absent[row] = without_f.marginals
    p_present = np.exp(log_z_present - current.log_evidence)
    return Lookahead(cand, np.clip(p_present, 0.0, 1.0), if_present, if_absent, current)


def _kernel_variants(
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


def _kernel_exact_variants(
    net: NoisyOrNetwork, base: FloatArray, present_idx: IntArray, absent_idx: IntArray
) -> tuple[FloatArray, FloatArray] | None:
    """:func:`leave_one_out`'s exact variants in one kernel call (None if any declines)."""
    if net._compiled is None:
        return None
    rows = np.empty((present_idx.size + absent_idx.size, net.n_causes))
    try:
        work = _kernel.variants(
            net._compiled,
            base,
            np.ascontiguousarray(present_idx, dtype=np.int64),
            np.ascontiguousarray(absent_idx, dtype=np.int64),
            rows,
        )
    except ValueError as exc:
        raise NetworkError(str(exc)) from None
    if work is None:
        return None
    return rows[: present_idx.size], rows[present_idx.size :]


def _kernel_leave_one_out(
    net: NoisyOrNetwork,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    exact_limit: int | None,
) -> tuple[Posterior, FloatArray, FloatArray] | Posterior | None:
    """:func:`leave_one_out` through the kernel: every variant exact (one call each), unless a
    group is above ``exact_limit`` and the full answer is approximate or the exact variants
    would cost more than :data:`EXPLAIN_WORK_LIMIT`: then each variant comes from the kernel's
    chunked approximation (chunks of :data:`EXPLAIN_CHUNK`, groups up to ``exact_limit`` whole
    and exact), moved onto the full answer by its change in log-odds, so that the
    approximation's own error largely cancels. Returns only the full posterior when the
    variants are left to the NumPy path, None when the kernel has no answer at all."""
    full = _fast_posterior(net, base, present_idx, absent_idx)
    if full is None:
        return None
    n_variants = present_idx.size + absent_idx.size
    rough = (
        exact_limit is not None
        and full.largest_group > exact_limit
        and (full.method == "approximate" or full.work * n_variants > EXPLAIN_WORK_LIMIT)
    )
    if not rough and full.method == "exact":
        exact = _kernel_exact_variants(net, base, present_idx, absent_idx)
        return full if exact is None else (full, exact[0], exact[1])
    if not rough:
        return full
    assert exact_limit is not None
    limit = exact_limit

    def chunked(p: IntArray, a: IntArray) -> Posterior | None:
        return _kernel_chunked(net, base, p, a, EXPLAIN_CHUNK, limit)

    approx_full = chunked(present_idx, absent_idx)
    variants = _kernel_variants(net, present_idx, absent_idx, chunked)
    if approx_full is None or variants is None:
        return full
    moved = [_shifted(full.marginals, approx_full.marginals, v) for v in variants]
    return replace(full, variants="approximate"), moved[0], moved[1]


def leave_one_out(
    net: NoisyOrNetwork,
    present: npt.ArrayLike,
    absent: npt.ArrayLike,
    priors: FloatArray | None = None,
    exact_limit: int | None = None,
) -> tuple[Posterior, FloatArray, FloatArray]:
    """Posteriors with all the evidence, and with each observed finding left out in turn.

    With ``exact_limit``, the left-out variants of a group above that many positives come from
    the chunked approximation (see :data:`EXPLAIN_EXACT_POSITIVES`); the first value, the
    posterior with all the evidence, is exact either way.

    Returns ``(full, without_present, without_absent)`` where row ``i`` of ``without_present``
    holds the marginals when ``present[i]`` is unknown (likewise for ``absent``), in the sorted
    order of the indices. Exact, and equal to calling :func:`posteriors` once per left-out
    finding (tests check that), but batched: a left-out negative only changes the causes'
    weights, and a left-out positive only changes which final states count.
    """
    present_idx = np.sort(np.asarray(present, dtype=np.intp).reshape(-1))
    absent_idx = np.sort(np.asarray(absent, dtype=np.intp).reshape(-1))
    if net._compiled is None:  # (the kernel checks the evidence itself, with the same messages)
        _validate_evidence(net, present_idx, absent_idx)
    base = _checked_priors(net, priors)
    compiled = _kernel_leave_one_out(net, base, present_idx, absent_idx, exact_limit)
    if isinstance(compiled, tuple):
        return compiled
    kernel_full = compiled
    if kernel_full is None:
        full, solved, adjusted, _ = _solve_all(net, base, present_idx, absent_idx)
        groups = [(done.group, done.findings, done.causes) for done in solved]
    else:  # the kernel's exact posterior, and the structure the NumPy variants need
        full = kernel_full
        adjusted, _ = absorb_negatives(net, base, absent_idx)
        groups = [(_prepare(net, fs, cs), fs, cs) for fs, cs in _components(net, present_idx)]
    if any(g.size > MAX_EXACT_POSITIVES for g, _, _ in groups):
        rows_p = [
            posteriors(net, np.delete(present_idx, i), absent_idx, base).marginals
            for i in range(present_idx.size)
        ]
        rows_a = [
            posteriors(net, present_idx, np.delete(absent_idx, i), base).marginals
            for i in range(absent_idx.size)
        ]
        return (
            replace(full, variants="approximate"),
            np.array(rows_p).reshape(-1, net.n_causes),
            np.array(rows_a).reshape(-1, net.n_causes),
        )

    # Left-out negatives: remove one factor (1 - q) from each cause's weight, per row.
    n = absent_idx.size
    log_on = np.log(base) + net._log_absent[:, absent_idx].sum(axis=1)
    log_on_b = log_on[None, :] - net._log_absent[:, absent_idx].T  # (n, causes)
    log_norm = np.logaddexp(log_on_b, np.log1p(-base)[None, :])
    without_absent = np.exp(log_on_b - log_norm)

    def rough(group: _Group) -> bool:
        return exact_limit is not None and group.size > exact_limit

    # A rough group's variant is the exact full posterior moved by the *approximate* effect of
    # leaving the finding out (approximate full minus approximate variant, in log-odds): the
    # approximation's own error largely cancels in that difference.
    approx_full = {
        i: _approximate_component(group, adjusted[causes].reshape(1, -1), EXPLAIN_CHUNK)[0][0]
        for i, (group, _fs, causes) in enumerate(groups)
        if rough(group)
    }
    for i, (group, _fs, causes) in enumerate(groups):
        if n and rough(group):
            variants = _approximate_component(group, without_absent[:, causes], EXPLAIN_CHUNK)[0]
            without_absent[:, causes] = _shifted(full.marginals[causes], approx_full[i], variants)
        elif n:
            without_absent[:, causes] = _solve(group, without_absent[:, causes])[0]

    # Left-out positives: the same pass, with that positive's bit marked don't-care at the end.
    without_present = np.tile(full.marginals, (present_idx.size, 1))
    row_of = {int(f): i for i, f in enumerate(present_idx)}
    for i, (group, fs, causes) in enumerate(groups):
        if rough(group):
            for bit, f in enumerate(fs):
                variant = _approximate_component(
                    _without_bit(group, bit), adjusted[causes].reshape(1, -1), EXPLAIN_CHUNK
                )[0]
                without_present[row_of[int(f)], causes] = _shifted(
                    full.marginals[causes], approx_full[i], variant
                )[0]
            continue
        size = 1 << group.size
        states = np.arange(size)
        terminal = np.zeros((group.size, size))
        for bit in range(group.size):
            terminal[bit] = ((states | (1 << bit)) == size - 1).astype(np.float64)
        post, _ = _exact_component(group, np.tile(adjusted[causes], (group.size, 1)), terminal)
        for bit, f in enumerate(fs):
            without_present[row_of[int(f)], causes] = post[bit]
            # The other groups never saw this positive: they keep their full-evidence marginals.
    if approx_full:
        full = replace(full, variants="approximate")
    return full, without_present, without_absent
