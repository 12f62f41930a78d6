"""explanations ranks all answer-cause pairs at once and words them; checked against the plain
per-answer loop and effect_sentence, through the compiled builder (_explain.c) and through
Python alone."""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import twitchcheck.explain as explain
from twitchcheck.explain import (
    MAX_ITEMS,
    MIN_EFFECT,
    Answer,
    effect_sentence,
    explanations,
    logit,
)


@pytest.fixture(params=["compiled", "python"])
def builder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which implementation builds the items: _explain.c, or Python alone."""
    if request.param == "python":
        monkeypatch.setattr(explain, "_explain", None)
    elif explain._explain is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the compiled item builder was not built (setup.py; no C compiler?)")
        pytest.skip("the compiled item builder was not built here")
    return str(request.param)


class Effect(NamedTuple):
    finding: str
    answer: str
    log_odds_change: float


def reference_effects(
    marginals: np.ndarray, answers: list[tuple[str, str]], without: np.ndarray
) -> list[list[Effect]]:
    """One answer at a time, then a sort per cause: the definition explanations must meet."""
    full = logit(marginals)
    per_cause: list[list[Effect]] = [[] for _ in range(marginals.size)]
    for (finding, answer), rest in zip(answers, without, strict=True):
        delta = full - logit(rest)
        for j in np.flatnonzero(np.abs(delta) >= MIN_EFFECT):
            per_cause[int(j)].append(Effect(finding, answer, float(delta[j])))
    for effects in per_cause:
        effects.sort(key=lambda e: (-abs(e.log_odds_change), e.finding))
        del effects[MAX_ITEMS:]
    return per_cause


def random_case(seed: int) -> tuple[np.ndarray, list[tuple[str, str]], np.ndarray]:
    rng = np.random.default_rng(seed)
    n_answers, n_causes = int(rng.integers(0, 12)), int(rng.integers(1, 35))
    marginals = rng.random(n_causes) ** int(rng.integers(1, 6))
    marginals[rng.integers(0, n_causes)] = (0.0, 1.0, 0.5)[seed % 3]  # clipped by logit
    noise = rng.normal(0.0, 0.05, (n_answers, n_causes)) * rng.integers(0, 2, (n_answers, n_causes))
    without = np.clip(marginals + noise, 0.0, 1.0)
    if n_answers > 1:
        without[-1] = without[0]  # equal effects: the finding id breaks the tie
    ids = [f"f{k:02d}" for k in rng.permutation(40)[:n_answers]]
    answers = [(f, "present" if rng.random() < 0.5 else "absent") for f in ids]
    return marginals, answers, without


@pytest.mark.parametrize("seed", range(200))
def test_explanations_match_the_per_answer_definition(seed: int, builder: str) -> None:
    marginals, answers, without = random_case(seed)
    quoted = [
        Answer(finding, f"Label of {finding}", answer, derived=k % 3 == 0)
        for k, (finding, answer) in enumerate(answers)
    ]
    derived = {a.finding for a in quoted if a.derived}
    expected = [
        [
            {
                "finding": e.finding,
                "label": f"Label of {e.finding}",
                "answer": e.answer,
                "derived": e.finding in derived,
                "log_odds_change": float(np.round(e.log_odds_change, 6)),
                "text": effect_sentence(
                    f"Label of {e.finding}", e.answer, e.log_odds_change, e.finding in derived
                ),
            }
            for e in effects
        ]
        for effects in reference_effects(marginals, answers, without)
    ]
    assert explanations(marginals, quoted, without) == expected


def test_explanations_without_answers(builder: str) -> None:
    marginals = np.array([0.2, 0.7])
    assert explanations(marginals, [], np.empty((0, 2))) == [[], []]
    assert explanations(np.empty(0), [Answer("a", "A", "present", False)], np.empty((1, 0))) == []


def test_explanations_refuse_mismatched_shapes(builder: str) -> None:
    with pytest.raises(ValueError):
        explanations(np.array([0.2, 0.7]), [Answer("a", "A", "present", False)], np.empty((2, 2)))


def _pairs(per_cause: list[list[dict[str, Any]]]) -> list[list[list[tuple[str, Any]]]]:
    """The items with their key order (dict equality alone ignores it, JSON does not)."""
    return [[list(item.items()) for item in items] for items in per_cause]


# Probabilities from a few values, so that equal effects (ties), effects at the MIN_EFFECT edge
# and clipped certainties come up often.
_probability = st.sampled_from([0.0, 1e-300, 0.1, 0.1 + 1e-12, 0.11, 0.5, 0.5125, 0.9, 1.0])


@settings(max_examples=300, deadline=None)
@given(
    marginals=hnp.arrays(np.float64, st.integers(1, 8), elements=_probability),
    rows=st.integers(0, 14),
    data=st.data(),
)
def test_the_compiled_builder_returns_what_python_builds(
    marginals: np.ndarray, rows: int, data: st.DataObject
) -> None:
    if explain._explain is None:
        pytest.skip("the compiled item builder was not built here")
    without = data.draw(hnp.arrays(np.float64, (rows, marginals.size), elements=_probability))
    ids = data.draw(st.lists(st.sampled_from("abcdefghij"), min_size=rows, max_size=rows))
    answers = [
        Answer(f"f_{ids[i]}{i}", f"Label {i}", ("present", "absent")[i % 2], i % 3 == 0)
        for i in range(rows)
    ]
    compiled = explanations(marginals, answers, without)
    python = explain._python_items(
        marginals,
        answers,
        without,
        [f"{explain.answer_phrase(a.label, a.answer, a.derived)}: this makes it " for a in answers],
    )
    assert _pairs(compiled) == _pairs(python)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((np.zeros(3), 2, [("a", "A", "present", False)], ["o"]), ValueError),  # 3 != 1 x 2
        ((np.zeros(2), 2, [("a", "A", "present", False)], []), ValueError),  # no opening
        ((np.zeros(2), -2, [("a", "A", "present", False)], ["o"]), ValueError),
        ((np.zeros(2), 2, [("a", "A", "present")], ["o"]), TypeError),  # not 4 fields
        ((np.zeros(2), 2, [(1, "A", "present", False)], ["o"]), TypeError),  # id not a str
        ((np.zeros(2), 2, [("a", "A", "present", False)], [b"o"]), TypeError),
        ((np.zeros((2, 2))[:, 0], 2, [("a", "A", "present", False)], ["o"]), ValueError),  # strided
    ],
)
def test_the_compiled_builder_checks_its_input(args: tuple[Any, ...], error: type) -> None:
    if explain._explain is None:
        pytest.skip("the compiled item builder was not built here")
    with pytest.raises(error):
        explain._explain.items(*args, explain._ENDINGS, MIN_EFFECT, MAX_ITEMS)
    with pytest.raises(ValueError):  # the endings table has its fixed layout
        explain._explain.items(np.zeros(2), 2, [], [], explain._ENDINGS[:-1], MIN_EFFECT, 6)


@pytest.mark.parametrize("change", [0.07, -0.4, 2.5, -3.1, 4.7, -9.0])
@pytest.mark.parametrize("derived", [False, True])
def test_effect_sentence(change: float, derived: bool) -> None:
    text = effect_sentence("Poor sleep", "present", change, derived)
    assert "“Poor sleep”" in text
    assert ("more likely" if change > 0 else "less likely") in text
    assert text.endswith("(in odds).")


def test_sentence_endings_round_the_odds_factor_half_up() -> None:
    """The ready-made endings say what formatting the factor would say, except exactly at a
    rounding tie, where they round half up (1.25 -> 1.3; formatting rounds half to even)."""
    import math

    rng = np.random.default_rng(3)
    for change in rng.uniform(-6.0, 6.0, 20_000):
        factor = math.exp(abs(change))
        scale = 10 if factor < 10 else 1
        if abs(factor * scale % 1 - 0.5) < 1e-9 or factor >= 100:
            continue
        words = f"about {factor:.1f} times" if factor < 10 else f"about {factor:.0f} times"
        direction = "more likely" if change > 0 else "less likely"
        assert effect_sentence("X", "present", change).endswith(f"{words} {direction} (in odds).")
    assert "about 1.3 times more likely" in effect_sentence("X", "present", math.log(1.25))
    assert "about 10.0 times less likely" in effect_sentence("X", "absent", -math.log(9.96))
    assert "about 100 times" in effect_sentence("X", "present", math.log(99.6))
    assert "more than 100 times" in effect_sentence("X", "present", math.log(100.0))


def test_a_factor_on_a_wording_boundary_gets_the_same_words_whatever_its_last_bits() -> None:
    """A likelihood ratio of exactly 10 reaches the wording as 10 give or take a few ulps (the
    last bits differ between NumPy builds); the factor is rounded to 6 decimals first, so both
    builders always say "about 10 times", never "about 10.0 times" on one machine and "about 10
    times" on another. The same for the tenths boundaries below 10."""
    import math

    for exact, words in (
        (10.0, "about 10 times"),
        (2.25, "about 2.3 times"),
        (100.0, "more than 100"),
    ):
        for ulps in range(-4, 5):
            factor = exact
            for _ in range(abs(ulps)):
                factor = math.nextafter(factor, math.inf if ulps > 0 else 0.0)
            change = math.log(factor)
            assert f"{words}" in effect_sentence("X", "present", change), (exact, ulps)
            assert words in explain._ending(change)
            if explain._explain is not None:
                (item,) = explain._explain.items(
                    np.array([change]),
                    1,
                    [("a", "A", "present", False)],
                    ["o"],
                    explain._ENDINGS,
                    MIN_EFFECT,
                    MAX_ITEMS,
                )[0]
                assert item["text"] == "o" + explain._ending(change), (exact, ulps)


def test_the_compiled_builder_rounds_like_numpy_at_exact_ties() -> None:
    """np.round(x, 6) rounds x * 1e6 half to even; effects whose scaled value is exactly a
    half (rare from real probabilities, so made here) tell that from rounding half away."""
    if explain._explain is None:
        pytest.skip("the compiled item builder was not built here")
    ties = [(k + 0.5) / 1e6 for k in range(50_000, 3_000_000, 9_973)]
    ties = [x for x in ties if x * 1e6 % 1 == 0.5]
    delta = np.array(ties + [-x for x in ties])
    assert len(ties) > 100
    answers = [("a", "A", "present", False)]
    for d in delta:
        (item,) = explain._explain.items(
            np.array([d]), 1, answers, ["o"], explain._ENDINGS, MIN_EFFECT, MAX_ITEMS
        )[0]
        assert item["log_odds_change"] == float(np.round(d, 6))
