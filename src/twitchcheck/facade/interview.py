"""One step of the interview: check the evidence so far, let the engine choose the next screen
(engine.interview), and put it in words with its rationale, the ranking and the triage."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import TypeAdapter

from twitchcheck import results as r
from twitchcheck.domain import DEFAULT_MAX_QUESTIONS, Sex, TriageLevel
from twitchcheck.engine import interview
from twitchcheck.engine.model import EngineModel, QuestionUnit
from twitchcheck.engine.numeric import FloatArray
from twitchcheck.errors import ContradictionError
from twitchcheck.facade.ranking import Inference
from twitchcheck.facade.request import RequestReader, evidence_sets
from twitchcheck.facade.triage import TriageWriter
from twitchcheck.kb import KnowledgeBase

_CAUSE_PROBABILITIES = TypeAdapter(list[r.CauseProbability])


class Interviewer:
    """The stateless interview step on one KB (the CLI, REST and the evaluation share it)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        model: EngineModel,
        requests: RequestReader,
        inference: Inference,
        triage: TriageWriter,
    ) -> None:
        self.kb = kb
        self.model = model
        self.requests = requests
        self.inference = inference
        self.triage = triage
        self.finding_labels = {f.id: f.label for f in kb.findings}
        #: (finding, cause) of each link strong enough to make a red flag relevant, in order.
        self.relevant_links = tuple(
            (link.finding, link.cause) for link in kb.links if link.p >= interview.RELEVANT_LINK
        )
        #: Causes that need a doctor (not self-care): the ones a warning sign is asked about.
        self.needs_care = frozenset(c.id for c in kb.causes if c.urgency != "self_care")
        self.urgency_rank = {c.id: TriageLevel(c.urgency).rank for c in kb.causes}
        #: How-long-has-it-lasted answers, which time-course triage rules use.
        self.time_course = frozenset(interview.time_course_group_findings(model))

    def next_question(
        self,
        *,
        age: int,
        sex: str | Sex,
        evidence: Iterable[r.EvidenceItem] = (),
        max_questions: int = DEFAULT_MAX_QUESTIONS,
        concerns: Iterable[str] = (),
        from_text: frozenset[str] = frozenset(),
    ) -> r.InterviewStep:
        """The next most useful question for this evidence, or the decision to stop.

        ``concerns`` are checked as an assessment checks them (an unknown cause is an error);
        they do not change the question. ``from_text``: answers taken from free text; the text
        box is not a screen, so they are counted like the initial complaint (never as answered
        screens).
        """
        items = list(evidence)
        present, absent, unknown, initial = evidence_sets(items)
        overlap = sorted((set(present) | set(absent)) & set(unknown))
        if overlap:
            raise ContradictionError(
                f"These findings were answered both 'unknown' and yes/no: {', '.join(overlap)}.",
                overlap,
            )
        self.requests.check_findings(unknown)
        req = self.requests.read(
            age=age, sex=sex, present=present, absent=absent, initial=initial, concerns=concerns
        )
        inference = self.inference
        priors = inference.priors(req.age, req.sex)
        answered = {i.id for i in items}
        post = inference.infer(priors, sorted(req.closed.present), sorted(req.closed.absent))
        decision = interview.decide_next(
            self.model,
            priors,
            req.closed.present,
            req.closed.absent,
            answered,
            set(initial) | from_text,
            req.age,
            max_questions,
            post,
        )
        kb_causes = self.kb.causes
        probabilities = post.marginals.tolist()
        causes = _CAUSE_PROBABILITIES.validate_python(
            [
                {"id": kb_causes[j].id, "name": kb_causes[j].name, "probability": probabilities[j]}
                for j in inference.ranking(post.marginals)
            ]
        )
        question = None
        if decision.unit is not None:
            question = r.Question(
                id=decision.unit.id,
                type=decision.unit.type,
                text=decision.unit.text,
                rationale=self.rationale(decision, post.marginals),
                items=[
                    r.QuestionItem(id=f, label=self.finding_labels[f]) for f in decision.unit.items
                ],
            )
        basis = inference.triage_probabilities(priors, req.closed, post.marginals)
        return r.InterviewStep(
            kb_version=self.kb.version,
            question=question,
            should_stop=decision.should_stop,
            stop_reason=decision.reason if decision.should_stop else None,
            causes=causes,
            triage=self.triage.triage(req, basis),
            red_flags=self.triage.red_flags(req),
            progress=r.Progress(answered=decision.answered, max_questions=max_questions),
        )

    def rationale(self, decision: interview.Decision, marginals: FloatArray) -> str:
        """Why this question, in words a person reads (from the engine's reason and the causes
        each answer would favour)."""
        kb = self.kb
        unit = decision.unit
        assert unit is not None
        if decision.reason == "safety_screen":
            return (
                "I ask everyone this first: each of these can be a sign of something that needs "
                "care quickly, whatever else is going on."
            )
        if decision.reason == "safety_follow_up":
            return (
                "I'm asking because of your answer on the first screen: this detail changes how "
                "quickly you should get care."
            )
        if decision.reason in ("red_flag_check", "triage_check"):
            return self.check_rationale(unit, marginals)
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

    def check_rationale(self, unit: QuestionUnit, marginals: FloatArray) -> str:
        """Why a question is asked before finishing (the engine's ``red_flag_check`` and
        ``triage_check``): a warning
        sign is named as one, with the cause needing care it matters for; a how-long question
        says that the time changes the level of care; never "a warning sign" for anything else."""
        kb = self.kb
        flags = [f for f in unit.items if f in self.model.red_flags]
        if flags:
            labels = [self.finding_labels[f].lower() for f in flags]
            what = (
                f"{labels[0]} is a warning sign"
                if len(labels) == 1
                else f"{', '.join(labels[:-1])} and {labels[-1]} are warning signs"
            )
            linked = [c for f, c in self.relevant_links if f in flags and c in self.needs_care]
            if linked and len(flags) <= 3:
                # The cause needing the most urgent care, then the most likely of those.
                best = max(
                    linked,
                    key=lambda c: (self.urgency_rank[c], marginals[kb.cause_index[c]]),
                )
                return (
                    f"I'm asking because {what} that would matter for "
                    f"{kb.cause(best).name.lower()}, which is still possible on your answers."
                )
            return f"I'm asking because {what} worth ruling out before we finish."
        if self.time_course & set(unit.items):
            return (
                "I'm asking because how long the twitching has gone on changes how soon you "
                "should see a doctor."
            )
        return (
            "I'm asking because, together with what you have told me, this answer can change "
            "how soon you should get care."
        )
