"""The public queries: :func:`posteriors`, :func:`lookahead` (the interview's core) and
:func:`leave_one_out` (the explanations'). Each asks the compiled kernel first and answers with
the NumPy implementation where the kernel is missing or declines."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from twitchcheck.engine.inference.answers import FloatArray, Lookahead, Posterior
from twitchcheck.engine.inference.approximation import approximate_component, shifted
from twitchcheck.engine.inference.forward_backward import exact_component
from twitchcheck.engine.inference.groups import (
    Group,
    absorb_negatives,
    components,
    prepare,
    without_bit,
)
from twitchcheck.engine.inference.kernel_queries import (
    fast_posterior,
    kernel_leave_one_out,
    kernel_lookahead,
)
from twitchcheck.engine.inference.limits import DEFAULT_LIMITS, Limits
from twitchcheck.engine.inference.network import NoisyOrNetwork, checked_priors, validate_evidence
from twitchcheck.engine.inference.solve import solve_all, solve_group
from twitchcheck.errors import NetworkError


def posteriors(
    net: NoisyOrNetwork,
    present: npt.ArrayLike = (),
    absent: npt.ArrayLike = (),
    priors: FloatArray | None = None,
    *,
    compiled: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Posterior:
    """Posterior marginal of every cause given present and absent findings (indices).

    Findings in neither list are unknown and carry no evidence. ``priors`` overrides the
    network's priors (e.g. adjusted for the person's age and sex). The compiled kernel answers
    where it is built and the groups fit its budget; ``compiled=False`` asks the NumPy
    implementation alone (the kernel's reference in tests and benchmarks). ``limits``: the
    exact limit and memory budgets (:class:`Limits`).
    """
    present_idx = np.asarray(present, dtype=np.intp).reshape(-1)
    absent_idx = np.asarray(absent, dtype=np.intp).reshape(-1)
    base = checked_priors(net, priors)
    answer = fast_posterior(net, base, present_idx, absent_idx, limits) if compiled else None
    if answer is not None:
        return answer
    validate_evidence(net, present_idx, absent_idx)
    # Sorted, so that the rounding of every sum is the same whatever order the evidence came in.
    return solve_all(net, base, np.sort(present_idx), np.sort(absent_idx), limits)[0]


def lookahead(
    net: NoisyOrNetwork,
    present: npt.ArrayLike,
    absent: npt.ArrayLike,
    candidates: npt.ArrayLike,
    priors: FloatArray | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Lookahead:
    """Exact one-step lookahead for many unobserved findings at once (the interview's core).

    Equivalent to calling :func:`posteriors` twice per candidate (tests check exactly that),
    but batched: "absent" answers only change the causes' weights after the negatives, so all of
    them share one pass over the current positive groups; "present" answers add one positive,
    tried in a batch whose extra bit has a different link strength and leak in each row.
    ``limits`` as for :func:`posteriors`.
    """
    present_idx = np.sort(np.asarray(present, dtype=np.intp).reshape(-1))
    absent_idx = np.sort(np.asarray(absent, dtype=np.intp).reshape(-1))
    cand = np.asarray(candidates, dtype=np.intp).reshape(-1)
    validate_evidence(net, present_idx, absent_idx)
    if np.intersect1d(cand, np.concatenate([present_idx, absent_idx])).size:
        raise NetworkError("a candidate finding is already observed")
    base = checked_priors(net, priors)
    compiled = kernel_lookahead(net, base, present_idx, absent_idx, cand, limits)
    if compiled is not None:
        return compiled
    current, solved, adjusted, log_z_neg = solve_all(net, base, present_idx, absent_idx, limits)
    n, k_all = cand.size, net.n_causes
    if n == 0:
        empty = np.zeros((0, k_all))
        return Lookahead(cand, np.zeros(0), empty, empty, current)

    q_cand = net.links[:, cand]  # (causes, n)

    # --- "absent" answers: each candidate adds one negative -------------------------------
    log_on = np.log(base) + net.log_absent[:, absent_idx].sum(axis=1)
    log_on_b = log_on[None, :] + net.log_absent[:, cand].T  # (n, causes)
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
        post, log_ev, _ = solve_group(group, if_absent[np.ix_(touch, causes)], limits)
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
    if m + 1 > limits.max_exact_positives:
        for row, f in enumerate(cand):  # rare: fall back to one call per candidate
            post_f = posteriors(net, np.append(present_idx, f), absent_idx, base, limits=limits)
            if_present[row], log_z_present[row] = post_f.marginals, post_f.log_evidence
    else:
        rows_per_pass = max(1, limits.batch_budget >> (m + 1))
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
            group = Group(m + 1, core, bits, leaks)
            post, log_ev, ratios = solve_group(
                group, np.tile(adjusted[core], (rows.size, 1)), limits
            )
            assert ratios is not None  # m + 1 is within the exact limit here
            if_present[np.ix_(rows, core)] = post
            log_z_present[rows] += log_ev
            # P(outside cause j | e, f) = p_j (1 + r_j * P(all but f on, f off) / P(all on)),
            # with r_j = q (1 - p_j) / (1 - p_j q): cause j raises the bit's leak by that share.
            ratio = ratios[:, m]
            q_rows = q_out[:, rows]
            r = q_rows * (1.0 - p_out) / (1.0 - p_out * q_rows)
            if_present[np.ix_(rows, outside)] = (p_out * (1.0 + r * ratio[None, :])).T
    p_present = np.exp(log_z_present - current.log_evidence)
    return Lookahead(cand, np.clip(p_present, 0.0, 1.0), if_present, if_absent, current)


def leave_one_out(
    net: NoisyOrNetwork,
    present: npt.ArrayLike,
    absent: npt.ArrayLike,
    priors: FloatArray | None = None,
    exact_limit: int | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Posterior, FloatArray, FloatArray]:
    """Posteriors with all the evidence, and with each observed finding left out in turn.

    With ``exact_limit``, the left-out variants of a group above that many positives come from
    the chunked approximation (see :data:`EXPLAIN_EXACT_POSITIVES`); the first value, the
    posterior with all the evidence, is exact either way.

    Returns ``(full, without_present, without_absent)`` where row ``i`` of ``without_present``
    holds the marginals when ``present[i]`` is unknown (likewise for ``absent``), in the sorted
    order of the indices. Exact, and equal to calling :func:`posteriors` once per left-out
    finding (tests check that), but batched: a left-out negative only changes the causes'
    weights, and a left-out positive only changes which final states count. ``limits`` as for
    :func:`posteriors`.
    """
    present_idx = np.sort(np.asarray(present, dtype=np.intp).reshape(-1))
    absent_idx = np.sort(np.asarray(absent, dtype=np.intp).reshape(-1))
    if net._compiled is None:  # (the kernel checks the evidence itself, with the same messages)
        validate_evidence(net, present_idx, absent_idx)
    base = checked_priors(net, priors)
    compiled = kernel_leave_one_out(net, base, present_idx, absent_idx, exact_limit, limits)
    if isinstance(compiled, tuple):
        return compiled
    kernel_full = compiled
    if kernel_full is None:
        full, solved, adjusted, _ = solve_all(net, base, present_idx, absent_idx, limits)
        groups = [(done.group, done.findings, done.causes) for done in solved]
    else:  # the kernel's exact posterior, and the structure the NumPy variants need
        full = kernel_full
        adjusted, _ = absorb_negatives(net, base, absent_idx)
        groups = [(prepare(net, fs, cs), fs, cs) for fs, cs in components(net, present_idx)]
    if any(g.size > limits.max_exact_positives for g, _, _ in groups):
        rows_p = [
            posteriors(net, np.delete(present_idx, i), absent_idx, base, limits=limits).marginals
            for i in range(present_idx.size)
        ]
        rows_a = [
            posteriors(net, present_idx, np.delete(absent_idx, i), base, limits=limits).marginals
            for i in range(absent_idx.size)
        ]
        return (
            replace(full, variants="approximate"),
            np.array(rows_p).reshape(-1, net.n_causes),
            np.array(rows_a).reshape(-1, net.n_causes),
        )

    # Left-out negatives: remove one factor (1 - q) from each cause's weight, per row.
    n = absent_idx.size
    log_on = np.log(base) + net.log_absent[:, absent_idx].sum(axis=1)
    log_on_b = log_on[None, :] - net.log_absent[:, absent_idx].T  # (n, causes)
    log_norm = np.logaddexp(log_on_b, np.log1p(-base)[None, :])
    without_absent = np.exp(log_on_b - log_norm)

    def rough(group: Group) -> bool:
        return exact_limit is not None and group.size > exact_limit

    # A rough group's variant is the exact full posterior moved by the *approximate* effect of
    # leaving the finding out (approximate full minus approximate variant, in log-odds): the
    # approximation's own error largely cancels in that difference.
    chunk, budget = limits.explain_chunk, limits.state_budget
    approx_full = {
        i: approximate_component(group, adjusted[causes].reshape(1, -1), chunk, budget)[0][0]
        for i, (group, _fs, causes) in enumerate(groups)
        if rough(group)
    }
    for i, (group, _fs, causes) in enumerate(groups):
        if n and rough(group):
            variants = approximate_component(group, without_absent[:, causes], chunk, budget)[0]
            without_absent[:, causes] = shifted(full.marginals[causes], approx_full[i], variants)
        elif n:
            without_absent[:, causes] = solve_group(group, without_absent[:, causes], limits)[0]

    # Left-out positives: the same pass, with that positive's bit marked don't-care at the end.
    without_present = np.tile(full.marginals, (present_idx.size, 1))
    row_of = {int(f): i for i, f in enumerate(present_idx)}
    for i, (group, fs, causes) in enumerate(groups):
        if rough(group):
            for bit, f in enumerate(fs):
                variant = approximate_component(
                    without_bit(group, bit), adjusted[causes].reshape(1, -1), chunk, budget
                )[0]
                without_present[row_of[int(f)], causes] = shifted(
                    full.marginals[causes], approx_full[i], variant
                )[0]
            continue
        size = 1 << group.size
        states = np.arange(size)
        terminal = np.zeros((group.size, size))
        for bit in range(group.size):
            terminal[bit] = ((states | (1 << bit)) == size - 1).astype(np.float64)
        p_on = np.tile(adjusted[causes], (group.size, 1))
        post, _ = exact_component(group, p_on, budget, terminal)
        for bit, f in enumerate(fs):
            without_present[row_of[int(f)], causes] = post[bit]
            # The other groups never saw this positive: they keep their full-evidence marginals.
    if approx_full:
        full = replace(full, variants="approximate")
    return full, without_present, without_absent
