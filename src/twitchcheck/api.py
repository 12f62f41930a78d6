"""The Python API facade: the KB is loaded once, then :func:`assess` answers requests.

(The module is ``api`` rather than ``assess`` so that importing it never shadows the package
attribute ``twitchcheck.assess``, the function.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from twitchcheck import results as r
from twitchcheck.domain import MAX_AGE, MIN_AGE, Choice, Sex, TriageLevel
from twitchcheck.engine import interview
from twitchcheck.engine.evidence import ClosedEvidence, close_evidence
from twitchcheck.engine.inference import (
    EXPLAIN_EXACT_POSITIVES,
    FloatArray,
    NoisyOrNetwork,
    Posterior,
    leave_one_out,
    posteriors,
)
from twitchcheck.engine.triage import decide
from twitchcheck.errors import ContradictionError, UnknownIdError, ValueRangeError
from twitchcheck.explain import Answer, explanations
from twitchcheck.kb import KnowledgeBase, load_kb
from twitchcheck.kb.schema import Rule

#: Concerns a request may name (contracts §2: the ALS answer in context).
KNOWN_CONCERNS = ("als",)
#: Findings whose presence brings up the ALS context.
ALS_CONTEXT_FINDINGS = ("anxiety_health_worry", "family_history_als")
#: Findings that, in the ALS context, are the signs doctors look for (beyond twitching).
ALS_SIGNS = (
    "muscle_weakness",
    "progressive_weakness",
    "muscle_wasting",
    "difficulty_swallowing",
    "slurred_speech",
    "breathing_difficulty",
    "frequent_tripping_falling",
    "hand_clumsiness",
)
#: Causes whose advice is shown: at least this probability, or the top three.
ADVICE_MIN_PROBABILITY = 0.10

_CAUSE_PROBABILITIES = TypeAdapter(list[r.CauseProbability])

#: Plain JSON data (str, int, float, bool, None, lists and dicts) in the shape of a results model.
Data = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """A validated request: age, sex and closed evidence."""

    age: int
    sex: Sex
    reported_present: tuple[str, ...]
    reported_absent: tuple[str, ...]
    initial: tuple[str, ...]
    closed: ClosedEvidence
    concerns: tuple[str, ...]


class Checker:
    """Holds one KB and its network; every method is deterministic and thread-safe."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        ref_priors = np.array([c.prior.value for c in kb.causes], dtype=np.float64)
        self.network = NoisyOrNetwork(ref_priors, kb.leaks, kb.link_matrix)
        self.groups = {g.id: g.members for g in kb.structure.exclusive_groups}
        self.implications = [(i.if_, i.then) for i in kb.structure.implications]
        self.red_flags = frozenset(f.id for f in kb.findings if f.red_flag)
        self.units = interview.build_units(kb)
        # Parts of the results that depend only on the KB, built once rather than per request.
        #: The priors by (age, sex); ``typed`` keeps a plain "female" apart from Sex.FEMALE.
        self._priors = lru_cache(maxsize=1024, typed=True)(kb.priors_for)
        self.finding_ids = tuple(f.id for f in kb.findings)
        #: Each cause's place in id order: ties in probability are ranked by id.
        self._cause_id_rank = np.argsort(np.argsort([c.id for c in kb.causes], kind="stable"))
        self.finding_labels = {f.id: f.label for f in kb.findings}
        #: Every source as results cite it (r.SourceRef's data); each result gets copies, so that
        #: a caller changing its result can never change another's.
        self.source_refs: dict[str, Data] = {
            src.id: {
                "id": src.id,
                "title": src.title,
                "publisher": src.publisher,
                "url": src.url,
                "tier": src.tier,
            }
            for src in kb.sources.values()
        }
        self.cause_urgencies = tuple(TriageLevel(c.urgency).value for c in kb.causes)
        #: (finding, lower-case label) of each single-finding emergency red-flag rule, in order.
        self.emergency_signs = tuple(
            (rule.all_of[0], self.finding_labels[rule.all_of[0]].lower())
            for rule in kb.rules
            if rule.level == "emergency" and rule.kind == "red_flag" and len(rule.all_of) == 1
        )
        #: (finding, cause) of each link strong enough to make a red flag relevant, in order.
        self.relevant_links = tuple(
            (link.finding, link.cause) for link in kb.links if link.p >= interview.RELEVANT_LINK
        )
        self.als_statements = tuple(st for st in kb.statements if st.topic == "als_context")
        #: Rule positions by a finding each needs present (the first of its all_of, else every
        #: one of its any_of): only rules keyed by a present finding can fire.
        self._rules_by_finding: dict[str, list[int]] = {}
        for k, rule in enumerate(kb.rules):
            for finding in rule.all_of[:1] or rule.any_of:
                self._rules_by_finding.setdefault(finding, []).append(k)

    # -- requests ---------------------------------------------------------------------------
    def request(
        self,
        *,
        age: int,
        sex: str | Sex,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        initial: Iterable[str] = (),
        concerns: Iterable[str] = (),
    ) -> Request:
        """Check and close a request; raises an InputError subclass naming what is wrong."""
        if isinstance(age, bool) or not isinstance(age, int):
            raise ValueRangeError(f"Age must be a whole number of years, not {age!r}.")
        if not MIN_AGE <= age <= MAX_AGE:
            raise ValueRangeError(f"Age must be between {MIN_AGE} and {MAX_AGE}; got {age}.")
        try:
            sex_value = Sex(sex)
        except ValueError:
            allowed = ", ".join(x.value for x in Sex)
            raise ValueRangeError(f"Sex must be one of {allowed}; got {sex!r}.") from None
        pres = _unique(present)
        abs_ = _unique(absent)
        init = _unique(initial)
        for ident in (*pres, *abs_, *init):
            if ident not in self.kb.finding_index:
                raise UnknownIdError("finding", ident, self.kb.finding_index)
        stray = [i for i in init if i not in pres]
        if stray:
            raise ContradictionError(
                f"Initial findings must also be present: {', '.join(stray)}.", stray
            )
        concern_list = _unique(concerns)
        for c in concern_list:
            if c not in KNOWN_CONCERNS:
                raise UnknownIdError("concern", c, KNOWN_CONCERNS)
        closed = close_evidence(pres, abs_, self.groups, self.implications)
        return Request(age, sex_value, pres, abs_, init, closed, concern_list)

    # -- inference --------------------------------------------------------------------------
    def priors(self, age: int, sex: Sex) -> FloatArray:
        return self._priors(age, sex).copy()  # a copy: the cached table stays as computed

    def infer(self, priors: FloatArray, present: Iterable[str], absent: Iterable[str]) -> Posterior:
        index = self.kb.finding_index
        return posteriors(
            self.network,
            sorted(index[f] for f in present),
            sorted(index[f] for f in absent),
            priors=priors,
        )

    def triage_probabilities(
        self, priors: FloatArray, closed: ClosedEvidence, full: FloatArray | None = None
    ) -> FloatArray:
        """Posteriors from the evidence without any red-flag finding (see engine.triage).

        ``full`` (the posteriors from all the evidence) is reused when no red flag was answered.
        """
        present = [f for f in closed.present if f not in self.red_flags]
        absent = [f for f in closed.absent if f not in self.red_flags]
        if full is not None and len(present) + len(absent) == len(closed.present) + len(
            closed.absent
        ):
            return full
        return self.infer(priors, present, absent).marginals

    def triage_for(
        self,
        req: Request,
        priors: FloatArray,
        cited: dict[str, None],
        full: FloatArray | None = None,
    ) -> Data:
        """The triage of ``req`` as r.Triage's data."""
        return self._triage_on(req, self.triage_probabilities(priors, req.closed, full), cited)

    def _triage_on(self, req: Request, basis: FloatArray, cited: dict[str, None]) -> Data:
        """The triage of ``req`` with ``basis``, the cause posteriors without red-flag answers."""
        present = req.closed.present
        decision = decide(
            self.rules_that_may_fire(present), self.kb.causes, present, req.age, basis
        )
        return self._triage(decision.level, decision.reasons, present, cited)

    def rules_that_may_fire(self, present: Iterable[str]) -> list[Rule]:
        """The KB's rules, in KB order, that the present findings could fire: every other rule
        lacks a finding it needs, so triage need not check it (~60 rules, most far off)."""
        keys = {k for f in present for k in self._rules_by_finding.get(f, ())}
        return [self.kb.rules[k] for k in sorted(keys)]

    def ranking(self, marginals: FloatArray) -> list[int]:
        """Cause indices by probability, highest first, ties by cause id (contracts §1)."""
        order: list[int] = np.lexsort((self._cause_id_rank, -marginals)).tolist()
        return order

    # -- the interview ----------------------------------------------------------------------
    def next_question(
        self,
        *,
        age: int,
        sex: str | Sex,
        evidence: Iterable[r.EvidenceItem] = (),
        max_questions: int = interview.DEFAULT_MAX_QUESTIONS,
    ) -> r.InterviewStep:
        """The next most useful question for this evidence, or the decision to stop."""
        items = list(evidence)
        present, absent, unknown, initial = evidence_sets(items)
        overlap = sorted((set(present) | set(absent)) & set(unknown))
        if overlap:
            raise ContradictionError(
                f"These findings were answered both 'unknown' and yes/no: {', '.join(overlap)}.",
                overlap,
            )
        for ident in unknown:
            if ident not in self.kb.finding_index:
                raise UnknownIdError("finding", ident, self.kb.finding_index)
        req = self.request(age=age, sex=sex, present=present, absent=absent, initial=initial)
        priors = self.priors(req.age, req.sex)
        answered = {i.id for i in items}
        post = self.infer(priors, sorted(req.closed.present), sorted(req.closed.absent))
        decision = interview.decide_next(
            self.kb,
            self.network,
            priors,
            req.closed.present,
            req.closed.absent,
            answered,
            set(initial),
            req.age,
            self.red_flags,
            self.units,
            max_questions,
            post,
        )
        kb_causes = self.kb.causes
        probabilities = post.marginals.tolist()
        order = self.ranking(post.marginals)
        causes = _CAUSE_PROBABILITIES.validate_python(
            [
                {"id": kb_causes[j].id, "name": kb_causes[j].name, "probability": probabilities[j]}
                for j in order
            ]
        )
        question = None
        if decision.unit is not None:
            question = r.Question(
                id=decision.unit.id,
                type=decision.unit.type,
                text=decision.unit.text,
                rationale=self._rationale(decision, post.marginals),
                items=[
                    r.QuestionItem(id=f, label=self.finding_labels[f]) for f in decision.unit.items
                ],
            )
        return r.InterviewStep(
            kb_version=self.kb.version,
            question=question,
            should_stop=decision.should_stop,
            stop_reason=decision.reason if decision.should_stop else None,
            causes=causes,
            triage=self.triage_for(req, priors, {}, post.marginals),
            red_flags=self._red_flags(req),
            progress=r.Progress(answered=decision.answered, max_questions=max_questions),
        )

    def _rationale(self, decision: interview.Decision, marginals: FloatArray) -> str:
        kb = self.kb
        unit = decision.unit
        assert unit is not None
        if decision.reason == "safety_screen":
            return (
                "I ask everyone this first: each of these can be a sign of something that needs "
                "care quickly, whatever else is going on."
            )
        if decision.reason == "red_flag_check":
            linked = [cause for finding, cause in self.relevant_links if finding in unit.items]
            if linked:
                best = max(linked, key=lambda c: marginals[kb.cause_index[c]])
                return (
                    f"I'm asking because this is a warning sign that matters for "
                    f"{kb.cause(best).name.lower()}, which is still possible on your answers."
                )
            return "I'm asking because this is a warning sign worth ruling out before we finish."
        yes = kb.cause(decision.towards_yes).name if decision.towards_yes else None
        no = kb.cause(decision.towards_no).name if decision.towards_no else None
        if unit.type == "group_single" and yes and no and yes != no:
            return f"The answer helps tell {yes.lower()} apart from {no.lower()}."
        if yes and no and yes != no:
            return (
                f"I'm asking because a “yes” would point towards {yes.lower()}, "
                f"and a “no” away from it, towards {no.lower()}."
            )
        return "I'm asking because the answer helps narrow down the likely causes."

    # -- the assessment ---------------------------------------------------------------------
    def assess(
        self,
        *,
        age: int,
        sex: str | Sex,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        initial: Iterable[str] = (),
        concerns: Iterable[str] = (),
    ) -> r.Assessment:
        req = self.request(
            age=age, sex=sex, present=present, absent=absent, initial=initial, concerns=concerns
        )
        return self.assess_request(req)

    def assess_request(self, req: Request) -> r.Assessment:
        return r.Assessment.model_validate(self.assessment_data(req))

    def assessment_data(self, req: Request) -> Data:
        """The assessment of ``req`` as plain JSON data: exactly ``assess_request(req)
        .model_dump(mode="json")`` (tested), built without a model object per item.

        The Python API validates this data into an r.Assessment; the REST API sends it as it is,
        which saves validating ~150 objects it would only serialise again (about half the cost of
        an assessment).
        """
        kb = self.kb
        priors = self.priors(req.age, req.sex)
        present = sorted(req.closed.present)
        absent = sorted(req.closed.absent)
        index = self.kb.finding_index
        present_idx = sorted(index[f] for f in present)
        absent_idx = sorted(index[f] for f in absent)
        post, without_present, without_absent = leave_one_out(
            self.network, present_idx, absent_idx, priors, exact_limit=EXPLAIN_EXACT_POSITIVES
        )
        marginals = post.marginals
        ids, labels, derived = self.finding_ids, self.finding_labels, req.closed.derived
        answers = [
            Answer(ids[i], labels[ids[i]], answer, ids[i] in derived)
            for indices, answer in ((present_idx, "present"), (absent_idx, "absent"))
            for i in indices
        ]
        without = np.vstack([without_present, without_absent])
        explained = explanations(marginals, answers, without)
        probabilities = marginals.tolist()
        prior_list = priors.tolist()
        order = self.ranking(marginals)
        causes = [
            self._ranked_cause(j, probabilities[j], prior_list[j], explained[j]) for j in order
        ]

        flagged = [k for k, a in enumerate(answers) if a.finding in self.red_flags]
        if len(flagged) == 1 and post.variants == "exact":
            # The evidence without its one red-flag answer is that answer's exact variant.
            triage_basis = without[flagged[0]]
        else:
            triage_basis = self.triage_probabilities(priors, req.closed, marginals)
        cited: dict[str, None] = {}
        triage = self._triage_on(req, triage_basis, cited)
        red_flags = self._red_flags(req)
        shown = [c for c in causes if c["probability"] >= ADVICE_MIN_PROBABILITY] or causes[:3]
        if len(shown) < 3:
            shown = causes[:3]
        advice = self._advice(shown, cited)
        als = self._als_context(req, causes, cited)
        for c in causes:
            for s_id in c["sources"]:
                cited.setdefault(s_id, None)
        return {
            "kb_version": kb.version,
            "disclaimer": kb.meta.disclaimer,
            "evidence": {
                "age": req.age,
                "sex": req.sex.value,
                "present": present,
                "absent": absent,
                "initial": list(req.initial),
                "derived": sorted(req.closed.derived),
                "concerns": list(req.concerns),
            },
            "causes": causes,
            "triage": triage,
            "red_flags": red_flags,
            "advice": advice,
            "als_context": als,
            "sources": [dict(self.source_refs[s_id]) for s_id in cited],
            "engine": {
                "method": post.method,
                "largest_group": post.largest_group,
                "explanations": post.variants,
            },
        }

    # -- pieces -----------------------------------------------------------------------------
    def _red_flags(self, req: Request) -> list[Data]:
        """The red-flag findings among the (closed) present answers, in id order (r.RedFlag)."""
        return [
            {"id": f, "label": self.finding_labels[f]}
            for f in sorted(req.closed.present)
            if f in self.red_flags
        ]

    def _ranked_cause(
        self, j: int, p: float, prior: float, explanation: list[dict[str, Any]]
    ) -> Data:
        """Cause ``j`` with its posterior, prior and explanation (r.RankedCause's data)."""
        cause = self.kb.causes[j]
        return {
            "id": cause.id,
            "name": cause.name,
            "probability": p,
            "prior": prior,
            "category": cause.category,
            "urgency": self.cause_urgencies[j],
            "description": cause.description,
            "explanation": explanation,
            "sources": list(cause.sources),
        }

    def _triage(
        self,
        level: TriageLevel,
        reasons: Sequence[object],
        present: frozenset[str],
        cited: dict[str, None],
    ) -> Data:
        """r.Triage's data."""
        text = self.kb.levels[level.value]
        out = []
        for reason in reasons:
            srcs = reason.sources  # type: ignore[attr-defined]
            for s_id in srcs:
                cited.setdefault(s_id, None)
            out.append(
                {
                    "kind": reason.kind,  # type: ignore[attr-defined]
                    "id": reason.id,  # type: ignore[attr-defined]
                    "level": reason.level.value,  # type: ignore[attr-defined]
                    "text": reason.text,  # type: ignore[attr-defined]
                    "sources": [dict(self.source_refs[s_id]) for s_id in srcs],
                }
            )
        return {
            "level": level.value,
            "name": text.name,
            "advice": text.advice,
            "reasons": out,
            "safety_net": self._safety_net(text.safety_net, present),
        }

    def _safety_net(self, base: str, present: frozenset[str]) -> str:
        """The level's safety net plus the emergency signs the person has not reported."""
        signs = [label for finding, label in self.emergency_signs if finding not in present]
        if not signs:
            return base
        return f"{base} Get emergency help at once if you notice: {'; '.join(signs)}."

    def _advice(self, shown: Sequence[Data], cited: dict[str, None]) -> Data:
        """r.Advice's data: what the causes worth showing suggest."""
        kb = self.kb
        self_care: list[str] = []
        treatments: dict[str, list[str]] = {}
        workup: list[str] = []
        when: list[str] = []
        for rc in shown:
            cause = kb.cause(rc["id"])
            for step in cause.self_care:
                if step not in self_care:
                    self_care.append(step)
            for t in cause.treatments:
                treatments.setdefault(t, []).append(cause.id)
            for w in cause.workup:
                if w not in workup:
                    workup.append(w)
            when.append(f"{cause.name}: {cause.when_to_seek_care}")
        t_out = []
        for t_id, for_causes in treatments.items():
            treatment = kb.treatments[t_id]
            for s_id in treatment.sources:
                cited.setdefault(s_id, None)
            t_out.append(
                {
                    "id": treatment.id,
                    "name": treatment.name,
                    "description": treatment.description,
                    "for_causes": for_causes,
                    "sources": list(treatment.sources),
                }
            )
        w_out = []
        for w_id in workup:
            step_info = kb.workup[w_id]
            for s_id in step_info.sources:
                cited.setdefault(s_id, None)
            w_out.append(
                {
                    "id": step_info.id,
                    "name": step_info.name,
                    "description": step_info.description,
                    "sources": list(step_info.sources),
                }
            )
        return {
            "self_care": self_care,
            "treatments": t_out,
            "doctor_may": w_out,
            "when_to_seek_care": when,
        }

    def _als_context(
        self, req: Request, causes: Sequence[Data], cited: dict[str, None]
    ) -> Data | None:
        """r.AlsContext's data, or None when the ALS answer in context is not called for."""
        if "als" not in self.kb.cause_index:
            return None
        because = [f for f in ALS_CONTEXT_FINDINGS if f in req.closed.present]
        rank = next(i for i, c in enumerate(causes) if c["id"] == "als")
        if rank < 5:
            because.append("als_in_top_5")
        if "als" in req.concerns:
            because.append("concern_als")
        if not because:
            return None
        p = causes[rank]["probability"]
        signs = [s for s in ALS_SIGNS if s in req.closed.present and s in self.kb.finding_index]
        if signs:
            labels = ", ".join(self.finding_labels[s].lower() for s in signs)
            summary = (
                f"On these answers the chance of ALS is about {_pct(p)}. You reported {labels}: "
                "these are among the signs a doctor checks for ALS and for many more common "
                "conditions, so please follow the advice above and get them examined."
            )
        else:
            summary = (
                f"On these answers the chance of ALS is about {_pct(p)}. You did not report "
                "weakness, wasting, or new trouble speaking, swallowing or breathing. Twitching "
                "without these signs is very rarely ALS, and most twitching is harmless."
            )
        statements = []
        for st in self.als_statements:
            for s_id in st.sources:
                cited.setdefault(s_id, None)
            statements.append({"text": st.text, "sources": list(st.sources)})
        return {
            "shown_because": because,
            "probability": p,
            "summary": summary,
            "statements": statements,
        }


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    """Strip, drop empties and duplicates, keep first-seen order."""
    if isinstance(ids, str):
        ids = [ids]
    out: dict[str, None] = {}
    for ident in ids:
        if not isinstance(ident, str):
            raise ValueRangeError(f"Finding ids must be strings; got {ident!r}.")
        cleaned = ident.strip()
        if cleaned:
            out.setdefault(cleaned, None)
    return tuple(out)


