"""The compiled kernel: each of its two methods against brute force, against an independent
chain algorithm far beyond brute force's reach, its fallback to NumPy, and its thread safety."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import twitchcheck.engine.inference as inference
from tests.engine.brute_force import brute_force
from tests.engine.test_inference import TOLERANCE, networks_and_evidence
from twitchcheck.engine.inference import (
    DEFAULT_LIMITS,
    KERNEL_AUTO,
    KERNEL_FORWARD_BACKWARD,
    KERNEL_JUNCTION_TREE,
    Limits,
    NoisyOrNetwork,
    bridge,
    posteriors,
)
from twitchcheck.engine.inference.kernel_queries import kernel_posterior

pytestmark = pytest.mark.skipif(bridge.kernel is None, reason="the kernel was not built")
# (Under CI the engine_path fixture in conftest.py fails the run when the kernel is missing.)

METHODS = {
    "auto": KERNEL_AUTO,
    "forward-backward": KERNEL_FORWARD_BACKWARD,
    "junction tree": KERNEL_JUNCTION_TREE,
}


def _kernel(net: NoisyOrNetwork, present: list[int], absent: list[int], method: int):  # type: ignore[no-untyped-def]
    return kernel_posterior(
        net,
        net.priors,
        np.array(present, dtype=np.intp),
        np.array(absent, dtype=np.intp),
        DEFAULT_LIMITS,
        method,
    )


@pytest.mark.parametrize("method", METHODS.values(), ids=METHODS.keys())
@given(case=networks_and_evidence(max_causes=8, max_findings=12))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.differing_executors])
def test_each_method_matches_brute_force(method: int, case: tuple) -> None:
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    post = _kernel(net, present, absent, method)
    assert post is not None  # small networks always fit either method
    expected, evidence = brute_force(priors, leaks, links, present, absent)
    np.testing.assert_allclose(post.marginals, expected, rtol=0, atol=TOLERANCE)
    assert post.log_evidence == pytest.approx(np.log(evidence), abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_methods_agree_with_numpy_on_medium_networks(seed: int) -> None:
    """20 causes, up to 16 positives in one group: beyond brute force in a test's time, so the
    two kernel methods are checked against each other and against the NumPy implementation
    (itself checked against brute force on small networks)."""
    rng = np.random.default_rng(seed)
    n_causes, n_findings = 20, 40
    priors = rng.uniform(1e-4, 0.2, n_causes)
    leaks = rng.uniform(1e-5, 0.05, n_findings)
    links = rng.uniform(0.05, 0.95, (n_causes, n_findings)) * (
        rng.random((n_causes, n_findings)) < 0.12
    )
    net = NoisyOrNetwork(priors, leaks, links)
    order = rng.permutation(n_findings)
    present, absent = sorted(order[: 10 + seed]), sorted(order[20:35])
    reference = posteriors(net, present, absent, compiled=False)
    for method in METHODS.values():
        post = _kernel(net, present, absent, method)
        assert post is not None
        np.testing.assert_allclose(post.marginals, reference.marginals, rtol=0, atol=TOLERANCE)
        assert post.log_evidence == pytest.approx(reference.log_evidence, abs=1e-9)


def _chain_reference(
    priors: np.ndarray, leaks: np.ndarray, q_left: np.ndarray, q_right: np.ndarray
) -> tuple[np.ndarray, float]:
    """Causes 0..n in a row; positive i is linked to causes i and i+1. Exact marginals and
    log P(all positive) by a forward-backward pass along the row (an algorithm of its own)."""
    n = priors.size

    def on(i: int, a: int, b: int) -> float:
        return 1.0 - (1.0 - leaks[i]) * (1.0 - q_left[i]) ** a * (1.0 - q_right[i]) ** b

    prior = np.stack([1.0 - priors, priors], axis=1)
    forward = np.zeros((n, 2))
    forward[0] = prior[0]
    log_scale = 0.0
    for i in range(1, n):
        for b in (0, 1):
            forward[i, b] = prior[i, b] * sum(forward[i - 1, a] * on(i - 1, a, b) for a in (0, 1))
        total = forward[i].sum()
        forward[i] /= total
        log_scale += np.log(total)
    backward = np.ones((n, 2))
    for i in range(n - 2, -1, -1):
        for a in (0, 1):
            backward[i, a] = sum(on(i, a, b) * prior[i + 1, b] * backward[i + 1, b] for b in (0, 1))
        backward[i] /= backward[i].sum()
    joint = forward * backward
    marginals = joint[:, 1] / joint.sum(axis=1)
    return marginals, float(log_scale + np.log(forward[-1].sum()))


@pytest.mark.parametrize("n_positive", [30, 60])
def test_junction_tree_is_exact_far_beyond_the_state_methods(n_positive: int) -> None:
    """A thin network with 30-60 positives in one group: 2^m states are out of reach, but the
    junction tree's cliques have two causes; it must match the chain algorithm above."""
    rng = np.random.default_rng(n_positive)
    n_causes = n_positive + 1
    priors = rng.uniform(1e-3, 0.3, n_causes)
    leaks = rng.uniform(1e-4, 0.05, n_positive)
    q_left, q_right = rng.uniform(0.05, 0.95, (2, n_positive))
    links = np.zeros((n_causes, n_positive))
    links[np.arange(n_positive), np.arange(n_positive)] = q_left
    links[np.arange(n_positive) + 1, np.arange(n_positive)] = q_right
    net = NoisyOrNetwork(priors, leaks, links)
    post = posteriors(net, list(range(n_positive)), [])
    expected, log_z = _chain_reference(priors, leaks, q_left, q_right)
    assert post.method == "exact" and post.largest_group == n_positive
    np.testing.assert_allclose(post.marginals, expected, rtol=0, atol=TOLERANCE)
    assert post.log_evidence == pytest.approx(log_z, abs=1e-9)


