"""Triage invariants on random KBs: a red flag never lowers the level; order never matters; the
level is exactly the contract's (P1 of contracts §6 and the stand-down rule itself)."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twitchcheck.api import Checker
from twitchcheck.domain import TriageLevel
from twitchcheck.engine.model import CauseUrgency, TriageRule
from twitchcheck.engine.triage import decide, rule_fires
from twitchcheck.facade.compile import compile_rule
from twitchcheck.kb import schema as s
from twitchcheck.kb.generate import generate_kb


@lru_cache(maxsize=8)
def checker(seed: int) -> Checker:
    # 12 combination rules, most of the soon/routine ones declaring a stand-down.
    return Checker(generate_kb(12, 30, seed=seed, red_flag_share=0.25, n_rules=12))


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


# -- standing down (contracts §6) -------------------------------------------------------------


def _cause(cid: str, urgency: str = "soon", threshold: float = 0.5) -> CauseUrgency:
    return CauseUrgency(cid, cid, TriageLevel(urgency), threshold, "See a doctor.", ())


STAND = {"guards": ["g1", "g2"], "triggers": ["coffee"], "below": 0.2, "estimate": "estimated: t"}


def test_a_rule_stands_down_only_with_a_trigger_and_unlikely_guards() -> None:
    rule = _rule(id="palp", all_of=["a"], level="soon", stand_down=STAND)
    causes = [_cause("g1"), _cause("g2"), _cause("other", "soon", 0.95)]
    # Trigger present, guards 0.05 + 0.10 < 0.2: stands down, self-care.
    d = decide([rule], causes, {"a", "coffee"}, 30, [0.05, 0.10, 0.9])
    assert d.level is TriageLevel.SELF_CARE and d.reasons == ()
    (down,) = d.stood_down
    assert (down.rule, down.triggers, down.level) == ("palp", ("coffee",), TriageLevel.SOON)
    assert abs(down.guarded - 0.15) < 1e-12 and down.below == 0.2
    # No trigger: the rule keeps its level.
    assert decide([rule], causes, {"a"}, 30, [0.05, 0.10, 0.9]).level is TriageLevel.SOON
    # Guards at the threshold (not below): keeps it.
    assert decide([rule], causes, {"a", "coffee"}, 30, [0.1, 0.1, 0.0]).level is TriageLevel.SOON
    # Not firing: nothing stands down.
    assert decide([rule], causes, {"coffee"}, 30, [0.0, 0.0, 0.0]).stood_down == ()


def test_a_guarded_cause_at_its_threshold_keeps_its_own_level() -> None:
    rule = _rule(id="palp", all_of=["a"], level="soon", stand_down={**STAND, "below": 0.9})
    causes = [_cause("g1", "soon", 0.3), _cause("g2")]
    d = decide([rule], causes, {"a", "coffee"}, 30, [0.4, 0.1])
    assert [x.rule for x in d.stood_down] == ["palp"]
    assert d.level is TriageLevel.SOON and [r.id for r in d.reasons] == ["g1"]


def test_another_rule_keeps_the_level_up() -> None:
    down = _rule(id="multi", kind="time_course", all_of=["a"], level="routine", stand_down=STAND)
    keep = _rule(id="long", kind="time_course", all_of=["b"], level="routine")
    d = decide([down, keep], [_cause("g1"), _cause("g2")], {"a", "b", "coffee"}, 30, [0.0, 0.0])
    assert d.level is TriageLevel.ROUTINE
    assert [r.id for r in d.reasons] == ["long"] and [x.rule for x in d.stood_down] == ["multi"]


def test_the_engine_refuses_rules_that_may_not_stand_down() -> None:
    ch = checker(1)
    model = ch.model
    rule = next(r for r in model.rules if r.stand_down is not None)
    red = sorted(model.red_flags)[0]
    for bad in (
        {"level": TriageLevel.URGENT},
        {"kind": "red_flag"},
        {"all_of": (*rule.all_of, red)},
        {"stand_down": dataclasses.replace(rule.stand_down, triggers=(red,))},  # type: ignore[arg-type]
        {"stand_down": dataclasses.replace(rule.stand_down, guards=("nope",))},  # type: ignore[arg-type]
    ):
        rules = tuple(dataclasses.replace(r, **bad) if r is rule else r for r in model.rules)
        with pytest.raises(ValueError, match="may not stand down"):
            dataclasses.replace(model, rules=rules)


@st.composite
def stand_down_case(draw: st.DrawFn) -> tuple:
    """A random request that often fires a stand-down rule with one of its triggers."""
    seed, present, absent, flag, age, sex, _ = draw(random_case())
    ch = checker(seed)
    candidates = [r for r in ch.model.rules if r.stand_down is not None]
    if candidates and draw(st.booleans()):
        rule = draw(st.sampled_from(candidates))
        assert rule.stand_down is not None
        extra = [*rule.all_of, *rule.any_of[:1]]
        if draw(st.booleans()):
            extra.append(draw(st.sampled_from(rule.stand_down.triggers)))
        present = list(dict.fromkeys([*present, *extra]))
        absent = [f for f in absent if f not in present]
    if draw(st.booleans()):
        present = [*present, flag] if flag not in absent else present
    return seed, present, absent, age, sex


def _check_level_is_the_contracts(ch: Checker, present: list, absent: list, age: int, sex: str):  # type: ignore[no-untyped-def]
    """P1 of contracts §6, and the level recomputed from the stand-down rule itself."""
    a = ch.assess(age=age, sex=sex, present=present, absent=absent)
    req = ch.request(age=age, sex=sex, present=present, absent=absent)
    basis = ch.triage_probabilities(ch.priors(req.age, req.sex), req.closed).tolist()
    p = dict(zip(ch.model.cause_ids, basis, strict=True))
    closed = req.closed.present
    firing = [r for r in ch.model.rules if rule_fires(r, closed, req.age)]
    causes = [c.urgency.rank for c in ch.model.causes if p[c.id] >= c.threshold]
    fixed = [r.level.rank for r in firing if r.stand_down is None]
    level = a.triage.level.rank
    # P1: at least the firing rules that may not stand down and the causes' urgencies.
    assert level >= max([0, *fixed, *causes])

    def down(r: TriageRule) -> bool:
        sd = r.stand_down
        return (
            sd is not None
            and bool(set(sd.triggers) & closed)
            and sum(p[g] for g in sd.guards) < sd.below
        )

    kept = [r.level.rank for r in firing if not down(r)]
    assert level == max([0, *kept, *causes])
    assert [x.rule for x in a.triage.stood_down] == [r.id for r in firing if down(r)]
    for x in a.triage.stood_down:
        assert x.guarded_probability < x.below and set(x.triggers) <= closed
        assert x.level.value in {"soon", "routine"} and x.safety_net
    return a


@given(stand_down_case())
@settings(max_examples=200, deadline=None)
def test_p1_the_level_is_at_least_every_rule_that_may_not_stand_down(case: tuple) -> None:
    seed, present, absent, age, sex = case
    _check_level_is_the_contracts(checker(seed), present, absent, age, sex)


def test_random_kbs_make_stand_down_rules() -> None:
    rules = [r for seed in range(8) for r in checker(seed).model.rules if r.stand_down]
    assert len(rules) >= 8
    assert {r.level for r in rules} == {TriageLevel.SOON, TriageLevel.ROUTINE}


@given(stand_down_case(), st.data())
@settings(max_examples=150, deadline=None)
def test_a_red_flag_never_lowers_triage_when_rules_stand_down(case: tuple, data) -> None:  # type: ignore[no-untyped-def]
    seed, present, absent, age, sex = case
    ch = checker(seed)
    flag = data.draw(st.sampled_from(sorted(ch.red_flags)))
    present = [f for f in present if f != flag]
    absent = [f for f in absent if f != flag]
    before = ch.assess(age=age, sex=sex, present=present, absent=absent)
    after = ch.assess(age=age, sex=sex, present=[*present, flag], absent=absent)
    assert after.triage.level.rank >= before.triage.level.rank
    # A red flag changes no rule's standing down: it is never a trigger nor a stand-down rule's
    # finding, and the guarded sum leaves it out.
    assert after.triage.stood_down == before.triage.stood_down
