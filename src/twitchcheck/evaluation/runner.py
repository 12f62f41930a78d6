"""Run vignettes through a checker: all findings at once, or as a simulated interview."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from twitchcheck import results as r
from twitchcheck.api import Checker
from twitchcheck.domain import Choice
from twitchcheck.errors import EvaluationError, InputError
from twitchcheck.evaluation.cases import case_result, interviewed
from twitchcheck.evaluation.metrics import CaseResult, summarise
from twitchcheck.evaluation.vignettes import Vignette

MODES = ("structured", "interview", "text", "text_interview")


def run_structured(checker: Checker, vignette: Vignette) -> CaseResult:
    """Give the engine every present and absent finding at once."""
    result = checker.assess(
        age=vignette.age,
        sex=vignette.sex,
        present=vignette.present,
        absent=vignette.absent,
        initial=vignette.initial,
    )
    return case_result(vignette, result)


def run_interview(checker: Checker, vignette: Vignette) -> CaseResult:
    """Start from ``initial``; answer each screen from present/absent, "don't know" otherwise."""
    evidence = [r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True) for f in vignette.initial]
    return interviewed(checker, vignette, evidence)


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
