"""The limits of the inference: how many positives are solved exactly, and the memory budgets
of its passes. Read at call time (tests and the benchmark lower them in-process)."""

from __future__ import annotations

#: The largest number of positive findings in one connected group solved exactly by NumPy. The
#: state vector has ``2^m`` entries: at 20 that is 8 MiB per vector.
MAX_EXACT_POSITIVES = 20

#: Explanations leave each answer out in turn; done exactly, leaving out positives costs about
#: m full solves of the 2^m state. Above this many positives in a group, callers that pass
#: ``exact_limit`` get those variants from the chunked approximation in chunks of
#: :data:`EXPLAIN_CHUNK` instead; the full-evidence posterior stays exact.
EXPLAIN_EXACT_POSITIVES = 12
EXPLAIN_CHUNK = 8
#: The compiled kernel computes every variant exactly (one call each) unless a group is above
#: ``exact_limit`` and the calls together would touch more than this many table entries (on
#: the shipped KB that is past 12 positives in one group, whose locations share many causes,
#: while thin networks stay exact far beyond).
EXPLAIN_WORK_LIMIT = 3e7

#: Positives per chunk when the kernel approximates a group too large for it (2^16 states x
#: ~30 shared causes fits its table budget).
KERNEL_CHUNK = 16

#: How many backward vectors may be kept at once (entries, not bytes): beyond this the
#: backward pass is recomputed in blocks from checkpoints, trading time for memory.
STATE_BUDGET = 1 << 23

#: Never enumerate more than this many cause states x positives x batch rows (memory).
ENUMERATION_BUDGET = 1 << 20

#: Upper bound on batch rows x state entries per batched lookahead pass (memory, not
#: correctness).
BATCH_BUDGET = 1 << 20