def test_thin_networks_keep_exact_explanations_past_the_limit() -> None:
    """Leave-one-out past EXPLAIN_EXACT_POSITIVES stays exact where the kernel's work is small
    (a thin chain of 30 positives), and equals one inference per left-out finding."""
    rng = np.random.default_rng(30)
    n_positive = 30
    priors = rng.uniform(1e-3, 0.3, n_positive + 1)
    leaks = rng.uniform(1e-4, 0.05, n_positive + 2)
    links = np.zeros((n_positive + 1, n_positive + 2))
    links[np.arange(n_positive), np.arange(n_positive)] = rng.uniform(0.05, 0.95, n_positive)
    links[np.arange(n_positive) + 1, np.arange(n_positive)] = rng.uniform(0.05, 0.95, n_positive)
    links[:3, -2:] = 0.5
    net = NoisyOrNetwork(priors, leaks, links)
    present, absent = list(range(n_positive)), [n_positive, n_positive + 1]
    full, without_p, without_a = inference.leave_one_out(
        net, present, absent, exact_limit=inference.EXPLAIN_EXACT_POSITIVES
    )
    assert full.largest_group > inference.EXPLAIN_EXACT_POSITIVES and full.variants == "exact"
    for row in (0, 7, n_positive - 1):
        rest = [f for f in present if f != row]
        np.testing.assert_allclose(without_p[row], posteriors(net, rest, absent).marginals)
    np.testing.assert_allclose(without_a[1], posteriors(net, present, absent[:1]).marginals)


#: A one-entry table budget: the kernel declines every shared group.
TIGHT = Limits(kernel_table_budget=1)


def test_numpy_answers_when_the_kernel_declines() -> None:
    rng = np.random.default_rng(11)
    priors = rng.uniform(0.01, 0.3, 6)
    leaks = rng.uniform(0.001, 0.05, 8)
    links = rng.uniform(0.1, 0.9, (6, 8))
    net = NoisyOrNetwork(priors, leaks, links)
    present, absent = [0, 1, 2, 3], [4, 5]
    assert bridge.kernel.solve(net._compiled, priors, np.array(present), np.array(absent),
                                   np.empty(6), 0, 1) is None  # fmt: skip
    post = posteriors(net, present, absent, limits=TIGHT)
    expected, _ = brute_force(list(priors), list(leaks), links, present, absent)
    np.testing.assert_allclose(post.marginals, expected, rtol=0, atol=TOLERANCE)
    full, without_p, _ = inference.leave_one_out(net, present, absent, limits=TIGHT)
    np.testing.assert_allclose(full.marginals, expected, rtol=0, atol=TOLERANCE)
    rest, _ = brute_force(list(priors), list(leaks), links, present[1:], absent)
    np.testing.assert_allclose(without_p[0], rest, rtol=0, atol=TOLERANCE)


