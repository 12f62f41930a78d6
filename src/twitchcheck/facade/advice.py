"""What an assessment advises: self-care, treatments, what a doctor may do and when to seek care
for the causes worth showing; and the ALS answer in context (contracts §2)."""

from __future__ import annotations

from collections.abc import Sequence

from twitchcheck.facade.citations import Citations
from twitchcheck.facade.request import Request
from twitchcheck.kb import KnowledgeBase
from twitchcheck.results import Data

#: Causes whose advice is shown: at least this probability, or the top three.
ADVICE_MIN_PROBABILITY = 0.10


def shown_causes(causes: Sequence[Data]) -> Sequence[Data]:
    """The ranked causes whose advice is shown (see :data:`ADVICE_MIN_PROBABILITY`)."""
    shown = [c for c in causes if c["probability"] >= ADVICE_MIN_PROBABILITY] or causes[:3]
    if len(shown) < 3:
        shown = causes[:3]
    return shown


class AdviceWriter:
    """Builds the advice and the ALS context of assessments on one KB."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.finding_labels = {f.id: f.label for f in kb.findings}
        self.als_statements = tuple(st for st in kb.statements if st.topic == "als_context")

    def advice(self, shown: Sequence[Data], citations: Citations) -> Data:
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
            citations.cite(treatment.sources)
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
            citations.cite(step_info.sources)
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

    def als_context(
        self, req: Request, causes: Sequence[Data], citations: Citations
    ) -> Data | None:
        """r.AlsContext's data, or None when the ALS answer in context is not called for.

        The ids come from the KB's ``roles``: ``als_cause`` (the cause, and the concern a request
        may name), ``als_context_findings`` and ``als_signs``.
        """
        roles = self.kb.roles
        als = roles.als_cause
        if als is None:
            return None
        present = req.closed.present
        because = [f for f in roles.als_context_findings if f in present]
        rank = next(i for i, c in enumerate(causes) if c["id"] == als)
        if rank < 5:
            because.append("als_in_top_5")
        if als in req.concerns:
            because.append("concern_als")
        if not because:
            return None
        p = causes[rank]["probability"]
        signs = [s for s in roles.als_signs if s in present]
        if signs:
            labels = ", ".join(self.finding_labels[s].lower() for s in signs)
            summary = (
                f"On these answers the chance of ALS is about {percent(p)}. You reported "
                f"{labels}: these are among the signs a doctor checks for ALS and for many more "
                "common conditions, so please follow the advice above and get them examined."
            )
        else:
            summary = (
                f"On these answers the chance of ALS is about {percent(p)}. You did not report "
                "weakness, wasting, or new trouble speaking, swallowing or breathing. Twitching "
                "without these signs is very rarely ALS, and most twitching is harmless."
            )
        statements = []
        for st in self.als_statements:
            citations.cite(st.sources)
            statements.append({"text": st.text, "sources": list(st.sources)})
        return {
            "shown_because": because,
            "probability": p,
            "summary": summary,
            "statements": statements,
        }


def percent(p: float) -> str:
    """A probability in words a person reads easily."""
    if p < 0.001:
        return "less than 1 in 1,000"
    if p < 0.01:
        return f"{p * 100:.1f}%"
    return f"{p:.0%}"
