"""The Python API on the shipped KB: shape, safety, over-triage guard, ALS context, errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twitchcheck
from twitchcheck.api import default_checker
from twitchcheck.domain import TriageLevel
from twitchcheck.errors import ContradictionError, InputError, UnknownIdError, ValueRangeError

CHECKER = default_checker()
KB = CHECKER.kb
RED_FLAGS = sorted(CHECKER.red_flags)
ORDINARY = sorted(f.id for f in KB.findings if not f.red_flag)
EXCLUSIVE = {m for g in KB.structure.exclusive_groups for m in g.members}


def test_assessment_shape_is_one_shape_for_every_face() -> None:
    a = twitchcheck.assess(
        age=34,
        sex="female",
        present=["twitch_nose", "high_caffeine_intake"],
        absent=["muscle_weakness"],
    )
    data = a.model_dump(mode="json")
    json.dumps(data)  # serialisable
    assert len(data["causes"]) == len(KB.causes)
    keys = [(-c["probability"], c["id"]) for c in data["causes"]]
    assert keys == sorted(keys)
    assert data["triage"]["level"] in {"emergency", "urgent", "soon", "routine", "self_care"}
    assert data["kb_version"].startswith(KB.meta.version)


def test_young_person_with_coffee_and_exam_stress_gets_self_care() -> None:
    """The over-triage guard of the engine issue."""
    a = twitchcheck.assess(
        age=21,
        sex="male",
        present=[
            "twitch_nose",
            "twitch_brief_seconds",
            "duration_under_2_weeks",
            "high_caffeine_intake",
            "high_stress",
            "poor_sleep",
        ],
        absent=["muscle_weakness", "difficulty_swallowing", "facial_droop"],
    )
    assert a.triage.level.value == "self_care"
    top3 = [c.id for c in a.causes[:3]]
    assert {"caffeine_stimulants", "stress_anxiety", "fatigue_sleep_deprivation"} & set(top3)
    assert "als" not in top3


def test_sudden_droop_with_speech_trouble_is_an_emergency() -> None:
    a = twitchcheck.assess(
        age=67, sex="female", present=["facial_droop", "sudden_speech_difficulty"]
    )
    assert a.triage.level.value == "emergency"
    assert {rf.id for rf in a.red_flags} == {"facial_droop", "sudden_speech_difficulty"}
    assert a.causes[0].id == "stroke_tia"


def test_als_context_shows_when_worried_and_cites_numbers() -> None:
    plain = twitchcheck.assess(age=30, sex="male", present=["twitch_nose"])
    worried = twitchcheck.assess(
        age=30, sex="male", present=["twitch_nose", "anxiety_health_worry"]
    )
    asked = twitchcheck.assess(age=30, sex="male", present=["twitch_nose"], concerns=["als"])
    assert plain.als_context is None or "als_in_top_5" in plain.als_context.shown_because
    assert (
        worried.als_context is not None
        and "anxiety_health_worry" in worried.als_context.shown_because
    )
    assert asked.als_context is not None and asked.als_context.statements
    assert all(s.sources for s in asked.als_context.statements)
    assert any(ch.isdigit() for s in asked.als_context.statements for ch in s.text)


def test_explanations_name_the_findings_that_moved_a_cause() -> None:
    a = twitchcheck.assess(age=25, sex="female", present=["twitch_nose", "high_caffeine_intake"])
    caffeine = next(c for c in a.causes if c.id == "caffeine_stimulants")
    moved = {e.finding: e.log_odds_change for e in caffeine.explanation}
    assert moved.get("high_caffeine_intake", 0) > 0


def test_every_cited_source_is_listed() -> None:
    a = twitchcheck.assess(
        age=60, sex="male", present=["twitch_limbs_or_trunk", "progressive_weakness"]
    )
    listed = {s.id for s in a.sources}
    for reason in a.triage.reasons:
        assert {s.id for s in reason.sources} <= listed
    for c in a.causes:
        assert set(c.sources) <= listed


def test_unknown_id_names_it_and_suggests() -> None:
    with pytest.raises(UnknownIdError) as info:
        twitchcheck.assess(age=30, sex="female", present=["twitch_nos"])
    assert "twitch_nos" in str(info.value) and "twitch_nose" in info.value.suggestions


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"age": -1, "sex": "female"}, ValueRangeError),
        ({"age": 121, "sex": "female"}, ValueRangeError),
        ({"age": 30.5, "sex": "female"}, ValueRangeError),
        ({"age": 30, "sex": "woman"}, ValueRangeError),
        (
            {"age": 30, "sex": "female", "present": ["twitch_nose"], "absent": ["twitch_nose"]},
            ContradictionError,
        ),
        (
            {"age": 30, "sex": "female", "present": ["twitch_nose_tip"], "absent": ["twitch_nose"]},
            ContradictionError,
        ),
        ({"age": 30, "sex": "female", "initial": ["twitch_nose"]}, ContradictionError),
        ({"age": 30, "sex": "female", "concerns": ["cancer"]}, UnknownIdError),
    ],
)
def test_bad_requests_raise_input_errors(kwargs: dict, error: type[InputError]) -> None:
    with pytest.raises(error):
        twitchcheck.assess(**kwargs)


def test_same_answer_every_time() -> None:
    args = {
        "age": 45,
        "sex": "other",
        "present": ["twitch_eyelid", "poor_sleep"],
        "absent": ["facial_droop"],
    }
    assert twitchcheck.assess(**args).model_dump() == twitchcheck.assess(**args).model_dump()


@st.composite
def shipped_case(draw: st.DrawFn) -> tuple:
    flag = draw(st.sampled_from(RED_FLAGS))
    pool = [f for f in ORDINARY if f != flag]
    chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=8))
    cut = draw(st.integers(0, len(chosen)))
    present = [f for f in chosen[:cut]]
    # at most one member of an exclusive group present
    seen = False
    kept = []
    for f in present:
        if f in EXCLUSIVE:
            if seen:
                continue
            seen = True
        kept.append(f)
    age = draw(st.integers(0, 120))
    sex = draw(st.sampled_from(["female", "male", "other", "unknown"]))
    return flag, kept, chosen[cut:], age, sex, draw(st.booleans())


def _safe(present: list[str], absent: list[str]) -> tuple[list[str], list[str]]:
    """Drop answers that closure would make contradictory (those are errors, tested elsewhere)."""
    try:
        CHECKER.request(age=30, sex="unknown", present=present, absent=absent)
    except ContradictionError as exc:
        bad = set(exc.ids)
        return [f for f in present if f not in bad], [f for f in absent if f not in bad]
    return present, absent


@given(shipped_case())
@settings(max_examples=200, deadline=None)
def test_a_red_flag_never_lowers_triage_on_the_shipped_kb(case: tuple) -> None:
    flag, present, absent, age, sex, was_absent = case
    present, absent = _safe(present, absent)
    try:
        before = CHECKER.assess(
            age=age, sex=sex, present=present, absent=[*absent, flag] if was_absent else absent
        )
        after = CHECKER.assess(age=age, sex=sex, present=[*present, flag], absent=absent)
    except ContradictionError:
        return  # the flag contradicts an answer through closure: a clear error, not a triage
    assert after.triage.level.value in {"emergency", "urgent", "soon", "routine", "self_care"}
    assert after.triage.level.rank >= before.triage.level.rank


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_each_red_flag_alone_is_never_self_care(flag: str) -> None:
    a = CHECKER.assess(age=40, sex="unknown", present=[flag])
    assert a.triage.level.value != "self_care"
    assert flag in {r.id for r in a.red_flags}


@st.composite
def any_case(draw: st.DrawFn) -> dict:
    """Any consistent request on the shipped KB, red flags included, with or without concerns."""
    ids = sorted(KB.finding_index)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=10))
    cut = draw(st.integers(0, len(chosen)))
    present, absent = _safe(chosen[:cut], chosen[cut:])
    group_seen: set[str] = set()
    kept = []
    for f in present:  # at most one member of each exclusive group present
        group = next((g.id for g in KB.structure.exclusive_groups if f in g.members), None)
        if group in group_seen:
            continue
        if group:
            group_seen.add(group)
        kept.append(f)
    present, absent = _safe(kept, absent)
    return {
        "age": draw(st.integers(0, 120)),
        "sex": draw(st.sampled_from(["female", "male", "other", "unknown"])),
        "present": present,
        "absent": absent,
        "initial": present[:1],
        "concerns": draw(st.sampled_from([[], ["als"]])),
    }


@given(any_case())
@settings(max_examples=150, deadline=None)
def test_assessment_data_is_exactly_the_models_json(case: dict) -> None:
    """The REST API sends ``assessment_data`` as it is, the Python API validates it into a model:
    both faces must give the same JSON, key order included, and orjson must read it back whole."""
    import orjson

    from twitchcheck import results

    data = CHECKER.assessment_data(CHECKER.request(**case))
    model = results.Assessment.model_validate(data)
    assert json.dumps(model.model_dump(mode="json")) == json.dumps(data)
    assert model == CHECKER.assess(**case)
    assert orjson.loads(orjson.dumps(data)) == json.loads(model.model_dump_json())


@given(any_case(), st.sampled_from(RED_FLAGS), st.booleans())
@settings(max_examples=100, deadline=None)
def test_one_red_flag_answer_triages_as_the_general_path(
    case: dict, flag: str, present: bool
) -> None:
    """With exactly one red-flag answer, the assessment reuses that answer's leave-one-out
    variant as the evidence without red flags: the triage must equal the general path's."""
    ordinary = [f for f in case["present"] if f not in CHECKER.red_flags]
    absent = [f for f in case["absent"] if f not in CHECKER.red_flags]
    present_ids, absent_ids = _safe(
        [*ordinary, flag] if present else ordinary, absent if present else [*absent, flag]
    )
    try:
        req = CHECKER.request(age=case["age"], sex=case["sex"], present=present_ids,
                              absent=absent_ids)  # fmt: skip
    except ContradictionError:
        return
    data = CHECKER.assessment_data(req)
    general = CHECKER.triage_for(req, CHECKER.priors(req.age, req.sex))
    assert data["triage"] == general


