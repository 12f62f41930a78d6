"""Triage invariants: a red flag never lowers the level; order never matters (random KBs)."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from twitchcheck.api import Checker
from twitchcheck.domain import TriageLevel
from twitchcheck.engine.model import TriageRule
from twitchcheck.engine.triage import decide, rule_fires
from twitchcheck.facade.compile import compile_rule
from twitchcheck.kb import schema as s
from twitchcheck.kb.generate import generate_kb


@lru_cache(maxsize=8)
def checker(seed: int) -> Checker:
    return Checker(generate_kb(12, 30, seed=seed, red_flag_share=0.25))


@st.composite
def random_case(draw: st.DrawFn) -> tuple:
    seed = draw(st.integers(0, 7))
    ch = checker(seed)
    ids = [f.id for f in ch.kb.findings]
    red = sorted(ch.red_flags)
    flag = draw(st.sampled_from(red))
    others = [i for i in ids if i != flag]
    chosen = draw(st.lists(st.sampled_from(others), unique=True, max_size=10))
    cut = draw(st.integers(0, len(chosen)))
    age = draw(st.integers(0, 120))
    sex = draw(st.sampled_from(["female", "male", "other", "unknown"]))
    was_absent = draw(st.booleans())
    return seed, chosen[:cut], chosen[cut:], flag, age, sex, was_absent


@given(random_case())
@settings(max_examples=150, deadline=None)
def test_marking_a_red_flag_present_never_lowers_triage(case: tuple) -> None:
    seed, present, absent, flag, age, sex, was_absent = case
    ch = checker(seed)
    before = ch.assess(
        age=age, sex=sex, present=present, absent=[*absent, flag] if was_absent else absent
    )
    after = ch.assess(age=age, sex=sex, present=[*present, flag], absent=absent)
    assert after.triage.level.rank >= before.triage.level.rank
    assert any(rf.id == flag for rf in after.red_flags)


@given(random_case(), st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_evidence_order_never_changes_the_answer(case: tuple, rnd) -> None:  # type: ignore[no-untyped-def]
    seed, present, absent, _flag, age, sex, _ = case
    ch = checker(seed)
    a = ch.assess(age=age, sex=sex, present=present, absent=absent)
    shuffled_p, shuffled_a = list(present), list(absent)
    rnd.shuffle(shuffled_p)
    rnd.shuffle(shuffled_a)
    b = ch.assess(age=age, sex=sex, present=shuffled_p, absent=shuffled_a)
    assert a.model_dump() == b.model_dump()


def _rule(**kw) -> TriageRule:  # type: ignore[no-untyped-def]
    base = {"id": "r", "kind": "combination", "level": "urgent", "text": "t", "estimate": "test"}
    return compile_rule(s.Rule.model_validate({**base, **kw}))


def test_rule_conditions() -> None:
    both = _rule(all_of=["a", "b"])
    assert rule_fires(both, {"a", "b", "c"}, 30)
    assert not rule_fires(both, {"a"}, 30)
    either = _rule(any_of=["a", "b"])
    assert rule_fires(either, {"b"}, 30) and not rule_fires(either, {"c"}, 30)
    aged = _rule(all_of=["a"], age_min=50, age_max=80)
    assert (
        rule_fires(aged, {"a"}, 50)
        and not rule_fires(aged, {"a"}, 49)
        and not rule_fires(aged, {"a"}, 80)
    )


def test_decision_takes_most_urgent_reason_and_lists_it_first() -> None:
    rules = [
        _rule(id="low", kind="time_course", all_of=["a"], level="routine"),
        _rule(id="high", all_of=["b"], level="emergency"),
    ]
    decision = decide(rules, [], {"a", "b"}, 40, [])
    assert decision.level is TriageLevel.EMERGENCY
    assert [r.id for r in decision.reasons] == ["high", "low"]
    assert decide(rules, [], set(), 40, []).level is TriageLevel.SELF_CARE
