"""The interview: safety screen first, exact gains, a stop rule, answers of every type."""

from __future__ import annotations

import pytest

from twitchcheck import results as r
from twitchcheck.api import Checker, default_checker
from twitchcheck.domain import DEFAULT_MAX_QUESTIONS, Choice
from twitchcheck.engine import interview
from twitchcheck.engine.numeric import entropy
from twitchcheck.errors import ContradictionError, UnknownIdError
from twitchcheck.kb.generate import generate_kb

CHECKER = default_checker()


def item(fid: str, choice: str = "present", initial: bool = False) -> r.EvidenceItem:
    return r.EvidenceItem(id=fid, choice=Choice(choice), initial=initial)


def answer_all_no(step: r.InterviewStep) -> list[r.EvidenceItem]:
    assert step.question is not None
    return [item(i.id, "absent") for i in step.question.items]


def test_first_question_is_the_safety_screen() -> None:
    step = CHECKER.next_question(age=30, sex="female", evidence=[item("twitch_nose", initial=True)])
    assert step.question is not None
    assert step.question.id == interview.SAFETY_SCREEN_ID
    assert step.question.type == "group_multiple"
    ids = {i.id for i in step.question.items}
    assert {"facial_droop", "sudden_speech_difficulty", "breathing_difficulty"} <= ids
    # The general finding is on the screen; the specific one that implies it is a follow-up
    # (issue 15: "trouble swallowing?" first, "did it come on suddenly?" after a yes).
    assert {"difficulty_swallowing", "vision_problems", "muscle_weakness"} <= ids
    assert not ids & {
        "breathless_at_rest",
        "sudden_swallowing_difficulty",
        "sudden_vision_problems",
    }
    assert not step.should_stop and step.progress.answered == 0
    assert step.question.rationale


def test_a_screen_answer_can_never_contradict_itself() -> None:
    """Choosing one item and leaving the rest unticked must be valid on every screen."""
    for unit in CHECKER.units:
        if unit.type != "group_multiple":
            continue
        for chosen in unit.items:
            present = [chosen]
            absent = [i for i in unit.items if i != chosen]
            CHECKER.request(age=40, sex="unknown", present=present, absent=absent)  # no error


def test_implied_urgent_findings_are_still_asked_before_stopping() -> None:
    evidence = [item("twitch_nose", initial=True)]
    asked: set[str] = set()
    for _ in range(40):
        step = CHECKER.next_question(age=30, sex="male", evidence=evidence)
        if step.should_stop:
            break
        assert step.question is not None
        asked.update(i.id for i in step.question.items)
        evidence += [item(i.id, "absent") for i in step.question.items]
    assert "breathing_difficulty" in asked


def test_interview_never_stops_before_the_safety_screen() -> None:
    step = CHECKER.next_question(
        age=30, sex="female", evidence=[item("twitch_nose", initial=True)], max_questions=1
    )
    assert not step.should_stop  # even with a budget of one, the screen comes first


def test_a_whole_interview_ends_with_a_ranking_and_counts_screens() -> None:
    evidence = [item("twitch_nose", initial=True)]
    seen: list[str] = []
    for _ in range(40):
        step = CHECKER.next_question(age=30, sex="male", evidence=evidence)
        if step.should_stop:
            break
        assert step.question is not None
        assert step.question.id not in seen  # never the same screen twice
        seen.append(step.question.id)
        evidence += (
            answer_all_no(step)
            if step.question.type != "single"
            else [item(step.question.items[0].id, "unknown")]
        )
    assert step.should_stop and step.stop_reason
    assert step.progress.answered == len(seen) <= DEFAULT_MAX_QUESTIONS + 5
    assert [c.probability for c in step.causes] == sorted(
        (c.probability for c in step.causes), reverse=True
    )


