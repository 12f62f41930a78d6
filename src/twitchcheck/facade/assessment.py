"""An assessment as plain result data: ranked and explained causes, triage, red flags, advice,
the ALS context and every source cited, built from the facade's parts."""

from __future__ import annotations

from typing import Any

import numpy as np

from twitchcheck.engine.inference import EXPLAIN_EXACT_POSITIVES, leave_one_out
from twitchcheck.engine.model import EngineModel
from twitchcheck.explain import Answer, explanations
from twitchcheck.facade.advice import AdviceWriter, shown_causes
from twitchcheck.facade.citations import Citations, SourceCatalogue
from twitchcheck.facade.ranking import Inference
from twitchcheck.facade.request import Request
from twitchcheck.facade.triage import TriageWriter
from twitchcheck.kb import KnowledgeBase
from twitchcheck.results import Data


class AssessmentWriter:
    """Builds r.Assessment's data for requests on one KB."""

    def __init__(
        self,
        kb: KnowledgeBase,
        model: EngineModel,
        inference: Inference,
        triage: TriageWriter,
        advice: AdviceWriter,
        sources: SourceCatalogue,
    ) -> None:
        self.kb = kb
        self.model = model
        self.inference = inference
        self.triage = triage
        self.advice = advice
        self.sources = sources
        self.finding_labels = {f.id: f.label for f in kb.findings}
        self.cause_urgencies = tuple(c.urgency.value for c in model.causes)

    def data(self, req: Request) -> Data:
        """The assessment of ``req`` as plain JSON data: exactly ``Checker.assess_request(req)
        .model_dump(mode="json")`` (tested), built without a model object per item.

        The Python API validates this data into an r.Assessment; the REST API sends it as it is,
        which spares validating ~150 objects it would only serialise again.
        """
        kb, model = self.kb, self.model
        priors = self.inference.priors(req.age, req.sex)
        present = sorted(req.closed.present)
        absent = sorted(req.closed.absent)
        index = model.finding_index
        present_idx = sorted(index[f] for f in present)
        absent_idx = sorted(index[f] for f in absent)
        post, without_present, without_absent = leave_one_out(
            model.network, present_idx, absent_idx, priors, exact_limit=EXPLAIN_EXACT_POSITIVES
        )
        marginals = post.marginals
        ids, labels, derived = model.finding_ids, self.finding_labels, req.closed.derived
        answers = [
            Answer(ids[i], labels[ids[i]], answer, ids[i] in derived)
            for indices, answer in ((present_idx, "present"), (absent_idx, "absent"))
            for i in indices
        ]
        without = np.vstack([without_present, without_absent])
        explained = explanations(marginals, answers, without)
        probabilities = marginals.tolist()
        prior_list = priors.tolist()
        causes = [
            self.ranked_cause(j, probabilities[j], prior_list[j], explained[j])
            for j in self.inference.ranking(marginals)
        ]

        flagged = [k for k, a in enumerate(answers) if a.finding in model.red_flags]
        if len(flagged) == 1 and post.variants == "exact":
            # The evidence without its one red-flag answer is that answer's exact variant.
            triage_basis = without[flagged[0]]
        else:
            triage_basis = self.inference.triage_probabilities(priors, req.closed, marginals)
        cited = Citations()
        triage = self.triage.triage(req, triage_basis, cited)
        red_flags = self.triage.red_flags(req)
        advice = self.advice.advice(req, shown_causes(causes), cited)
        als = self.advice.als_context(req, causes, cited)
        for c in causes:
            cited.cite(c["sources"])
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
            "sources": self.sources.refs(cited.ids),
            "engine": {
                "method": post.method,
                "largest_group": post.largest_group,
                "explanations": post.variants,
            },
        }

    def ranked_cause(
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
