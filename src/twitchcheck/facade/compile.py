"""The knowledge base compiled into the engine's own model, once per checker.

The engine never reads the KB's schema: the rules, the causes' urgency, the network and the
interview's screens (with their wording) are copied here into the engine's immutable model.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

import numpy as np

from twitchcheck.domain import TriageLevel
from twitchcheck.engine.inference import NoisyOrNetwork
from twitchcheck.engine.interview import SAFETY_SCREEN_ID
from twitchcheck.engine.model import (
    CauseUrgency,
    EngineModel,
    LinkRef,
    QuestionUnit,
    StandDown,
    TriageRule,
    safety_findings,
)
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb import schema as s

SAFETY_SCREEN_TEXT = "First, do you have any of these right now? Choose all that apply."


def compile_rule(rule: s.Rule) -> TriageRule:
    sd = rule.stand_down
    return TriageRule(
        id=rule.id,
        kind=rule.kind,
        all_of=rule.all_of,
        any_of=rule.any_of,
        age_min=rule.age_min,
        age_max=rule.age_max,
        level=TriageLevel(rule.level),
        text=rule.text,
        sources=rule.sources,
        stand_down=None if sd is None else StandDown(sd.guards, sd.triggers, sd.below),
    )


def compile_cause(cause: s.Cause) -> CauseUrgency:
    return CauseUrgency(
        id=cause.id,
        name=cause.name,
        urgency=TriageLevel(cause.urgency),
        threshold=cause.urgency_threshold,
        when_to_seek_care=cause.when_to_seek_care,
        sources=cause.sources,
    )


def without_implied(kb: KnowledgeBase, members: Sequence[str]) -> tuple[str, ...]:
    """Drop members implied by another member of the same screen.

    On a "which of these" screen the unchosen items become absent; if "breathless at rest"
    (which implies "trouble breathing") were chosen while "trouble breathing" was left
    unticked, the answer would contradict itself. The implied (more general) finding is asked
    on its own instead, when it is still open and worth asking.
    """
    implied = {imp.then for imp in kb.structure.implications if imp.if_ in members}
    return tuple(m for m in members if m not in implied)


def safety_screen(
    kb: KnowledgeBase, rules: Sequence[TriageRule], askable: frozenset[str]
) -> tuple[str, ...]:
    """The safety screen's items: each safety finding (engine.model.safety_findings), or in
    its place the most general askable finding it implies.

    "Trouble swallowing?" is asked on the screen and "did it come on suddenly?" only after a yes
    (engine.interview.safety_follow_ups), so the screen never holds a finding together with its
    implied parent and each onset question follows the general one (contracts.md §6).
    """
    parents: dict[str, list[str]] = {}
    for imp in kb.structure.implications:
        if imp.then in askable:
            parents.setdefault(imp.if_, []).append(imp.then)

    def most_general(finding: str, seen: frozenset[str] = frozenset()) -> list[str]:
        above = [p for p in parents.get(finding, ()) if p not in seen]
        if not above:
            return [finding]
        return [top for p in above for top in most_general(p, seen | {finding})]

    items: list[str] = []
    for finding in safety_findings(rules, askable):
        for item in most_general(finding):
            if item not in items:
                items.append(item)
    return tuple(items)


def question_units(
    kb: KnowledgeBase, rules: Sequence[TriageRule], askable: frozenset[str]
) -> tuple[QuestionUnit, ...]:
    """The interview's screens in the order they are considered: the safety screen, the KB's
    "which of these" screens, its exclusive groups, then every other askable finding (the safety
    screen's follow-ups among them)."""
    units: list[QuestionUnit] = []
    screen = safety_screen(kb, rules, askable)
    if screen:
        units.append(QuestionUnit(SAFETY_SCREEN_ID, "group_multiple", SAFETY_SCREEN_TEXT, screen))
    grouped = set(screen)
    for kb_screen in kb.structure.screens:
        members = without_implied(
            kb, [m for m in kb_screen.members if m not in grouped and m in askable]
        )
        if len(members) >= 2:
            units.append(QuestionUnit(kb_screen.id, "group_multiple", kb_screen.question, members))
            grouped.update(members)
    for group in kb.structure.exclusive_groups:
        units.append(QuestionUnit(group.id, "group_single", group.question, group.members))
        grouped.update(group.members)
    for f in kb.findings:
        if f.id not in grouped and f.id in askable:
            units.append(QuestionUnit(f.id, "single", f.question, (f.id,)))
    return tuple(units)


def compile_kb(kb: KnowledgeBase) -> EngineModel:
    """The engine's model of ``kb`` (everything in the KB's order)."""
    ref_priors = np.array([c.prior.value for c in kb.causes], dtype=np.float64)
    rules = tuple(compile_rule(rule) for rule in kb.rules)
    askable = frozenset(f.id for f in kb.findings if f.asked_by == "person")
    return EngineModel(
        network=NoisyOrNetwork(ref_priors, kb.leaks, kb.link_matrix),
        cause_ids=tuple(c.id for c in kb.causes),
        finding_ids=tuple(f.id for f in kb.findings),
        finding_index=MappingProxyType(dict(kb.finding_index)),
        causes=tuple(compile_cause(c) for c in kb.causes),
        rules=rules,
        red_flags=frozenset(f.id for f in kb.findings if f.red_flag),
        askable=askable,
        exclusive_groups=MappingProxyType({g.id: g.members for g in kb.structure.exclusive_groups}),
        implications=tuple((i.if_, i.then) for i in kb.structure.implications),
        links=tuple(LinkRef(link.finding, kb.cause_index[link.cause], link.p) for link in kb.links),
        units=question_units(kb, rules, askable),
        single_questions=MappingProxyType(
            {f.id: QuestionUnit(f.id, "single", f.question, (f.id,)) for f in kb.findings}
        ),
    )
