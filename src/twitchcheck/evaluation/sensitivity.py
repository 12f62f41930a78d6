"""Which numbers of the KB move the dev-split metrics most (issue 16 §1, ``kb audit``).

Each prior, leak and link in turn is multiplied by each factor *in odds* (p -> odds x f, back to
a probability), the cases are assessed again with all their findings at once (structured mode),
and the change in top-3 and in exact triage is recorded. The parameters with the largest change
are the numbers most worth a better source.

Only parameters that can change an answer are tried, which is exact, not an approximation: in
the noisy-OR model a finding that no case reports (present or absent, after closure) is summed
out, so its leak and its links change no posterior. Every prior is tried.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from twitchcheck.api import Checker
from twitchcheck.evaluation.runner import run_structured
from twitchcheck.evaluation.vignettes import Vignette
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.kb.schema import Provenance

FACTORS: tuple[float, ...] = (2.0, 0.5)
# Keep a scaled probability strictly inside (0, 1): the model refuses 0 and 1.
_EDGE = 1e-6


@dataclass(frozen=True)
class Parameter:
    kind: str  # "prior", "leak" or "link"
    cause: str | None
    finding: str | None
    value: float
    provenance: str  # "sourced: a, b" or "estimated: ..." / "fitted: ..."

    @property
    def name(self) -> str:
        if self.kind == "prior":
            return f"prior {self.cause}"
        if self.kind == "leak":
            return f"leak {self.finding}"
        return f"link {self.cause}->{self.finding}"


@dataclass(frozen=True)
class Influence:
    parameter: Parameter
    #: factor -> (change in top-3 hits, change in exact triage), in cases.
    deltas: dict[float, tuple[int, int]]

    @property
    def score(self) -> int:
        """Cases whose top-3 or triage result changed, summed over the factors."""
        return sum(abs(t) + abs(g) for t, g in self.deltas.values())


@dataclass(frozen=True)
class SensitivityReport:
    cases: int
    baseline: tuple[int, int]  # top-3 hits, exact triage
    tried: int
    #: Numbers not tried: no case reports their finding (exact), or beyond ``limit``.
    unreported: int
    beyond_limit: int
    seconds: float
    factors: tuple[float, ...]
    ranked: tuple[Influence, ...]

    def to_json(self, top: int) -> dict[str, Any]:
        n = self.cases or 1
        return {
            "cases": self.cases,
            "factors_in_odds": list(self.factors),
            "baseline": {
                "top3": round(self.baseline[0] / n, 6),
                "triage_exact": round(self.baseline[1] / n, 6),
            },
            "parameters_tried": self.tried,
            "parameters_unreported": self.unreported,
            "parameters_beyond_limit": self.beyond_limit,
            "seconds": round(self.seconds, 2),
            "most_influential": [
                {
                    "parameter": i.parameter.name,
                    "kind": i.parameter.kind,
                    "value": i.parameter.value,
                    "provenance": i.parameter.provenance,
                    "cases_changed": i.score,
                    "changes": {
                        f"x{f:g}": {"top3": t / n, "triage_exact": g / n}
                        for f, (t, g) in i.deltas.items()
                    },
                }
                for i in self.ranked[:top]
            ],
        }


def scale_odds(p: float, factor: float) -> float:
    odds = p / (1.0 - p) * factor
    return min(max(odds / (1.0 + odds), _EDGE), 1.0 - _EDGE)


def _provenance(p: Provenance) -> str:
    if p.estimate is not None:
        text = p.estimate.strip()
        labelled = text.startswith(("estimated:", "fitted:"))
        return text if labelled else f"estimated: {text}"
    return "sourced: " + ", ".join(p.sources)


def parameters(kb: KnowledgeBase, evidence: set[str]) -> tuple[list[Parameter], int]:
    """Every prior; the leaks and links of findings some case reports. Returns (tried, skipped)."""
    out = [Parameter("prior", c.id, None, c.prior.value, _provenance(c.prior)) for c in kb.causes]
    skipped = 0
    for f in kb.findings:
        if f.id in evidence:
            out.append(Parameter("leak", None, f.id, f.leak.value, _provenance(f.leak)))
        else:
            skipped += 1
    for link in kb.links:
        if link.finding in evidence:
            out.append(Parameter("link", link.cause, link.finding, link.p, _provenance(link)))
        else:
            skipped += 1
    return out, skipped


def perturbed(kb: KnowledgeBase, param: Parameter, factor: float) -> KnowledgeBase:
    """A copy of ``kb`` with one number scaled in odds (no re-validation: only that number moves
    and it stays inside (0, 1))."""
    if param.kind == "prior":
        i = kb.cause_index[str(param.cause)]
        cause = kb.causes[i]
        prior = cause.prior.model_copy(update={"value": scale_odds(cause.prior.value, factor)})
        causes = (*kb.causes[:i], cause.model_copy(update={"prior": prior}), *kb.causes[i + 1 :])
        return dataclasses.replace(kb, causes=causes)
    j = kb.finding_index[str(param.finding)]
    if param.kind == "leak":
        leaks = kb.leaks.copy()
        leaks[j] = scale_odds(float(leaks[j]), factor)
        leaks.setflags(write=False)
        return dataclasses.replace(kb, leaks=leaks)
    i = kb.cause_index[str(param.cause)]
    matrix = kb.link_matrix.copy()
    matrix[i, j] = scale_odds(float(matrix[i, j]), factor)
    matrix.setflags(write=False)
    return dataclasses.replace(kb, link_matrix=matrix)


def _hits(kb: KnowledgeBase, cases: Sequence[Vignette]) -> list[tuple[bool, bool]]:
    """Per case: (the primary gold cause is in the top 3, the triage is exact)."""
    checker = Checker(kb)
    out = []
    for v in cases:
        r = run_structured(checker, v)
        out.append((r.gold_causes[0] in r.ranking[:3], r.triage == r.gold_triage))
    return out


def case_evidence(kb: KnowledgeBase, cases: Sequence[Vignette]) -> list[frozenset[str]]:
    """Per case, every finding it reports present or absent, after closure."""
    checker = Checker(kb)
    out = []
    for v in cases:
        req = checker.request(age=v.age, sex=v.sex, present=v.present, absent=v.absent)
        out.append(req.closed.present | req.closed.absent)
    return out


def sensitivity(
    kb: KnowledgeBase,
    cases: Sequence[Vignette],
    factors: Sequence[float] = FACTORS,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityReport:
    """Scale each parameter in turn by each factor (in odds) and re-score ``cases``.

    ``limit`` tries only the first ``limit`` parameters (priors first, then leaks, then links),
    for a quick look; the report says how many were tried."""
    start = time.perf_counter()
    evidence = case_evidence(kb, cases)
    params, unreported = parameters(kb, set().union(*evidence) if evidence else set())
    beyond = max(0, len(params) - limit) if limit is not None else 0
    params = params[: len(params) - beyond]
    base = _hits(kb, cases)
    influences = []
    for k, param in enumerate(params):
        # A leak or link reaches only the cases that report its finding (the rest sum it out):
        # re-scoring just those gives the same answer, many times faster.
        idx = [i for i, ev in enumerate(evidence) if param.finding is None or param.finding in ev]
        subset = [cases[i] for i in idx]
        deltas = {}
        for f in factors:
            new = _hits(perturbed(kb, param, f), subset)
            deltas[f] = (
                sum(int(a[0]) - int(base[i][0]) for a, i in zip(new, idx, strict=True)),
                sum(int(a[1]) - int(base[i][1]) for a, i in zip(new, idx, strict=True)),
            )
        influences.append(Influence(param, deltas))
        if progress:
            progress(k + 1, len(params))
    ranked = sorted(influences, key=lambda i: (-i.score, i.parameter.name))
    return SensitivityReport(
        cases=len(cases),
        baseline=(sum(a for a, _ in base), sum(b for _, b in base)),
        tried=len(params),
        unreported=unreported,
        beyond_limit=beyond,
        seconds=time.perf_counter() - start,
        factors=tuple(factors),
        ranked=tuple(ranked),
    )
