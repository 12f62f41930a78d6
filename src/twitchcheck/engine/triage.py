"""Deterministic triage: red-flag and time-course rules, plus the causes' own urgency.

The level is the most urgent of
  1. every KB rule that fires (red-flag findings alone, combinations, time courses) and does not
     stand down, and
  2. every cause whose posterior reaches its ``urgency_threshold``.

A rule stands down (contracts §6; docs/triage.md) only when it declares a ``stand_down`` (the
KB's validation allows that on ``soon`` and ``routine`` rules without red-flag findings only),
one of its triggers is present, and its guarded causes' posteriors sum to less than its ``below``
— posteriors from the same red-flag-free evidence as the causes' part, so a red flag cannot make
a rule stand down either.

Safety property (tested with hypothesis): marking a red-flag finding present never lowers the
level, and the order of the evidence never matters. Rules look only at present findings and age,
so more present findings can only fire more rules. The causes' part is computed from the evidence
*without any red-flag finding* (present or absent), so a red flag cannot lower it by explaining
a serious cause away; each red flag instead carries its own rule (a KB completeness test checks
that every red-flag finding has one). Standing down keeps this: a red flag is never a trigger
(the KB's validation and :class:`~twitchcheck.engine.model.EngineModel` refuse it) and the
guarded sum ignores red flags, so a red flag changes no rule's standing down.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
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
class StoodDown:
    """A rule that fired but stood down: what it would have given and why it did not."""

    rule: str
    level: TriageLevel  # the level the rule would have given
    text: str
    sources: tuple[str, ...]
    triggers: tuple[str, ...]  # its triggers that are present, in the rule's order
    guards: tuple[str, ...]
    guarded: float  # the guarded causes' summed posterior (red-flag-free evidence)
    below: float


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    reasons: tuple[Reason, ...]  # the reasons at the final level first, then the others
    #: Rules that fired but stood down, in rule order; they give no level.
    stood_down: tuple[StoodDown, ...] = ()


#: The only levels a rule may stand down from (contracts §6).
STAND_DOWN_LEVELS = frozenset({TriageLevel.SOON, TriageLevel.ROUTINE})


def rule_fires(rule: TriageRule, present: Collection[str], age: int) -> bool:
    if rule.age_min is not None and age < rule.age_min:
        return False
    if rule.age_max is not None and age >= rule.age_max:
        return False
    given = present if isinstance(present, frozenset | set) else frozenset(present)
    # Set operations in C: every rule is checked on every assessment.
    return given.issuperset(rule.all_of) and (not rule.any_of or not given.isdisjoint(rule.any_of))


def stands_down(
    rule: TriageRule, present: Collection[str], probability: Mapping[str, float]
) -> StoodDown | None:
    """Whether the (firing) ``rule`` stands down on ``present``, with ``probability`` the
    red-flag-free posterior of each cause by id; None when it does not."""
    sd = rule.stand_down
    if sd is None or rule.level not in STAND_DOWN_LEVELS or rule.kind == "red_flag":
        return None
    triggers = tuple(t for t in sd.triggers if t in present)
    if not triggers:
        return None
    guarded = math.fsum(probability[c] for c in sd.guards)
    if not guarded < sd.below:
        return None
    return StoodDown(
        rule.id, rule.level, rule.text, rule.sources, triggers, sd.guards, guarded, sd.below
    )


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
    stood_down: list[StoodDown] = []
    present = frozenset(present)  # once, not once per rule
    if isinstance(cause_probabilities, np.ndarray):
        # One conversion, rather than a NumPy scalar per comparison.
        cause_probabilities = cause_probabilities.tolist()
    probability: dict[str, float] | None = None  # by cause id, built only when a rule needs it
    for rule in rules:
        if not rule_fires(rule, present, age):
            continue
        if rule.stand_down is not None:
            if probability is None:
                probability = dict(zip((c.id for c in causes), cause_probabilities, strict=True))
            down = stands_down(rule, present, probability)
            if down is not None:
                stood_down.append(down)
                continue
        kind: ReasonKind = "time_course" if rule.kind == "time_course" else "rule"
        reasons.append(Reason(kind, rule.id, rule.level, rule.text, rule.sources))
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
    return TriageDecision(level, tuple(ordered), tuple(stood_down))
