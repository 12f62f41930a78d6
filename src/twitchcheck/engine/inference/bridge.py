"""The bridge to the compiled kernel (``engine/_kernel.c``): the network's links in the kernel's
own form, and its two entry points (``solve``, ``variants``) called with raw buffers, their
refusals turned into :class:`~twitchcheck.errors.NetworkError`. Every call answers None where
the kernel was not built or declines (a group past its table budget): the NumPy path answers."""

from __future__ import annotations

import numpy as np

from twitchcheck.engine.inference.answers import FloatArray, IntArray, Posterior
from twitchcheck.errors import NetworkError

try:  # the compiled inner loop (setup.py builds it; optional: NumPy answers without it)
    from twitchcheck.engine import _kernel as kernel
except ImportError:  # pragma: no cover - exercised only where no C compiler was available
    kernel = None  # type: ignore[assignment]
# ``kernel`` is read at call time: tests set it to None to run the NumPy implementation alone,
# as where no C compiler was available.

#: Which method the kernel uses for a group's shared causes: chosen by cost (auto), or forced
#: (tests compare each method with brute force).
KERNEL_AUTO, KERNEL_FORWARD_BACKWARD, KERNEL_JUNCTION_TREE = 0, 1, 2


def has_kernel() -> bool:
    """Whether the compiled kernel was built (without it NumPy gives the same answers)."""
    return kernel is not None


def compile_links(links: FloatArray, leaks: FloatArray) -> object | None:
    """The links per finding (CSR) handed to the compiled kernel, or None without it."""
    if kernel is None:
        return None
    findings, causes = np.nonzero(links.T)  # sorted by finding, then cause
    ptr = np.searchsorted(findings, np.arange(leaks.size + 1)).astype(np.int64)
    return kernel.network(
        links.shape[0],
        ptr,
        causes.astype(np.int64),
        np.ascontiguousarray(links.T[findings, causes]),
        leaks,
    )


def solve(
    compiled: object | None,
    n_causes: int,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    method: int,
    budget: int | None,
) -> Posterior | None:
    """The exact posterior from the compiled kernel; None without it or when a group needs more
    than ``budget`` table entries (None: the kernel's own budget). The kernel sorts and checks
    the evidence itself (the same checks and messages as
    :func:`~twitchcheck.engine.inference.network.validate_evidence`)."""
    if kernel is None or compiled is None:
        return None
    out = np.empty(n_causes)
    args = (
        compiled,
        base,
        np.ascontiguousarray(present_idx, dtype=np.int64),  # the kernel reads raw buffers
        np.ascontiguousarray(absent_idx, dtype=np.int64),
        out,
        method,
    )
    try:
        answer = kernel.solve(*args) if budget is None else kernel.solve(*args, budget)
    except ValueError as exc:
        raise NetworkError(str(exc)) from None
    if answer is None:
        return None
    return Posterior(out, answer[0], "exact", answer[1], work=answer[2])


def exact_variants(
    compiled: object | None,
    n_causes: int,
    base: FloatArray,
    present_idx: IntArray,
    absent_idx: IntArray,
    budget: int | None,
) -> tuple[FloatArray, FloatArray] | None:
    """The exact marginals with each answer left out in turn, in one kernel call: rows for the
    present answers, then rows for the absent ones (None if any variant needs more than
    ``budget`` table entries; None: the kernel's own budget)."""
    if kernel is None or compiled is None:
        return None
    rows = np.empty((present_idx.size + absent_idx.size, n_causes))
    args = (
        compiled,
        base,
        np.ascontiguousarray(present_idx, dtype=np.int64),
        np.ascontiguousarray(absent_idx, dtype=np.int64),
        rows,
    )
    try:
        if budget is None:
            work = kernel.variants(*args)
        else:
            work = kernel.variants(*args, KERNEL_AUTO, budget)
    except ValueError as exc:
        raise NetworkError(str(exc)) from None
    if work is None:
        return None
    return rows[: present_idx.size], rows[present_idx.size :]
