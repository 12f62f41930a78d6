"""Run vignettes through a checker: all findings at once, or as a simulated interview."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from twitchcheck import results as r
from twitchcheck.api import Checker, evidence_sets
from twitchcheck.domain import Choice
from twitchcheck.errors import EvaluationError, InputError
from twitchcheck.evaluation.metrics import CaseResult, summarise
from twitchcheck.evaluation.simulate import simulated_answer
from twitchcheck.evaluation.vignettes import Vignette

MODES = ("structured", "interview", "text", "text_interview")
#: A hard stop for a simulated interview that would not end (it never should).
MAX_SIMULATED_SCREENS = 60


def run_structured(checker: Checker, vignette: Vignette) -> CaseResult:
    """Give the engine every present and absent finding at once."""
    result = checker.assess(
        age=vignette.age,
        sex=vignette.sex,
        present=vignette.present,
        absent=vignette.absent,
        initial=vignette.initial,
    )
    ranking = tuple(c.id for c in result.causes)
    return CaseResult(
        id=vignette.id,
        gold_causes=vignette.gold_causes,
        gold_triage=vignette.gold_triage,
        ranking=ranking,
        probabilities={c.id: c.probability for c in result.causes},
        triage=result.triage.level.value,
    )


def run_interview(checker: Checker, vignette: Vignette) -> CaseResult:
    """Start from ``initial``; answer each screen from present/absent, "don't know" otherwise."""
    evidence = [r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True) for f in vignette.initial]
    step = checker.next_question(age=vignette.age, sex=vignette.sex, evidence=evidence)
    items: list[int] = []  # how many items each answered screen showed
    for _ in range(MAX_SIMULATED_SCREENS):
        if step.should_stop or step.question is None:
            break
        items.append(len(step.question.items))
        answered = {e.id for e in evidence}
        evidence += [e for e in simulated_answer(step.question, vignette) if e.id not in answered]
        step = checker.next_question(age=vignette.age, sex=vignette.sex, evidence=evidence)
    present, absent, _unknown, initial = evidence_sets(evidence)
    result = checker.assess(
        age=vignette.age, sex=vignette.sex, present=present, absent=absent, initial=initial
    )
    return CaseResult(
        id=vignette.id,
        gold_causes=vignette.gold_causes,
        gold_triage=vignette.gold_triage,
        ranking=tuple(c.id for c in result.causes),
        probabilities={c.id: c.probability for c in result.causes},
        triage=result.triage.level.value,
        questions=step.progress.answered,
        items=tuple(items),
    )


def evaluate(
    checker: Checker,
    vignettes: Sequence[Vignette],
    mode: str = "structured",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    if mode not in MODES:
        raise EvaluationError(f"Unknown mode '{mode}'; choose one of: {', '.join(MODES)}.")
    for v in vignettes:
        for cause in v.gold_causes:
            if cause not in checker.kb.cause_index:
                raise EvaluationError(f"Vignette {v.id}: unknown gold cause id '{cause}'.")
    from twitchcheck.evaluation import text_modes

    runs = {
        "structured": run_structured,
        "interview": run_interview,
        "text": text_modes.run_text,
        "text_interview": text_modes.run_text_interview,
    }
    text_mode = mode.startswith("text")
    results = []
    records = []
    for i, v in enumerate(vignettes):
        try:
            results.append(runs[mode](checker, v))
            if text_mode:
                records.append(text_modes.parse_record(checker, v))
        except InputError as exc:
            raise EvaluationError(f"Vignette {v.id}: {exc.message}") from None
        if progress:
            progress(i + 1, len(vignettes))
    report = summarise(mode, results)
    if text_mode:
        parse = text_modes.parse_metrics(records, checker.red_flags)
        ci = parse.pop("ci95")
        assert isinstance(ci, dict) and isinstance(report["ci95"], dict)
        report.update(parse)
        report["ci95"].update(ci)
    return report
