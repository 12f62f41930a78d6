"""The engine's own model of a knowledge base: small, immutable, and free of the KB's schema.

The facade compiles a knowledge base into an :class:`EngineModel` once
(:func:`twitchcheck.facade.compile.compile_kb`); triage, evidence closure and the interview's
question scoring read only this model, so the engine never imports ``twitchcheck.kb``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from twitchcheck.domain import RED_FLAG_LEVELS, TriageLevel
from twitchcheck.engine.inference import NoisyOrNetwork

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
RuleKind = Literal["red_flag", "combination", "time_course"]
QuestionType = Literal["single", "group_single", "group_multiple"]


@dataclass(frozen=True, slots=True)
class StandDown:
    """When a firing ``soon`` or ``routine`` rule stands down (contracts §6): one of ``triggers``
    (self-limiting explanations such as caffeine) is present AND the ``guards`` (the causes that
    need care behind the rule) together have a posterior below ``below``."""

    guards: tuple[str, ...]  # cause ids
    triggers: tuple[str, ...]  # finding ids
    below: float


@dataclass(frozen=True, slots=True)
class TriageRule:
    """Fires when every ``all_of`` finding is present, at least one ``any_of`` finding is
    present (when given) and the age lies in [age_min, age_max). With ``stand_down`` it may
    stand down (see :class:`StandDown`); the KB's validation keeps that to non-red-flag rules."""

    id: str
    kind: RuleKind
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    age_min: int | None
    age_max: int | None
    level: TriageLevel
    text: str
    sources: tuple[str, ...]
    stand_down: StandDown | None = None


@dataclass(frozen=True, slots=True)
class CauseUrgency:
    """What triage needs of a cause: the level of care it calls for once its posterior reaches
    ``threshold``, and the words and sources of that reason."""

    id: str
    name: str
    urgency: TriageLevel
    threshold: float
    when_to_seek_care: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionUnit:
    """One screen of the interview: a yes/no question (``single``, one item), a single choice
    among exclusive answers (``group_single``) or a "which of these" screen (``group_multiple``)."""

    id: str
    type: QuestionType
    text: str
    items: tuple[str, ...]  # finding ids (one for ``single``)


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link of the network by ids and position: P(finding | this cause alone) = ``p``."""

    finding: str
    cause: int  # the cause's index (its column in the network's priors)
    p: float


@dataclass(frozen=True, slots=True)
class SparseLinks:
    """Every link as parallel arrays (cause, finding, probability), for sums over links."""

    causes: IntArray
    findings: IntArray
    q: FloatArray

    @classmethod
    def of(cls, net: NoisyOrNetwork) -> SparseLinks:
        causes, findings = np.nonzero(net.links)
        q = np.ascontiguousarray(net.links[causes, findings])
        arrays = (causes.astype(np.intp), findings.astype(np.intp), q)
        for array in arrays:
            array.setflags(write=False)
        return cls(*arrays)


@dataclass(frozen=True, eq=False)
class EngineModel:
    """Everything the engine knows of a knowledge base, in the KB's order throughout."""

    network: NoisyOrNetwork
    cause_ids: tuple[str, ...]
    finding_ids: tuple[str, ...]
    finding_index: Mapping[str, int]
    #: The causes' own urgency, in cause order.
    causes: tuple[CauseUrgency, ...]
    rules: tuple[TriageRule, ...]
    red_flags: frozenset[str]
    #: Findings a person can answer (the others only a clinician can check: never asked).
    askable: frozenset[str]
    #: Exclusive groups (group id -> members) and implications (if, then), for evidence closure.
    exclusive_groups: Mapping[str, tuple[str, ...]]
    implications: tuple[tuple[str, str], ...]
    links: tuple[LinkRef, ...]
    #: The interview's screens in the order they are considered (the safety screen first).
    units: tuple[QuestionUnit, ...]
    #: Every finding's own yes/no question, for a screen narrowed down to one open item.
    single_questions: Mapping[str, QuestionUnit]
    sparse_links: SparseLinks = field(init=False, repr=False)
    #: The safety screen's findings (:func:`safety_findings`), derived once: every interview step
    #: reads them.
    safety_findings: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sparse_links", SparseLinks.of(self.network))
        object.__setattr__(self, "safety_findings", safety_findings(self.rules, self.askable))
        check_stand_downs(self.rules, self.red_flags, frozenset(self.cause_ids))


def safety_findings(rules: Sequence[TriageRule], askable: Collection[str]) -> tuple[str, ...]:
    """The findings of every single-finding rule at a red-flag level (emergency or urgent) that
    a person can answer, in rule order: the safety screen's items."""
    out: list[str] = []
    for rule in rules:
        if rule.level in RED_FLAG_LEVELS and len(rule.all_of) == 1 and not rule.any_of:
            finding = rule.all_of[0]
            if finding not in out and finding in askable:
                out.append(finding)
    return tuple(out)


def check_stand_downs(
    rules: tuple[TriageRule, ...], red_flags: frozenset[str], cause_ids: frozenset[str]
) -> None:
    """Refuse a model whose stand-down rules break contracts §6 (the KB's validation says so
    first, with file and place; this keeps the engine safe on any model it is given)."""
    for rule in rules:
        sd = rule.stand_down
        if sd is None:
            continue
        flagged = sorted({*rule.all_of, *rule.any_of, *sd.triggers} & red_flags)
        problems = [
            "it is a red-flag rule" if rule.kind == "red_flag" else "",
            f"its level is {rule.level.value}"
            if rule.level not in (TriageLevel.SOON, TriageLevel.ROUTINE)
            else "",
            f"it names red-flag findings {flagged}" if flagged else "",
            f"unknown guards {sorted(set(sd.guards) - cause_ids)}"
            if not cause_ids.issuperset(sd.guards)
            else "",
        ]
        if any(problems):
            raise ValueError(
                f"rule {rule.id!r} may not stand down: {'; '.join(filter(None, problems))}"
            )