def _pct(p: float) -> str:
    if p < 0.001:
        return "less than 1 in 1,000"
    if p < 0.01:
        return f"{p * 100:.1f}%"
    return f"{p:.0%}"


def evidence_sets(
    evidence: Iterable[r.EvidenceItem],
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Split evidence items into (present, absent, unknown, initial) id lists."""
    present: list[str] = []
    absent: list[str] = []
    unknown: list[str] = []
    initial: list[str] = []
    for item in evidence:
        target = {Choice.PRESENT: present, Choice.ABSENT: absent, Choice.UNKNOWN: unknown}[
            item.choice
        ]
        target.append(item.id)
        if item.initial:
            initial.append(item.id)
    return present, absent, unknown, initial


@lru_cache(maxsize=1)
def default_checker() -> Checker:
    """The checker for the shipped KB (built once per process)."""
    return Checker(load_kb())


def assess(
    *,
    age: int,
    sex: str,
    present: Iterable[str] = (),
    absent: Iterable[str] = (),
    initial: Iterable[str] = (),
    concerns: Iterable[str] = (),
) -> r.Assessment:
    """Assess reported findings with the shipped KB: ranked causes, triage, advice, sources.

    Ids are finding ids of the KB (``twitchcheck kb show``). ``initial`` must be a subset of
    ``present``. Bad input raises a :class:`twitchcheck.errors.InputError` subclass.
    """
    return default_checker().assess(
        age=age, sex=sex, present=present, absent=absent, initial=initial, concerns=concerns
    )
