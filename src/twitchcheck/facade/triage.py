"""The triage of a request as result data: the engine's decision (engine.triage) in words, with
its reasons' sources, the level's safety net and the red flags reported."""

from __future__ import annotations

from collections.abc import Iterable

from twitchcheck.domain import TriageLevel
from twitchcheck.engine.model import EngineModel, TriageRule
from twitchcheck.engine.numeric import FloatArray
from twitchcheck.engine.triage import decide
from twitchcheck.facade.citations import Citations, SourceCatalogue
from twitchcheck.facade.request import Request
from twitchcheck.kb import KnowledgeBase
from twitchcheck.results import Data


class TriageWriter:
    """Decides and words the triage of requests on one KB."""

    def __init__(self, kb: KnowledgeBase, model: EngineModel, sources: SourceCatalogue) -> None:
        self.model = model
        self.sources = sources
        self.levels = kb.levels
        self.finding_labels = {f.id: f.label for f in kb.findings}
        #: (finding, lower-case label) of each single-finding emergency red-flag rule, in order.
        self.emergency_signs = tuple(
            (rule.all_of[0], self.finding_labels[rule.all_of[0]].lower())
            for rule in model.rules
            if rule.level is TriageLevel.EMERGENCY
            and rule.kind == "red_flag"
            and len(rule.all_of) == 1
        )
        #: Rule positions by a finding each needs present (the first of its all_of, else every
        #: one of its any_of): only rules keyed by a present finding can fire.
        self._rules_by_finding: dict[str, list[int]] = {}
        for k, rule in enumerate(model.rules):
            for finding in rule.all_of[:1] or rule.any_of:
                self._rules_by_finding.setdefault(finding, []).append(k)

    def rules_that_may_fire(self, present: Iterable[str]) -> list[TriageRule]:
        """The rules, in KB order, that the present findings could fire: every other rule lacks
        a finding it needs, so triage need not check it (most rules are far off)."""
        keys = {k for f in present for k in self._rules_by_finding.get(f, ())}
        rules = self.model.rules
        return [rules[k] for k in sorted(keys)]

    def triage(self, req: Request, basis: FloatArray, citations: Citations | None = None) -> Data:
        """r.Triage's data for ``req``, with ``basis`` the cause posteriors without red-flag
        answers; the reasons' sources are cited in ``citations`` (when given)."""
        present = req.closed.present
        decision = decide(
            self.rules_that_may_fire(present), self.model.causes, present, req.age, basis
        )
        text = self.levels[decision.level.value]
        reasons = []
        for reason in decision.reasons:
            if citations is not None:
                citations.cite(reason.sources)
            reasons.append(
                {
                    "kind": reason.kind,
                    "id": reason.id,
                    "level": reason.level.value,
                    "text": reason.text,
                    "sources": self.sources.refs(reason.sources),
                }
            )
        return {
            "level": decision.level.value,
            "name": text.name,
            "advice": text.advice,
            "reasons": reasons,
            "safety_net": self.safety_net(text.safety_net, present),
        }

    def safety_net(self, base: str, present: frozenset[str]) -> str:
        """The level's safety net plus the emergency signs the person has not reported."""
        signs = [label for finding, label in self.emergency_signs if finding not in present]
        if not signs:
            return base
        return f"{base} Get emergency help at once if you notice: {'; '.join(signs)}."

    def red_flags(self, req: Request) -> list[Data]:
        """The red-flag findings among the (closed) present answers, in id order (r.RedFlag)."""
        red_flags, labels = self.model.red_flags, self.finding_labels
        return [{"id": f, "label": labels[f]} for f in sorted(req.closed.present) if f in red_flags]
