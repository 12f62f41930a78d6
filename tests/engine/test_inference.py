"""The exact engine against an independent brute-force enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twitchcheck.engine.inference as inference
from tests.engine.brute_force import brute_force
from twitchcheck.engine.inference import Limits, NoisyOrNetwork, posteriors
from twitchcheck.engine.inference.approximation import OPEN_HIGH, OPEN_LOW
from twitchcheck.engine.inference.groups import components
from twitchcheck.engine.numeric import logit
from twitchcheck.errors import NetworkError

TOLERANCE = 1e-9

# Each test here runs through the compiled kernel and through the NumPy implementation.
pytestmark = pytest.mark.usefixtures("engine_path")


@st.composite
def networks_and_evidence(draw: st.DrawFn, max_causes: int = 7, max_findings: int = 12) -> tuple:
    n = draw(st.integers(1, max_causes))
    m = draw(st.integers(1, max_findings))
    prob = st.floats(1e-4, 0.6, allow_nan=False)
    priors = draw(st.lists(prob, min_size=n, max_size=n))
    leaks = draw(st.lists(st.floats(1e-6, 0.3), min_size=m, max_size=m))
    links = np.array(
        draw(
            st.lists(
                st.lists(st.one_of(st.just(0.0), st.floats(0.01, 0.99)), min_size=m, max_size=m),
                min_size=n,
                max_size=n,
            )
        )
    )
    order = draw(st.permutations(range(m)))
    n_pos = draw(st.integers(0, m))
    n_neg = draw(st.integers(0, m - n_pos))
    return priors, leaks, links, list(order[:n_pos]), list(order[n_pos : n_pos + n_neg])


@given(networks_and_evidence())
@settings(max_examples=300, deadline=None)
def test_posteriors_match_brute_force(case: tuple) -> None:
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    post = posteriors(net, present, absent)
    expected, evidence = brute_force(priors, leaks, links, present, absent)
    assert post.method == "exact"
    np.testing.assert_allclose(post.marginals, expected, rtol=0, atol=TOLERANCE)
    assert post.log_evidence == pytest.approx(np.log(evidence), abs=1e-9)
    assert np.all((post.marginals >= 0) & (post.marginals <= 1))


@given(networks_and_evidence(max_causes=6, max_findings=8))
@settings(max_examples=60, deadline=None)
def test_result_is_deterministic_and_order_free(case: tuple) -> None:
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    a = posteriors(net, present, absent)
    b = posteriors(net, list(reversed(present)), list(reversed(absent)))
    assert np.array_equal(a.marginals, b.marginals)
    assert a.log_evidence == b.log_evidence


@pytest.mark.parametrize("n_positive", [10, 14, 16, 18])
def test_exact_with_many_unlikely_positives(n_positive: int) -> None:
    """Where plain inclusion-exclusion cancels badly: many positives, each improbable."""
    rng = np.random.default_rng(n_positive)
    n_causes = 10
    priors = rng.uniform(1e-4, 0.05, n_causes)
    leaks = rng.uniform(1e-5, 1e-3, n_positive + 4)
    links = rng.uniform(0.05, 0.95, (n_causes, n_positive + 4)) * (
        rng.random((n_causes, n_positive + 4)) < 0.5
    )
    net = NoisyOrNetwork(priors, leaks, links)
    present = list(range(n_positive))
    absent = [n_positive, n_positive + 1]
    # The exact algorithm's numerics, up to 20 positives (the product's default solves at most
    # 16 exactly since issue 18 #12a, for speed; the algorithm is unchanged).
    post = posteriors(net, present, absent, limits=Limits(max_exact_positives=20))
    assert post.method == "exact"
    expected, _ = brute_force(list(priors), list(leaks), links, present, absent)
    np.testing.assert_allclose(post.marginals, expected, rtol=0, atol=TOLERANCE)


def test_checkpointed_backward_pass_matches() -> None:
    """With a tiny memory budget the backward pass is recomputed in blocks: same answer."""
    rng = np.random.default_rng(7)
    priors = rng.uniform(0.01, 0.4, 8)
    leaks = rng.uniform(0.001, 0.1, 6)
    links = rng.uniform(0.1, 0.9, (8, 6))
    net = NoisyOrNetwork(priors, leaks, links)
    full = posteriors(net, [0, 1, 2, 3], [4])
    blocked = posteriors(net, [0, 1, 2, 3], [4], limits=Limits(state_budget=16))
    expected, _ = brute_force(list(priors), list(leaks), links, [0, 1, 2, 3], [4])
    np.testing.assert_allclose(blocked.marginals, expected, atol=TOLERANCE)
    np.testing.assert_allclose(blocked.marginals, full.marginals, atol=1e-12)


def test_unconnected_positives_are_solved_as_separate_groups() -> None:
    links = np.array([[0.8, 0.0], [0.0, 0.7], [0.0, 0.0]])
    net = NoisyOrNetwork(np.array([0.1, 0.2, 0.3]), np.array([0.01, 0.02]), links)
    post = posteriors(net, [0, 1], [])
    expected, _ = brute_force([0.1, 0.2, 0.3], [0.01, 0.02], links, [0, 1], [])
    assert post.largest_group == 1
    np.testing.assert_allclose(post.marginals, expected, atol=TOLERANCE)
    assert post.marginals[2] == pytest.approx(0.3)  # linked to nothing observed: prior unchanged


def test_approximation_is_used_above_the_exact_limit() -> None:
    """The NumPy path's approximation (the kernel, where it answers, is exact at any size)."""
    rng = np.random.default_rng(3)
    priors = rng.uniform(0.01, 0.2, 6)
    leaks = rng.uniform(0.01, 0.05, 8)
    links = rng.uniform(0.2, 0.9, (6, 8))
    net = NoisyOrNetwork(priors, leaks, links)
    post = posteriors(net, list(range(8)), [], compiled=False, limits=Limits(max_exact_positives=4))
    expected, _ = brute_force(list(priors), list(leaks), links, list(range(8)), [])
    assert post.method == "approximate"
    assert np.all((post.marginals >= 0) & (post.marginals <= 1))
    # A loose bound, to catch a broken approximation; its measured error is in BENCHMARKS.md.
    # (And not exact: the chunks must really have been solved apart.)
    assert 1e-6 < np.max(np.abs(post.marginals - expected)) < 0.25