def test_ranking_breaks_ties_by_cause_id() -> None:
    import numpy as np

    rng = np.random.default_rng(2)
    ids = [c.id for c in KB.causes]
    for _ in range(50):
        marginals = rng.choice([0.0, 0.1, 0.5, 1.0, 0.25], size=len(ids))  # many ties
        expected = sorted(range(len(ids)), key=lambda j: (-marginals[j], ids[j]))
        assert CHECKER.ranking(marginals) == expected


def test_results_share_no_data_with_the_checker() -> None:
    """assessment_data hands out its own objects: changing one result changes no other."""
    req = CHECKER.request(age=40, sex="female", present=["twitch_nose", "facial_droop"])
    first = CHECKER.assessment_data(req)
    before = json.dumps(CHECKER.assessment_data(req))
    first["sources"][0]["title"] = "changed"
    first["triage"]["reasons"][0]["sources"][0]["url"] = "changed"
    first["causes"][0]["explanation"][0]["text"] = "changed"
    first["causes"][0]["sources"].append("changed")
    assert json.dumps(CHECKER.assessment_data(req)) == before


@given(any_case(), st.sampled_from([[], RED_FLAGS[:2], RED_FLAGS[-3:]]))
@settings(max_examples=150, deadline=None)
def test_rules_that_may_fire_leave_out_only_rules_that_cannot(case: dict, flags: list) -> None:
    """Triage checks only the rules a present finding could fire: with every rule instead,
    the decision is the same."""
    import numpy as np

    from twitchcheck.engine.triage import decide, rule_fires

    present, absent = _safe([*case["present"], *flags], case["absent"])
    try:
        req = CHECKER.request(age=case["age"], sex=case["sex"], present=present, absent=absent)
    except ContradictionError:
        return
    probabilities = np.linspace(0.0, 1.0, len(KB.causes))  # every urgency threshold crossed
    rules = CHECKER.model.rules
    fired = [r for r in rules if rule_fires(r, req.closed.present, req.age)]
    candidates = CHECKER.rules_that_may_fire(req.closed.present)
    assert all(r in candidates for r in fired)
    args = (CHECKER.model.causes, req.closed.present, req.age, probabilities)
    assert decide(candidates, *args) == decide(rules, *args)


def test_new_persistent_widespread_twitching_over_50_is_seen_within_weeks() -> None:
    """Rubric §9.4: over 50, new persistent (NHS: more than 2 weeks) widespread twitching needs an
    examination within weeks, even without weakness; under 50 or within 2 weeks it does not."""
    base = ["twitch_widespread", "twitch_limbs_or_trunk", "twitch_brief_seconds"]
    no = ["muscle_weakness", "muscle_wasting", "difficulty_swallowing"]
    for duration in ("duration_2_weeks_to_3_months", "duration_over_3_months"):
        older = twitchcheck.assess(age=55, sex="male", present=[*base, duration], absent=no)
        assert older.triage.level.rank >= TriageLevel.SOON.rank, duration
        younger = twitchcheck.assess(age=35, sex="male", present=[*base, duration], absent=no)
        assert "tc_widespread_persistent_over_50" not in {r.id for r in younger.triage.reasons}
    recent = twitchcheck.assess(
        age=55, sex="male", present=[*base, "duration_under_2_weeks"], absent=no
    )
    assert "tc_widespread_persistent_over_50" not in {r.id for r in recent.triage.reasons}
