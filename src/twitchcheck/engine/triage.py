"""Deterministic triage: red-flag and time-course rules, plus the causes' own urgency.

The level is the most urgent of
  1. every KB rule that fires (red-flag findings alone, combinations, time courses), and
  2. every cause whose posterior reaches its ``urgency_threshold``.

Safety property (tested with hypothesis): marking a red-flag finding present never lowers the
level, and the order of the evidence never matters. Rules look only at present findings and age,
so more present findings can only fire more rules. The causes' part is computed from the evidence
*without any red-flag finding* (present or absent), so a red flag cannot lower it by explaining
a serious cause away; each red flag instead carries its own rule (a KB completeness test checks
that every red-flag finding has one).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from twitchcheck.domain import TriageLevel
from twitchcheck.engine.model import CauseUrgency, TriageRule

ReasonKind = Literal["rule", "cause", "time_course"]


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    id: str
    level: TriageLevel
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    reasons: tuple[Reason, ...]  # the reasons at the final level first, then the others


def rule_fires(rule: TriageRule, present: Collection[str], age: int) -> bool:
    if rule.age_min is not None and age < rule.age_min:
        return False
    if rule.age_max is not None and age >= rule.age_max:
        return False
    given = present if isinstance(present, frozenset | set) else frozenset(present)
    # Set operations in C: every rule is checked on every assessment.
    return given.issuperset(rule.all_of) and (not rule.any_of or not given.isdisjoint(rule.any_of))


def decide(
    rules: Sequence[TriageRule],
    causes: Sequence[CauseUrgency],
    present: Collection[str],
    age: int,
    cause_probabilities: Sequence[float] | npt.NDArray[np.float64],
) -> TriageDecision:
    """Combine rules and cause urgencies into one level with its reasons.

    ``cause_probabilities`` are the posteriors from the evidence with red-flag findings removed
    (see the module docstring), in the order of ``causes``.
    """
    reasons: list[Reason] = []
    present = frozenset(present)  # once, not once per rule
    for rule in rules:
        if rule_fires(rule, present, age):
            kind: ReasonKind = "time_course" if rule.kind == "time_course" else "rule"
            reasons.append(Reason(kind, rule.id, rule.level, rule.text, rule.sources))
    if isinstance(cause_probabilities, np.ndarray):
        # One conversion, rather than a NumPy scalar per comparison.
        cause_probabilities = cause_probabilities.tolist()
    for cause, p in zip(causes, cause_probabilities, strict=True):
        if p >= cause.threshold and cause.urgency is not TriageLevel.SELF_CARE:
            text = (
                f"{cause.name} is likely enough ({p:.0%}, at or above {cause.threshold:.0%}) "
                f"that it needs its own level of care: {cause.when_to_seek_care}"
            )
            reasons.append(Reason("cause", cause.id, cause.urgency, text, cause.sources))
    level = TriageLevel.most_urgent([r.level for r in reasons])
    # Most urgent first; ties keep a fixed order (rules in KB order, then causes) so the output
    # never depends on the order the evidence came in.
    ordered = sorted(reasons, key=lambda r: -r.level.rank)
    return TriageDecision(level, tuple(ordered))