@pytest.mark.parametrize(
    ("priors", "leaks", "links", "message"),
    [
        ([0.0], [0.1], [[0.5]], "priors"),
        ([0.5], [1.0], [[0.5]], "leaks"),
        ([0.5], [0.1], [[1.0]], "link"),
        ([0.5], [0.1], [[0.5, 0.5]], "shape"),
        ([float("nan")], [0.1], [[0.5]], "priors"),
    ],
)
def test_network_is_checked_before_inference(
    priors: list, leaks: list, links: list, message: str
) -> None:
    with pytest.raises(NetworkError, match=message):
        NoisyOrNetwork(np.array(priors), np.array(leaks), np.array(links))


def test_network_arrays_are_read_only_copies() -> None:
    """A network keeps its own copies, read-only: writing to one raises instead of making the
    kernel (which holds its own copy of the links) and NumPy disagree; the caller's arrays stay
    theirs, writable, and changing them changes no answer."""
    priors, leaks = np.array([0.1, 0.2]), np.array([0.1, 0.2, 0.05])
    links = np.array([[0.5, 0.0, 0.3], [0.0, 0.4, 0.2]])
    net = NoisyOrNetwork(priors, leaks, links)
    before = posteriors(net, [0, 2], [1]).marginals
    held = {name: value for name, value in vars(net).items() if isinstance(value, np.ndarray)}
    assert {"priors", "leaks", "links"} <= held.keys()
    for name, array in held.items():
        assert not array.flags.writeable, name
        with pytest.raises(ValueError, match="read-only"):
            array[(0,) * array.ndim] = 0
    with pytest.raises(ValueError, match="read-only"):
        net.links[0, 0] = 0.9
    assert priors.flags.writeable and leaks.flags.writeable and links.flags.writeable
    links[0, 0], priors[0] = 0.9, 0.3  # the caller's own arrays: not the network's
    assert net.links[0, 0] == 0.5 and net.priors[0] == 0.1
    np.testing.assert_array_equal(posteriors(net, [0, 2], [1]).marginals, before)
    np.testing.assert_allclose(
        posteriors(net, [0, 2], [1], compiled=False).marginals, before, rtol=0, atol=1e-15
    )


def test_bad_evidence_is_refused() -> None:
    net = NoisyOrNetwork(np.array([0.1]), np.array([0.1, 0.2]), np.array([[0.5, 0.5]]))
    with pytest.raises(NetworkError, match="both present and absent"):
        posteriors(net, [0], [0])
    with pytest.raises(NetworkError, match="outside"):
        posteriors(net, [5], [])
    with pytest.raises(NetworkError, match="twice"):
        posteriors(net, [1, 1], [])


