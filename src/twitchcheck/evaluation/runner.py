"""Run vignettes through a checker (structured mode; interview mode arrives with the interview)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from twitchcheck.api import Checker
from twitchcheck.errors import EvaluationError, InputError
from twitchcheck.evaluation.metrics import CaseResult, summarise
from twitchcheck.evaluation.vignettes import Vignette, load_vignettes

MODES = ("structured",)


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
    results = []
    for i, v in enumerate(vignettes):
        try:
            results.append(run_structured(checker, v))
        except InputError as exc:
            raise EvaluationError(f"Vignette {v.id}: {exc.message}") from None
        if progress:
            progress(i + 1, len(vignettes))
    return summarise(mode, results)


def evaluate_file(
    checker: Checker, path: str | Path, mode: str = "structured"
) -> dict[str, object]:
    return evaluate(checker, load_vignettes(path), mode)