def test_gains_are_exact_expectations() -> None:
    """The gain of a single question, recomputed by hand from two inferences."""
    priors = CHECKER.priors(30, CHECKER.request(age=30, sex="male").sex)
    present = ["twitch_nose"]
    units = [
        u
        for u in CHECKER.units
        if u.type == "single" and u.id in ("high_caffeine_intake", "muscle_weakness")
    ]
    gains = interview.gains(CHECKER.model, priors, present, [], units)
    for unit in units:
        now = CHECKER.infer(priors, present, [])
        yes = CHECKER.infer(priors, [*present, unit.id], [])
        no = CHECKER.infer(priors, present, [unit.id])
        import numpy as np

        p_yes = float(np.exp(yes.log_evidence - now.log_evidence))
        expected = p_yes * entropy(yes.marginals) + (1 - p_yes) * entropy(no.marginals)
        assert gains[unit.id][0] == pytest.approx(
            float(entropy(now.marginals) - expected), abs=1e-9
        )


def test_group_single_answer_sets_siblings_absent() -> None:
    evidence = [item("twitch_nose", initial=True), item("duration_over_3_months")]
    req = CHECKER.request(age=30, sex="male", present=["twitch_nose", "duration_over_3_months"])
    assert {"duration_under_2_weeks", "duration_2_weeks_to_3_months"} <= req.closed.absent
    step = CHECKER.next_question(age=30, sex="male", evidence=evidence)
    assert step.question is None or step.question.id != "duration"


def test_unknown_answers_are_not_evidence_but_are_not_asked_again() -> None:
    base = [item("twitch_nose", initial=True)]
    step = CHECKER.next_question(age=30, sex="male", evidence=base)
    assert step.question is not None
    dont_know = [item(i.id, "unknown") for i in step.question.items]
    after = CHECKER.next_question(age=30, sex="male", evidence=base + dont_know)
    assert after.question is None or after.question.id != step.question.id
    assert [c.probability for c in after.causes] == [c.probability for c in step.causes]


def test_bad_interview_evidence() -> None:
    with pytest.raises(UnknownIdError):
        CHECKER.next_question(age=30, sex="male", evidence=[item("nose_twitch")])
    with pytest.raises(ContradictionError):
        CHECKER.next_question(
            age=30, sex="male", evidence=[item("twitch_nose"), item("twitch_nose", "unknown")]
        )


def test_interview_runs_on_a_generated_kb() -> None:
    ch = Checker(generate_kb(10, 25, seed=4))
    evidence = [item(ch.kb.findings[0].id, initial=True)]
    for _ in range(30):
        step = ch.next_question(age=50, sex="unknown", evidence=evidence)
        if step.should_stop:
            break
        assert step.question is not None
        evidence += [item(i.id, "absent") for i in step.question.items]
    assert step.should_stop


def test_approximate_gains_are_exact_with_one_cause_per_finding() -> None:
    """With no positive evidence coupling the causes, the closed form is the exact gain."""
    import numpy as np

    from twitchcheck.engine.inference import NoisyOrNetwork, lookahead

    links = np.array([[0.8, 0.3, 0.0], [0.0, 0.6, 0.9]])
    net = NoisyOrNetwork(np.array([0.2, 0.05]), np.array([0.01, 0.02, 0.03]), links)
    look = lookahead(net, [], [], [0, 1, 2])
    h = entropy(look.current.marginals)
    exact = h - (
        look.p_present * entropy(look.if_present) + (1 - look.p_present) * entropy(look.if_absent)
    )
    approx = interview.approximate_gains(net, look.current.marginals, [0, 1, 2])
    # With no positive findings yet the causes are independent, so it is exact for every finding,
    # whatever its number of causes.
    np.testing.assert_allclose(approx, exact, atol=1e-12)


def test_pruned_gains_keep_only_the_best_ranked_candidates() -> None:
    ch = Checker(generate_kb(12, 40, seed=2))
    priors = ch.priors(50, ch.request(age=50, sex="unknown").sex)
    present = [ch.kb.findings[0].id]
    units = [u for u in ch.units if u.type == "single" and u.id not in present]
    full = interview.gains(ch.model, priors, present, [], units)
    pruned = interview.gains(ch.model, priors, present, [], units, prune_above=5, keep=3)
    assert len(pruned) == 3 and len(full) == len(units)
    for unit_id, gain in pruned.items():
        assert gain[0] == pytest.approx(full[unit_id][0], abs=1e-12)  # exact gains for those kept