@given(case=networks_and_evidence(max_causes=8, max_findings=12))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.differing_executors])
def test_variants_are_one_solve_per_left_out_answer(case: tuple) -> None:
    """variants() gives, row by row, exactly what solve() gives with that answer left out
    (present answers first, each list in sorted order, whatever order they came in)."""
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    kernel = bridge.kernel
    pres, abs_ = sorted(present), sorted(absent)
    rows = np.empty((len(pres) + len(abs_), net.n_causes))
    shuffled = (np.array(pres[::-1], dtype=np.int64), np.array(abs_[::-1], dtype=np.int64))
    assert kernel.variants(net._compiled, net.priors, *shuffled, rows) is not None
    for row, (p, a) in enumerate(
        [([f for f in pres if f != g], abs_) for g in pres]
        + [(pres, [f for f in abs_ if f != g]) for g in abs_]
    ):
        one = np.empty(net.n_causes)
        kernel.solve(net._compiled, net.priors, np.array(p, dtype=np.int64),
                     np.array(a, dtype=np.int64), one)  # fmt: skip
        np.testing.assert_array_equal(rows[row], one)
        expected, _ = brute_force(priors, leaks, links, p, a)
        np.testing.assert_allclose(rows[row], expected, rtol=0, atol=TOLERANCE)


def test_variants_check_what_they_are_given() -> None:
    net = NoisyOrNetwork(np.array([0.1, 0.2]), np.array([0.1, 0.2]), np.array([[0.5, 0], [0, 0.4]]))
    kernel = bridge.kernel
    two = np.array([0, 1], dtype=np.int64)
    with pytest.raises(ValueError, match="bytes"):  # one row per answer: 2 rows, not 1
        kernel.variants(net._compiled, net.priors, two, two[:0], np.empty(2))
    with pytest.raises(ValueError, match="both present and absent"):
        kernel.variants(net._compiled, net.priors, two, two[:1], np.empty(6))
    with pytest.raises(ValueError, match="twice"):
        kernel.variants(net._compiled, net.priors, np.array([1, 1]), two[:0], np.empty(4))
    dense = NoisyOrNetwork(np.full(4, 0.2), np.full(6, 0.01), np.full((4, 6), 0.5))
    six = np.arange(6, dtype=np.int64)
    assert (
        kernel.variants(dense._compiled, dense.priors, six, six[:0], np.empty((6, 4)), 0, 1) is None
    )


def test_kernel_checks_what_it_is_given() -> None:
    net = NoisyOrNetwork(np.array([0.1, 0.2]), np.array([0.1, 0.2]), np.array([[0.5, 0], [0, 0.4]]))
    kernel = bridge.kernel
    with pytest.raises(ValueError, match="bytes"):
        kernel.solve(net._compiled, np.array([0.1]), np.array([0]), np.array([1]), np.empty(2))
    with pytest.raises(ValueError, match="ascending"):
        kernel.network(2, np.array([0, 2, 1], dtype=np.int64), np.array([0], dtype=np.int64),
                       np.array([0.5]), np.array([0.1, 0.1]))  # fmt: skip
    with pytest.raises(ValueError, match="out of range"):
        kernel.network(2, np.array([0, 1, 1], dtype=np.int64), np.array([7], dtype=np.int64),
                       np.array([0.5]), np.array([0.1, 0.1]))  # fmt: skip


