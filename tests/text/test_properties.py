"""Properties of the parse: never self-contradicting, negation never makes present-and-absent,
spans inside the text; and fuzzed text gives a parse with nothing placed or a clear 4xx."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twitchcheck.api import default_checker

CHECKER = default_checker()
PHRASES = sorted({p for f in CHECKER.kb.findings for p in f.phrases.get("en", ()) if len(p) < 30})
NEGATIONS = ["no", "not", "I don't have", "never had", "I don't think I have", "without"]
GLUE = [", ", " and ", ". ", " but ", ", possible ", " maybe ", " since Tuesday, ", " "]


def _consistent(parsed: dict[str, Any], text: str) -> None:
    ids = [f["id"] for f in parsed["findings"]]
    assert len(ids) == len(set(ids)), "one choice per finding"
    present = {f["id"] for f in parsed["findings"] if f["choice"] == "present"}
    absent = {f["id"] for f in parsed["findings"] if f["choice"] == "absent"}
    assert not present & absent
    for group in CHECKER.model.exclusive_groups.values():
        assert len(present & set(group)) <= 1
    # closure of the parse never contradicts (the facade would refuse it)
    CHECKER.request(age=40, sex="unknown", present=sorted(present), absent=sorted(absent))
    for f in parsed["findings"]:
        assert 0 <= f["start"] < f["end"] <= len(text)
        assert f["choice"] in {"present", "absent", "unknown"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(PHRASES), st.sampled_from(GLUE)), min_size=1, max_size=6),
    st.sampled_from(NEGATIONS),
    st.integers(min_value=0, max_value=5),
)
def test_negating_a_sentence_never_makes_a_finding_present_and_absent(
    parts: list[tuple[str, str]], negation: str, where: int
) -> None:
    text = "".join(p + g for p, g in parts)
    k = min(where, len(parts) - 1)
    negated = "".join((f"{negation} {p}" if i == k else p) + g for i, (p, g) in enumerate(parts))
    for t in (text, negated):
        _consistent(CHECKER.text.parse(t), t)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_consistently(text: str) -> None:
    _consistent(CHECKER.text.parse(text), text)


def test_parses_in_many_threads_agree_with_parses_in_one() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        "my nostril twitches since Tuesday, no weakness",
        "maybe some tingling",
        "my uncle had ALS and I'm terrified",
    ] * 30
    alone = [CHECKER.text.parse(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(CHECKER.text.parse, texts))
    assert together == alone
