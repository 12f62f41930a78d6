"""How much a prior fit helps: before and after on the fitting split, and cross-validated.

The before/after numbers are measured on the cases the fit saw, so they flatter it. The
cross-validation fits on all folds but one and measures on the held-out fold, pooled over the
folds: the gain that survives on cases the fit did not see (docs/fitting.md).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from twitchcheck.api import Checker
from twitchcheck.evaluation.fit import DEFAULT_STRENGTH, fit_priors, fitted_kb
from twitchcheck.evaluation.metrics import CaseResult, summarise
from twitchcheck.evaluation.runner import evaluate, run_structured
from twitchcheck.evaluation.vignettes import Vignette
from twitchcheck.kb.fitted import unfitted
from twitchcheck.kb.model import KnowledgeBase

#: The numbers the fit report shows, from the evaluation report (metrics.summarise).
HEADLINE = (
    "top1",
    "top3",
    "any_gold_top3",
    "triage_exact",
    "under_triage",
    "over_triage",
    "ece",
    "brier",
)
DEFAULT_FOLDS = 5


def headline(report: dict[str, Any]) -> dict[str, float]:
    """The headline numbers of an evaluation report, with the self-care level's exact rate."""
    out = {k: float(report[k]) for k in HEADLINE}
    out["self_care_exact"] = float(report["by_level"]["self_care"]["triage_exact"])
    return out


def folds(vignettes: Sequence[Vignette], k: int) -> list[list[Vignette]]:
    """``k`` folds, dealt round-robin in case-id order: deterministic, and each fold a spread of
    the split rather than a block of neighbouring (often similar) cases."""
    if not 2 <= k <= len(vignettes):
        raise ValueError(f"need 2 <= folds <= {len(vignettes)} cases, not {k}")
    ordered = sorted(vignettes, key=lambda v: v.id)
    return [ordered[i::k] for i in range(k)]


def before_after(
    kb: KnowledgeBase,
    fitted: KnowledgeBase,
    vignettes: Sequence[Vignette],
    modes: Sequence[str] = ("structured", "interview"),
) -> dict[str, dict[str, dict[str, float]]]:
    """Headline numbers of the unfitted and the fitted KB on ``vignettes``, per mode."""
    before, after = Checker(unfitted(kb)), Checker(fitted)
    return {
        mode: {
            "before": headline(evaluate(before, vignettes, mode)),
            "after": headline(evaluate(after, vignettes, mode)),
        }
        for mode in modes
    }


def cross_validate(
    kb: KnowledgeBase,
    vignettes: Sequence[Vignette],
    strength: float = DEFAULT_STRENGTH,
    k: int = DEFAULT_FOLDS,
    categories: Collection[str] = (),
) -> dict[str, Any]:
    """Structured mode, ``k``-fold: each fold scored by the KB fitted on the other folds."""
    base = Checker(unfitted(kb))
    held_out: list[CaseResult] = []
    unfitted_results: list[CaseResult] = []
    for i, fold in enumerate(folds(vignettes, k)):
        train = [v for j, f in enumerate(folds(vignettes, k)) if j != i for v in f]
        checker = Checker(fitted_kb(kb, fit_priors(kb, train, strength, categories)))
        held_out += [run_structured(checker, v) for v in fold]
        unfitted_results += [run_structured(base, v) for v in fold]
    return {
        "folds": k,
        "strength": strength,
        "unfitted": headline(summarise("structured", unfitted_results)),
        "fitted_held_out": headline(summarise("structured", held_out)),
    }