# ---- the safety screen's follow-ups (issue 15) ----------------------------------------------

#: (general finding on the safety screen, its follow-up, level with the general one alone,
#: level once the follow-up is yes): clinical_notes §1b.
FOLLOW_UPS = [
    ("difficulty_swallowing", "sudden_swallowing_difficulty", "urgent", "emergency"),
    ("vision_problems", "sudden_vision_problems", "urgent", "emergency"),
    ("poor_balance_coordination", "sudden_loss_of_balance", "soon", "emergency"),
    ("muscle_weakness", "rapidly_worsening_weakness", "routine", "emergency"),
    ("breathing_difficulty", "breathless_at_rest", "urgent", "emergency"),
]


def _screen_answered(chosen: str) -> list[r.EvidenceItem]:
    """A person with a nose twitch who ticks only ``chosen`` on the safety screen."""
    first = CHECKER.next_question(
        age=45, sex="female", evidence=[item("twitch_nose", initial=True)]
    )
    assert first.question is not None and first.question.id == interview.SAFETY_SCREEN_ID
    return [item("twitch_nose", initial=True)] + [
        item(i.id, "present" if i.id == chosen else "absent") for i in first.question.items
    ]


def test_no_screen_ever_holds_a_finding_with_its_implied_parent() -> None:
    generated = Checker(generate_kb(n_causes=6, n_findings=24, seed=3))
    for checker in (CHECKER, generated):
        pairs = {(i.if_, i.then) for i in checker.kb.structure.implications}
        for unit in checker.units:
            if unit.type == "group_multiple":
                items = set(unit.items)
                assert not {(c, p) for c, p in pairs if c in items and p in items}, unit.id


@pytest.mark.parametrize(("general", "follow_up", "before", "after"), FOLLOW_UPS)
def test_a_yes_on_the_safety_screen_brings_its_follow_up_which_can_raise_the_level(
    general: str, follow_up: str, before: str, after: str
) -> None:
    evidence = _screen_answered(general)
    step = CHECKER.next_question(age=45, sex="female", evidence=evidence)
    assert step.question is not None
    assert [i.id for i in step.question.items] == [follow_up]
    assert step.question.type == "single" and "first screen" in step.question.rationale
    assert step.triage.level.value == before
    yes = CHECKER.next_question(age=45, sex="female", evidence=[*evidence, item(follow_up)])
    assert yes.triage.level.value == after
    no = CHECKER.next_question(
        age=45, sex="female", evidence=[*evidence, item(follow_up, "absent")]
    )
    assert no.triage.level.value == before
    assert no.question is None or no.question.items[0].id != follow_up


def test_no_follow_up_after_a_no_and_its_finding_is_then_absent() -> None:
    evidence = _screen_answered("facial_droop")
    step = CHECKER.next_question(age=45, sex="female", evidence=evidence)
    follow_ups = {f for _, f, _, _ in FOLLOW_UPS} | {"breathless_lying_flat"}
    assert step.question is not None and step.question.items[0].id not in follow_ups
    closed = CHECKER.request(
        age=45,
        sex="female",
        present=[e.id for e in evidence if e.choice == "present"],
        absent=[e.id for e in evidence if e.choice == "absent"],
    ).closed
    assert follow_ups <= set(closed.absent)


def test_a_follow_up_of_a_dont_know_is_still_asked_before_the_interview_stops() -> None:
    first = CHECKER.next_question(age=45, sex="male", evidence=[item("twitch_nose", initial=True)])
    assert first.question is not None
    evidence = [item("twitch_nose", initial=True)] + [
        item(i.id, "unknown" if i.id == "vision_problems" else "absent")
        for i in first.question.items
    ]
    asked: list[str] = []
    for _ in range(40):
        step = CHECKER.next_question(age=45, sex="male", evidence=evidence)
        if step.should_stop:
            break
        assert step.question is not None
        asked += [i.id for i in step.question.items]
        evidence += [item(i.id, "unknown") for i in step.question.items]
    assert "sudden_vision_problems" in asked
