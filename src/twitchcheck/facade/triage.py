"""The triage of a request as result data: the engine's decision (engine.triage) in words, with
its reasons' sources, the rules that stood down and why, the safety net (with the conditional
safety net of a stand-down: docs/triage.md) and the red flags reported."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from twitchcheck.domain import TriageLevel
from twitchcheck.engine.model import EngineModel, TriageRule
from twitchcheck.engine.numeric import FloatArray
from twitchcheck.engine.triage import StoodDown, decide
from twitchcheck.facade.advice import percent
from twitchcheck.facade.citations import Citations, SourceCatalogue
from twitchcheck.facade.request import Request
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb import schema as s
from twitchcheck.results import Data

#: The conditional safety net of a stand-down whose rule words none (generated KBs): what to
#: change, and when to see a GP if it does not settle (NHS: a twitch over 2 weeks, see a GP).
DEFAULT_STAND_DOWN_NET = "If this is still there two weeks after {change}, see a GP."


class TriageWriter:
    """Decides and words the triage of requests on one KB."""

    def __init__(self, kb: KnowledgeBase, model: EngineModel, sources: SourceCatalogue) -> None:
        self.model = model
        self.sources = sources
        self.levels = kb.levels
        self.finding_labels = {f.id: f.label for f in kb.findings}
        #: Each stand-down rule's declaration (its wording and the guideline that allows it).
        self.stand_downs: dict[str, s.StandDown] = {
            rule.id: rule.stand_down for rule in kb.rules if rule.stand_down is not None
        }
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
        stood_down = [self.stood_down(down, citations) for down in decision.stood_down]
        # A stand-down that lowered the level gives its conditional safety net; at self-care it
        # replaces the level's own (which would send a GP visit for what was just explained).
        conditional = list(
            dict.fromkeys(
                sd["safety_net"]
                for sd, down in zip(stood_down, decision.stood_down, strict=True)
                if down.level.rank > decision.level.rank
            )
        )
        base = text.safety_net
        if conditional:
            lead = " ".join(conditional)
            base = lead if decision.level is TriageLevel.SELF_CARE else f"{lead} {base}"
        return {
            "level": decision.level.value,
            "name": text.name,
            "advice": text.advice,
            "reasons": reasons,
            "stood_down": stood_down,
            "safety_net": self.safety_net(base, present),
            "tell_call_handler": (
                self.tell_call_handler(present) if decision.level is TriageLevel.EMERGENCY else []
            ),
        }

    def tell_call_handler(self, present: frozenset[str]) -> list[str]:
        """What to tell the emergency call handler: what is happening and when it started (the
        emergency advice's "note the time the symptoms started"), then the medicines."""
        signs = [
            self.finding_labels[f].lower() for f in sorted(present) if f in self.model.red_flags
        ]
        told = [f"What is happening: {'; '.join(signs)}."] if signs else []
        return [
            *told,
            "When it started: the time you first noticed it, even if it has eased since.",
            "Your age, and any medicines you take.",
        ]

    def stood_down(self, down: StoodDown, citations: Citations | None) -> Data:
        """r.StoodDown's data: which rule stood down, what explains it, and the safety net."""
        declared = self.stand_downs[down.rule]
        labels = [self.finding_labels[t].lower() for t in down.triggers]
        # The guards go by id in the data, not by name here: a worried person reading "ALS" in
        # a reassurance is what the source articles warn against.
        why = (
            f"{and_list(labels).capitalize()} can explain this, and on your answers the "
            f"conditions a doctor would look for are unlikely ({percent(down.guarded)} together, "
            f"below {percent(down.below)}), so it can wait to see whether it settles."
        )
        if citations is not None:
            citations.cite(declared.sources)
        return {
            "rule": down.rule,
            "level": down.level.value,
            "text": down.text,
            "triggers": list(down.triggers),
            "guards": list(down.guards),
            "guarded_probability": down.guarded,
            "below": down.below,
            "why": why,
            "safety_net": self.conditional_net(declared, down.triggers),
            "sources": self.sources.refs(declared.sources),
        }

    def conditional_net(self, declared: s.StandDown, triggers: Sequence[str]) -> str:
        """The rule's safety net with what to change for the ``triggers`` present."""
        changes = [
            declared.changes.get(t, f"dealing with {self.finding_labels[t].lower()}")
            for t in triggers
        ]
        template = declared.safety_net or DEFAULT_STAND_DOWN_NET
        return template.format(change=and_list(list(dict.fromkeys(changes))))

    def safety_net(self, base: str, present: frozenset[str]) -> str:
        """The safety net ``base`` plus the emergency signs the person has not reported."""
        signs = [label for finding, label in self.emergency_signs if finding not in present]
        if not signs:
            return base
        return f"{base} Get emergency help at once if you notice: {'; '.join(signs)}."

    def red_flags(self, req: Request) -> list[Data]:
        """The red-flag findings among the (closed) present answers, in id order (r.RedFlag)."""
        red_flags, labels = self.model.red_flags, self.finding_labels
        return [{"id": f, "label": labels[f]} for f in sorted(req.closed.present) if f in red_flags]


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