@given(networks_and_evidence(max_causes=7, max_findings=10))
@settings(max_examples=120, deadline=None)
def test_lookahead_equals_two_inferences_per_candidate(case: tuple) -> None:
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    observed = set(present) | set(absent)
    candidates = [f for f in range(len(leaks)) if f not in observed]
    look = inference.lookahead(net, present, absent, candidates)
    for row, f in enumerate(candidates):
        yes = posteriors(net, [*present, f], absent)
        no = posteriors(net, present, [*absent, f])
        np.testing.assert_allclose(look.if_present[row], yes.marginals, atol=1e-12)
        np.testing.assert_allclose(look.if_absent[row], no.marginals, atol=1e-12)
        p_yes = np.exp(yes.log_evidence - look.current.log_evidence)
        p_no = np.exp(no.log_evidence - look.current.log_evidence)
        assert look.p_present[row] == pytest.approx(p_yes, abs=1e-12)
        assert p_yes + p_no == pytest.approx(1.0, abs=1e-9)  # the two answers exhaust the cases


@given(networks_and_evidence(max_causes=7, max_findings=10))
@settings(max_examples=120, deadline=None)
def test_leave_one_out_equals_one_inference_per_left_out_finding(case: tuple) -> None:
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    full, without_p, without_a = inference.leave_one_out(net, present, absent)
    np.testing.assert_array_equal(full.marginals, posteriors(net, present, absent).marginals)
    for row, f in enumerate(sorted(present)):
        rest = [x for x in present if x != f]
        np.testing.assert_allclose(
            without_p[row], posteriors(net, rest, absent).marginals, atol=1e-12
        )
    for row, f in enumerate(sorted(absent)):
        rest = [x for x in absent if x != f]
        np.testing.assert_allclose(
            without_a[row], posteriors(net, present, rest).marginals, atol=1e-12
        )


@given(networks_and_evidence(max_causes=7, max_findings=10))
@settings(max_examples=120, deadline=None)
def test_leave_one_out_with_a_limit_keeps_small_groups_exact_and_the_full_answer_exact(
    case: tuple,
) -> None:
    """``exact_limit`` only touches the variants of groups above the limit (explanations)."""
    priors, leaks, links, present, absent = case
    net = NoisyOrNetwork(np.array(priors), np.array(leaks), links)
    limit = 2
    exact = inference.leave_one_out(net, present, absent)
    rough = inference.leave_one_out(net, present, absent, exact_limit=limit)
    np.testing.assert_array_equal(rough[0].marginals, exact[0].marginals)
    sizes = {
        int(f): fs.size
        for fs, _causes in components(net, np.array(sorted(present), dtype=np.intp))
        for f in fs
    }
    for row, f in enumerate(sorted(present)):
        assert np.all((rough[1][row] >= 0) & (rough[1][row] <= 1))
        if sizes[f] <= limit:
            np.testing.assert_allclose(rough[1][row], exact[1][row], atol=1e-12)
    if max(sizes.values(), default=0) <= limit:
        np.testing.assert_allclose(rough[2], exact[2], atol=1e-12)
    assert np.all((rough[2] >= 0) & (rough[2] <= 1))


def test_many_positives_keep_an_exact_ranking_and_flag_approximate_explanations() -> None:
    """14 positives in one group on the shipped KB (its locations share many causes, so exact
    variants would cost more than EXPLAIN_WORK_LIMIT): the posteriors are exact, the
    explanations are marked approximate, and negatives' effects stay close to the exact ones
    (measured within 0.02 in log-odds; checked at 0.05)."""
    from twitchcheck.api import default_checker

    checker = default_checker()
    kb = checker.kb
    locations = [f.id for f in kb.findings if f.category == "location"][:11]
    present = [*locations, "muscle_cramps", "poor_sleep", "high_caffeine_intake"]
    absent = ["difficulty_swallowing", "slurred_speech", "breathing_difficulty", "facial_droop"]
    result = checker.assess(age=45, sex="female", present=present, absent=absent)
    assert result.engine.largest_group > inference.EXPLAIN_EXACT_POSITIVES
    assert result.engine.method == "exact" and result.engine.explanations == "approximate"
    req = checker.request(age=45, sex="female", present=present, absent=absent)
    idx = kb.finding_index
    pi = sorted(idx[f] for f in req.closed.present)
    ai = sorted(idx[f] for f in req.closed.absent)
    priors = checker.priors(45, req.sex)
    exact = inference.leave_one_out(checker.network, pi, ai, priors)
    rough = inference.leave_one_out(
        checker.network, pi, ai, priors, exact_limit=inference.EXPLAIN_EXACT_POSITIVES
    )
    by_id = {c.id: c.probability for c in result.causes}
    for j, cause in enumerate(kb.causes):
        assert by_id[cause.id] == pytest.approx(exact[0].marginals[j], abs=1e-12)

    def log_odds(p: np.ndarray) -> np.ndarray:
        return logit(p, OPEN_LOW, OPEN_HIGH)

    effect_exact = log_odds(exact[0].marginals)[None, :] - log_odds(exact[2])
    effect_rough = log_odds(rough[0].marginals)[None, :] - log_odds(rough[2])
    assert np.abs(effect_exact - effect_rough).max() < 0.05
