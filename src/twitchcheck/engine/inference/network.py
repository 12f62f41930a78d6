"""The noisy-OR network and its checks: the network refuses shapes and probabilities the model
cannot hold, and :func:`validate_evidence` and :func:`checked_priors` refuse a query's evidence
and priors before any arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from twitchcheck.engine.inference.answers import FloatArray, IntArray
from twitchcheck.engine.inference.bridge import compile_links
from twitchcheck.errors import NetworkError

_Array = TypeVar("_Array", bound=np.ndarray[Any, Any])


@dataclass(frozen=True)
class NoisyOrNetwork:
    """A two-layer noisy-OR network: ``links[j, f]`` is P(f | cause j alone), 0 when unlinked.

    ``priors`` are the default priors; :func:`posteriors` accepts per-person priors instead.
    The constructor checks shapes and ranges (as pgmpy checks a model before inference). It
    keeps copies of the caller's arrays, and every array it holds is read-only: the compiled
    kernel keeps its own copy of the links, so a change made afterwards would reach NumPy's
    answers and not the kernel's.
    """

    priors: FloatArray
    leaks: FloatArray
    links: FloatArray
    # Derived, sparse views used by the inference (filled in __post_init__).
    log_absent: FloatArray = field(init=False, repr=False, compare=False)
    # Every link as (cause, finding, q), for sparse sums over links.
    _link_causes: IntArray = field(init=False, repr=False, compare=False)
    _link_findings: IntArray = field(init=False, repr=False, compare=False)
    _link_q: FloatArray = field(init=False, repr=False, compare=False)
    # The same links in the compiled kernel's own form (None without the kernel).
    _compiled: object | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        priors = _read_only_copy(self.priors)
        leaks = _read_only_copy(self.leaks)
        links = _read_only_copy(self.links)
        if priors.ndim != 1 or leaks.ndim != 1 or links.ndim != 2:
            raise NetworkError("priors and leaks must be vectors and links a matrix")
        if links.shape != (priors.size, leaks.size):
            raise NetworkError(
                f"links has shape {links.shape}, expected (causes, findings) = "
                f"({priors.size}, {leaks.size})"
            )
        check_open_unit("priors", priors)
        check_open_unit("leaks", leaks)
        if not np.all(np.isfinite(links)) or np.any(links < 0.0) or np.any(links >= 1.0):
            raise NetworkError("every link probability must lie in [0, 1)")
        object.__setattr__(self, "priors", priors)
        object.__setattr__(self, "leaks", leaks)
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "log_absent", _read_only(np.log1p(-links)))
        link_causes, link_findings = np.nonzero(links)
        object.__setattr__(self, "_link_causes", _read_only(link_causes.astype(np.intp)))
        object.__setattr__(self, "_link_findings", _read_only(link_findings.astype(np.intp)))
        object.__setattr__(self, "_link_q", _read_only(links[link_causes, link_findings]))
        object.__setattr__(self, "_compiled", compile_links(links, leaks))

    @property
    def n_causes(self) -> int:
        return int(self.priors.size)

    @property
    def n_findings(self) -> int:
        return int(self.leaks.size)


def _read_only(array: _Array) -> _Array:
    array.flags.writeable = False
    return array


def _read_only_copy(values: npt.ArrayLike) -> FloatArray:
    """A C-contiguous float64 copy of ``values`` that no one can write (the caller's own array
    stays as it was, writable)."""
    return _read_only(np.ascontiguousarray(values, dtype=np.float64).copy())


def check_open_unit(name: str, values: FloatArray) -> None:
    """Refuse any value outside the open interval (0, 1), NaN and infinities included."""
    if not np.all(np.isfinite(values)) or np.any(values <= 0.0) or np.any(values >= 1.0):
        raise NetworkError(f"every value of {name} must lie strictly between 0 and 1")


def validate_evidence(net: NoisyOrNetwork, present: IntArray, absent: IntArray) -> None:
    """Refuse finding indices outside the network, repeated, or both present and absent."""
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


def checked_priors(net: NoisyOrNetwork, priors: FloatArray | None) -> FloatArray:
    """The priors a query runs with: the network's own, or the caller's once checked."""
    if priors is None:
        return net.priors  # checked when the network was built
    base = np.ascontiguousarray(priors, dtype=np.float64)
    if base.shape != net.priors.shape:
        raise NetworkError(f"priors must have {net.n_causes} entries")
    if not ((base > 0.0) & (base < 1.0)).all():  # also refuses NaN and infinities
        check_open_unit("priors", base)  # says which rule failed
    return base