def test_threads_get_the_same_answers() -> None:
    """The kernel releases the GIL while it solves: concurrent calls must not interfere."""
    rng = np.random.default_rng(5)
    priors = rng.uniform(0.01, 0.3, 12)
    leaks = rng.uniform(0.001, 0.05, 30)
    links = rng.uniform(0.1, 0.9, (12, 30)) * (rng.random((12, 30)) < 0.3)
    net = NoisyOrNetwork(priors, leaks, links)
    queries = [(sorted(rng.permutation(30)[:8]), [int(f) for f in rng.permutation(30)[8:12]])
               for _ in range(40)]  # fmt: skip
    queries = [(p, [f for f in a if f not in p]) for p, a in queries]
    alone = [posteriors(net, p, a).marginals for p, a in queries]
    results: dict[int, list[np.ndarray]] = {}

    def work(worker: int) -> None:
        results[worker] = [posteriors(net, p, a).marginals for p, a in queries * 5]

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for worker in range(4):
        for got, want in zip(results[worker], alone * 5, strict=True):
            np.testing.assert_array_equal(got, want)


def test_strided_evidence_arrays_are_accepted() -> None:
    """The kernel reads raw buffers: views with a stride must be copied, not refused."""
    net = NoisyOrNetwork(
        np.array([0.1, 0.2]),
        np.array([0.1, 0.2, 0.3, 0.1]),
        np.array([[0.5, 0, 0.3, 0], [0, 0.4, 0.2, 0.1]]),
    )
    strided = np.array([0, 9, 1, 9, 2, 9, 3, 9])[::2]
    assert not strided.flags["C_CONTIGUOUS"]
    got = posteriors(net, strided[:2], strided[2:])
    want = posteriors(net, [0, 1], [2, 3], compiled=False)
    np.testing.assert_allclose(got.marginals, want.marginals, rtol=0, atol=1e-15)


def test_chunked_approximation_where_the_kernel_declines() -> None:
    """Past MAX_EXACT_POSITIVES, a group the kernel declines is filtered chunk by chunk, each
    chunk solved exactly by the kernel: equal to the same filtering done by hand with brute
    force (chunk 1's posteriors are chunk 2's priors, ...)."""
    rng = np.random.default_rng(12)
    priors = rng.uniform(0.01, 0.3, 10)
    leaks = rng.uniform(0.001, 0.05, 14)
    links = rng.uniform(0.1, 0.9, (10, 14))
    net = NoisyOrNetwork(priors, leaks, links)
    present, absent = list(range(12)), [12, 13]
    # A 200-entry table budget: the dense group of 12 positives over 10 causes is declined, a
    # chunk of 4 fits.
    limits = Limits(kernel_table_budget=200, max_exact_positives=6, kernel_chunk=4)
    post = posteriors(net, present, absent, limits=limits)
    current, negatives, log_z = list(priors), absent, 0.0
    for start in (0, 4, 8):
        current, evidence = brute_force(
            current, list(leaks), links, present[start : start + 4], negatives
        )
        current = [min(max(p, 1e-300), 1 - 1e-16) for p in current]
        negatives, log_z = [], log_z + np.log(evidence)
    assert post.method == "approximate" and post.largest_group == 12
    np.testing.assert_allclose(post.marginals, current, rtol=0, atol=TOLERANCE)
    assert post.log_evidence == pytest.approx(log_z, abs=1e-9)
    exact, _ = brute_force(list(priors), list(leaks), links, present, absent)
    assert np.max(np.abs(post.marginals - exact)) > 1e-6  # really filtered, not solved whole


def test_everything_present_on_the_shipped_kb_gets_an_answer() -> None:
    """The worst request the REST API accepts (every finding present, one group of ~100
    positives): the kernel declines the whole group, so the posterior and the explanations come
    from the chunked approximation, marked as such (it once took minutes via NumPy alone)."""
    from twitchcheck.api import default_checker

    checker = default_checker()
    kb = checker.kb
    later = {m for g in kb.structure.exclusive_groups for m in g.members[1:]}
    everything = [f.id for f in kb.findings if f.id not in later]
    result = checker.assess(age=50, sex="female", present=everything)
    assert result.engine.method == "approximate" and result.engine.explanations == "approximate"
    assert result.engine.largest_group > inference.MAX_EXACT_POSITIVES
    assert all(0.0 <= c.probability <= 1.0 for c in result.causes)
    assert result.triage.level == "emergency"  # red flags present: never under-triaged
