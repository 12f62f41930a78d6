"""The checker: one knowledge base, compiled once, and the parts that answer requests on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from twitchcheck import results as r
from twitchcheck.domain import DEFAULT_MAX_QUESTIONS, Choice, Sex
from twitchcheck.engine.evidence import ClosedEvidence
from twitchcheck.engine.inference import NoisyOrNetwork, Posterior
from twitchcheck.engine.model import EngineModel, QuestionUnit, TriageRule
from twitchcheck.engine.numeric import FloatArray
from twitchcheck.facade.advice import AdviceWriter
from twitchcheck.facade.assessment import AssessmentWriter
from twitchcheck.facade.citations import Citations, SourceCatalogue
from twitchcheck.facade.compile import compile_kb
from twitchcheck.facade.interview import Interviewer
from twitchcheck.facade.ranking import Inference
from twitchcheck.facade.request import Request, RequestReader, evidence_sets, known_concerns
from twitchcheck.facade.text import TextReader, parsed_block
from twitchcheck.facade.triage import TriageWriter
from twitchcheck.kb import KnowledgeBase
from twitchcheck.results import Data


class Checker:
    """Holds one KB and its compiled model; every method is deterministic and thread-safe.

    Each job belongs to one part: ``requests`` reads and closes requests, ``inference`` ranks
    causes, ``triage`` decides and words the level of care, ``assessments`` builds assessments
    (with ``advice``), ``interviewer`` takes the interview's steps. The methods here delegate.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.model: EngineModel = compile_kb(kb)
        sources = SourceCatalogue(kb)
        self.requests = RequestReader(self.model, known_concerns(kb))
        self.inference = Inference(kb, self.model)
        self.triage = TriageWriter(kb, self.model, sources)
        self.advice = AdviceWriter(kb)
        self.assessments = AssessmentWriter(
            kb, self.model, self.inference, self.triage, self.advice, sources
        )
        self.interviewer = Interviewer(kb, self.model, self.requests, self.inference, self.triage)
        self.text = TextReader(kb, self.model)

    # -- the model ----------------------------------------------------------------------------
    @property
    def network(self) -> NoisyOrNetwork:
        return self.model.network

    @property
    def red_flags(self) -> frozenset[str]:
        return self.model.red_flags

    @property
    def units(self) -> tuple[QuestionUnit, ...]:
        return self.model.units

    @property
    def finding_labels(self) -> Mapping[str, str]:
        """Each finding's label, what a person reads in place of its id."""
        return self.assessments.finding_labels

    # -- requests, inference and triage -------------------------------------------------------
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
        return self.requests.read(
            age=age, sex=sex, present=present, absent=absent, initial=initial, concerns=concerns
        )

    def priors(self, age: int, sex: Sex) -> FloatArray:
        return self.inference.priors(age, sex)

    def infer(self, priors: FloatArray, present: Iterable[str], absent: Iterable[str]) -> Posterior:
        return self.inference.infer(priors, present, absent)

    def ranking(self, marginals: FloatArray) -> list[int]:
        """Cause indices by probability, highest first, ties by cause id (contracts §1)."""
        return self.inference.ranking(marginals)

    def triage_probabilities(
        self, priors: FloatArray, closed: ClosedEvidence, full: FloatArray | None = None
    ) -> FloatArray:
        return self.inference.triage_probabilities(priors, closed, full)

    def triage_for(
        self,
        req: Request,
        priors: FloatArray,
        citations: Citations | None = None,
        full: FloatArray | None = None,
    ) -> Data:
        """The triage of ``req`` as r.Triage's data (``full``: see triage_probabilities)."""
        basis = self.inference.triage_probabilities(priors, req.closed, full)
        return self.triage.triage(req, basis, citations)

    def rules_that_may_fire(self, present: Iterable[str]) -> list[TriageRule]:
        return self.triage.rules_that_may_fire(present)

    # -- the interview ------------------------------------------------------------------------
    def next_question(
        self,
        *,
        age: int,
        sex: str | Sex,
        evidence: Iterable[r.EvidenceItem] = (),
        max_questions: int = DEFAULT_MAX_QUESTIONS,
        concerns: Iterable[str] = (),
        text: str | None = None,
    ) -> r.InterviewStep:
        """The next most useful question for this evidence, or the decision to stop.

        With ``text``, its parsed findings join the evidence (explicit answers win) except red
        flags, which the safety screen still asks, pre-filled from ``parsed`` (contracts §6).
        ``concerns`` are checked as an assessment checks them (an unknown cause is an error);
        they do not change the question.
        """
        if text is None:
            return self.interviewer.next_question(
                age=age,
                sex=sex,
                evidence=evidence,
                max_questions=max_questions,
                concerns=concerns,
            )
        items = list(evidence)
        present, absent, unknown, _initial = evidence_sets(items)
        parsed = self.text.parse(text)
        combined = self.text.combine(parsed, present, absent, unknown, hold=self.red_flags)
        given = {i.id for i in items}
        added = [
            r.EvidenceItem(id=f, choice=Choice.PRESENT if f in combined.present else Choice.ABSENT)
            for f in combined.used
            if f not in given
        ]
        step = self.interviewer.next_question(
            age=age,
            sex=sex,
            evidence=[*items, *added],
            max_questions=max_questions,
            concerns=concerns,
            from_text=frozenset(combined.used),
        )
        block = r.ParsedBlock.model_validate(parsed_block(parsed, combined))
        return step.model_copy(update={"parsed": block})

    # -- the assessment -----------------------------------------------------------------------
    def assess(
        self,
        *,
        age: int,
        sex: str | Sex,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        initial: Iterable[str] = (),
        concerns: Iterable[str] = (),
        text: str | None = None,
    ) -> r.Assessment:
        if text is None:
            req = self.request(
                age=age, sex=sex, present=present, absent=absent, initial=initial, concerns=concerns
            )
            return self.assess_request(req)
        return r.Assessment.model_validate(
            self.text_assessment_data(
                text,
                age=age,
                sex=sex,
                present=present,
                absent=absent,
                initial=initial,
                concerns=concerns,
            )
        )

    def parse(self, text: str) -> r.ParsedText:
        """Free text read into findings (contracts §6 "Free text"); nothing is kept."""
        return r.ParsedText.model_validate(self.text.parse(text))

    def text_assessment_data(
        self,
        text: str,
        *,
        age: int,
        sex: str | Sex,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        initial: Iterable[str] = (),
        concerns: Iterable[str] = (),
    ) -> Data:
        """An assessment of explicit evidence plus ``text`` (explicit answers win after
        closure), with the ``parsed`` block; age and sex found in the text are never used."""
        parsed = self.text.parse(text)
        self.requests.check_findings([*present, *absent])
        combined = self.text.combine(parsed, present, absent)
        req = self.request(
            age=age,
            sex=sex,
            present=combined.present,
            absent=combined.absent,
            initial=initial,
            concerns=concerns,
        )
        data = self.assessment_data(req)
        data["parsed"] = parsed_block(parsed, combined)
        return data

    def assess_request(self, req: Request) -> r.Assessment:
        return r.Assessment.model_validate(self.assessment_data(req))

    def assessment_data(self, req: Request) -> Data:
        """The assessment of ``req`` as plain JSON data (see AssessmentWriter.data)."""
        return self.assessments.data(req)
