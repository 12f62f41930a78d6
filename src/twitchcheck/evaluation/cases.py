"""One case's run as the metrics see it, and the simulated interview that the interview and
text_interview modes share (``runner`` and ``text_modes`` both call these)."""

from __future__ import annotations

from twitchcheck import results as r
from twitchcheck.api import Checker, evidence_sets
from twitchcheck.evaluation.metrics import CaseResult
from twitchcheck.evaluation.simulate import simulated_answer
from twitchcheck.evaluation.vignettes import Vignette

#: A hard stop for a simulated interview that would not end (it never should).
MAX_SIMULATED_SCREENS = 60


def case_result(
    vignette: Vignette,
    result: r.Assessment,
    questions: int | None = None,
    items: tuple[int, ...] | None = None,
) -> CaseResult:
    """What the metrics need of one case's assessment (every mode builds it here)."""
    return CaseResult(
        id=vignette.id,
        gold_causes=vignette.gold_causes,
        gold_triage=vignette.gold_triage,
        ranking=tuple(c.id for c in result.causes),
        probabilities={c.id: c.probability for c in result.causes},
        triage=result.triage.level.value,
        questions=questions,
        items=items,
    )


def interviewed(
    checker: Checker,
    vignette: Vignette,
    evidence: list[r.EvidenceItem],
    text: str | None = None,
) -> CaseResult:
    """Answer each screen from present/absent ("don't know" otherwise) until the interview
    stops, then assess what was answered (with ``text`` too, for the text_interview mode)."""
    age, sex = vignette.age, vignette.sex
    step = checker.next_question(age=age, sex=sex, evidence=evidence, text=text)
    items: list[int] = []  # how many items each answered screen showed
    for _ in range(MAX_SIMULATED_SCREENS):
        if step.should_stop or step.question is None:
            break
        items.append(len(step.question.items))
        answered = {e.id for e in evidence}
        evidence += [e for e in simulated_answer(step.question, vignette) if e.id not in answered]
        step = checker.next_question(age=age, sex=sex, evidence=evidence, text=text)
    present, absent, _unknown, initial = evidence_sets(evidence)
    result = checker.assess(
        age=age, sex=sex, present=present, absent=absent, initial=initial, text=text
    )
    return case_result(vignette, result, step.progress.answered, tuple(items))
