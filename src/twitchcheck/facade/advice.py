"""What an assessment advises: self-care, treatments, what a doctor may do and when to seek care
for the causes worth showing; and the ALS answer in context (contracts §2).

The rule (docs/assessment-json.md, "advice"): an item comes only from a cause at or above
:data:`ADVICE_MIN_PROBABILITY` (the top cause alone when none reaches it), never contradicts an
answer (see :func:`fits`), and appears once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from twitchcheck.facade.citations import Citations
from twitchcheck.facade.request import Request
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb import schema as s
from twitchcheck.results import Data

#: Causes whose advice is shown: at least this probability (the top cause alone when none is).
ADVICE_MIN_PROBABILITY = 0.10


def shown_causes(causes: Sequence[Data]) -> Sequence[Data]:
    """The ranked causes whose advice is shown (see :data:`ADVICE_MIN_PROBABILITY`).

    A cause below the threshold is not plausible enough for its treatments (Botox for a likely
    caffeine twitch); the top cause stands in when nothing reaches it, so advice is never empty.
    """
    shown = [c for c in causes if c["probability"] >= ADVICE_MIN_PROBABILITY]
    return shown or causes[:1]


def fits(
    item: s.Treatment | s.WorkupStep | s.SelfCareStep,
    present: Collection[str],
    absent: Collection[str],
) -> bool:
    """Whether an advice item fits the answers: not every finding it acts on was answered "no"
    (no "stop nicotine" for someone who uses none), and none that make it out of place is present.
    """
    if item.acts_on and all(f in absent for f in item.acts_on):
        return False
    return not any(f in present for f in item.not_when)


def _key(text: str) -> str:
    """Bullets that differ only in case, spacing or a full stop are the same bullet."""
    return " ".join(text.lower().split()).rstrip(".")


class AdviceWriter:
    """Builds the advice and the ALS context of assessments on one KB."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.finding_labels = {f.id: f.label for f in kb.findings}
        self.als_statements = tuple(st for st in kb.statements if st.topic == "als_context")

    def advice(self, req: Request, shown: Sequence[Data], citations: Citations) -> Data:
        """r.Advice's data: what the causes worth showing suggest, fitted to the answers."""
        kb = self.kb
        present, absent = req.closed.present, req.closed.absent
        self_care: dict[str, str] = {}
        treatments: dict[str, list[str]] = {}
        workup: list[str] = []
        when: list[str] = []
        for rc in shown:
            cause = kb.cause(rc["id"])
            for step in cause.self_care:
                if isinstance(step, s.SelfCareStep):
                    if not fits(step, present, absent):
                        continue
                    step = step.text
                self_care.setdefault(_key(step), step)
            for t in cause.treatments:
                if fits(kb.treatments[t], present, absent):
                    treatments.setdefault(t, []).append(cause.id)
            for w in cause.workup:
                if w not in workup and fits(kb.workup[w], present, absent):
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
            "self_care": list(self_care.values()),
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
        chance = chance_in_words(p)
        present_signs = [x for x in roles.als_signs if x in present]
        absent_signs = [x for x in roles.als_signs if x in req.closed.absent]
        lead = f"On these answers the chance of ALS is {chance}."
        if present_signs:
            summary = (
                f"{lead} You reported {self.labels(present_signs)}: these are among the signs a "
                "doctor checks for ALS and for many more common conditions, so please follow the "
                "advice above and get them examined."
            )
        elif absent_signs:
            # Only the signs the person answered "no" to are named as not reported.
            summary = (
                f"{lead} You said no to {self.labels(absent_signs)}. Twitching without signs like "
                "these is very rarely ALS, and most twitching is harmless."
            )
        else:
            summary = (
                f"{lead} Twitching without weakness, muscle thinning or new trouble speaking, "
                "swallowing or breathing is very rarely ALS; if you notice any of these, see a "
                "doctor."
            )
        statements = []
        for st in self.als_statements:
            citations.cite(st.sources)
            statements.append({"text": st.text, "sources": list(st.sources)})
        return {
            "shown_because": because,
            "probability": p,
            "chance": chance,
            "summary": summary,
            "statements": statements,
        }

    def labels(self, findings: Sequence[str]) -> str:
        """Finding labels in a sentence: 'muscle weakness, trouble swallowing and clumsy hands'."""
        names = [self.finding_labels[f].lower() for f in findings]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def chance_in_words(p: float) -> str:
    """A small probability in one form a person reads easily: "fewer than 1 in 10,000",
    "about 1 in 400", "about 3%". The ALS context says its number this way only."""
    if p < 0.0001:
        return "fewer than 1 in 10,000"
    if p < 0.01:
        n = 1 / p
        step = 1000 if n >= 1000 else 100 if n >= 100 else 10
        return f"about 1 in {round(n / step) * step:,}"
    return f"about {p:.0%}"


def percent(p: float) -> str:
    """A probability in words a person reads easily."""
    if p < 0.001:
        return "less than 1 in 1,000"
    if p < 0.01:
        return f"{p * 100:.1f}%"
    return f"{p:.0%}"
