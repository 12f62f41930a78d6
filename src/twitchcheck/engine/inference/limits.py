"""The limits of the inference as one value (:class:`Limits`): how many positives are solved
exactly, the chunk sizes of the approximation, and the memory budgets of its passes. The public
queries take ``limits=`` (default :data:`DEFAULT_LIMITS`); tests and the benchmark pass lower
ones instead of changing module state."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Every limit a query runs with; the defaults are the product's own."""

    #: The largest number of positive findings in one connected group the NumPy path solves
    #: exactly (above it: the chunked approximation, in chunks of this size). Its state vector
    #: has ``2^m`` entries. 16, not 20 (issue 18 #12a): on the shipped KB, whose twitch sites
    #: share most causes, an exact solve of 19-20 positives took 4-10 s per request, a door for
    #: denial of service; above 16 the answer is the chunked approximation, flagged
    #: ``method: "approximate"`` (BENCHMARKS.md §10).
    max_exact_positives: int = 16
    #: Positives per chunk when the left-out variants of an explanation come from the chunked
    #: approximation (groups above the caller's ``exact_limit``). 6, not 8 (issue 18 #12a): one
    #: kernel call per chunk per answered finding dominates the largest bodies, and chunks of 6
    #: took the body with all 107 findings present from ~92 to ~78 ms (4: 82, 10: 125).
    explain_chunk: int = 6
    #: The kernel computes every left-out variant exactly unless a group is above
    #: ``exact_limit`` and the calls together would touch more than this many table entries (on
    #: the shipped KB that is past 12 positives in one group, whose locations share many causes,
    #: while thin networks stay exact far beyond).
    explain_work_limit: float = 3e7
    #: Positives per chunk when the kernel approximates a group too large for it (2^16 states x
    #: ~30 shared causes fits its table budget).
    kernel_chunk: int = 16
    #: The kernel's table budget (entries); a group needing more is declined. None: the
    #: kernel's own budget (2^23), the most it accepts. 2^22 (issue 18 #12a): a group of 18
    #: positives sharing ~30 causes took the kernel ~120 ms exactly; declined, it is approximated
    #: in ~25 ms, so every request stays under 100 ms.
    kernel_table_budget: int | None = 1 << 22
    #: How many backward vectors may be kept at once (entries, not bytes): beyond this the
    #: backward pass is recomputed in blocks from checkpoints, trading time for memory.
    state_budget: int = 1 << 23
    #: Never enumerate more than this many cause states x positives x batch rows (memory).
    enumeration_budget: int = 1 << 20
    #: Upper bound on batch rows x state entries per batched lookahead pass (memory, not
    #: correctness).
    batch_budget: int = 1 << 20

    def __post_init__(self) -> None:
        for limit in fields(self):
            value = getattr(self, limit.name)
            if value is not None and not value > 0:
                raise ValueError(f"the limit {limit.name} must be positive, not {value}")


#: The limits the product runs with.
DEFAULT_LIMITS = Limits()

#: The default :attr:`Limits.max_exact_positives` (to pass another, pass ``limits=``).
MAX_EXACT_POSITIVES = DEFAULT_LIMITS.max_exact_positives

#: The ``exact_limit`` the facade passes to :func:`leave_one_out`: explanations leave each
#: answer out in turn, and done exactly, leaving out positives costs about m full solves of the
#: 2^m state. Above this many positives in a group, the left-out variants may come from the
#: chunked approximation (see :class:`Limits`); the full-evidence posterior stays exact.
EXPLAIN_EXACT_POSITIVES = 12
