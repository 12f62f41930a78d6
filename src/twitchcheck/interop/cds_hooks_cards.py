"""An assessment as a CDS Hooks 2.0 card, and the feedback clients send about cards.

The indicator follows the triage level (docs/fhir.md "CDS Hooks"): ``emergency`` (call an
ambulance) and ``urgent`` (see a doctor within 24 hours) are ``critical``, since the clinician
must act on them during this visit; ``soon`` (within days) is ``warning``; ``routine`` and
``self_care`` are ``info``. The card names the level and the top cause in its summary (under 140
characters, as the spec asks), and its markdown detail gives the level's reasons and advice, the
top causes with their probabilities and the KB's disclaimer. Its one link opens the whole
assessment in the clinician's browser by a token URL that carries no health data.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from twitchcheck import results as r
from twitchcheck.domain import TriageLevel

INDICATOR: dict[TriageLevel, str] = {
    TriageLevel.EMERGENCY: "critical",
    TriageLevel.URGENT: "critical",
    TriageLevel.SOON: "warning",
    TriageLevel.ROUTINE: "info",
    TriageLevel.SELF_CARE: "info",
}
#: The spec: "summary ... SHOULD be under 140 characters".
SUMMARY_LIMIT = 140
TOP_CAUSES = 3
SOURCE_LABEL = "twitchcheck"


def summary(assessment: r.Assessment) -> str:
    """One line under SUMMARY_LIMIT characters: the level and the most likely cause."""
    head = f"Twitching: {assessment.triage.name}."
    if not assessment.causes:
        return clip(head)
    top = assessment.causes[0]
    tail = f" Most likely {top.name} ({percent(top.probability)})."
    return clip(head + tail)


def clip(text: str) -> str:
    """``text`` cut at a word to fit under SUMMARY_LIMIT characters, an ellipsis marking a cut."""
    if len(text) < SUMMARY_LIMIT:
        return text
    return text[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0] + "…"


def percent(p: float) -> str:
    return "<1%" if p < 0.005 else f"{p:.0%}"


def detail(assessment: r.Assessment, skipped: int = 0) -> str:
    """The card's markdown: the level with its reasons and advice, the top causes, the caveats."""
    triage = assessment.triage
    lines = [f"**Triage: {triage.name}.** {triage.advice}", ""]
    if triage.reasons:
        lines += ["Why:", *(f"- {reason.text}" for reason in triage.reasons), ""]
    lines.append("**Most likely causes** (probability given the findings):")
    lines += [
        f"{n}. {cause.name}: {percent(cause.probability)}"
        for n, cause in enumerate(assessment.causes[:TOP_CAUSES], start=1)
    ]
    lines += ["", f"Safety net: {triage.safety_net}"]
    if skipped:
        lines += ["", f"{skipped} Observation(s) could not be read as a finding and were left out."]
    lines += ["", f"_{assessment.disclaimer}_"]
    return "\n".join(lines)


def card(assessment: r.Assessment, view_url: str, skipped: int = 0) -> dict[str, Any]:
    """The card of ``assessment``; ``view_url`` opens the whole assessment (no health data)."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": summary(assessment),
        "indicator": INDICATOR[TriageLevel(assessment.triage.level)],
        "detail": detail(assessment, skipped),
        "source": {"label": f"{SOURCE_LABEL} (knowledge base {assessment.kb_version})"},
        "links": [
            {"label": "Open the full twitchcheck assessment", "url": view_url, "type": "absolute"}
        ],
    }


def notice_card(text: str, kb_version: str) -> dict[str, Any]:
    """An info card saying why no assessment could be made (e.g. no birth date)."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": clip(f"twitchcheck could not assess the twitching: {text}"),
        "indicator": "info",
        "source": {"label": f"{SOURCE_LABEL} (knowledge base {kb_version})"},
    }


class OverrideReason(BaseModel):
    model_config = ConfigDict(extra="allow")
    reason: dict[str, Any] | None = None
    userComment: str | None = None


class Feedback(BaseModel):
    """One card's outcome (CDS Hooks 2.0 "Feedback")."""

    model_config = ConfigDict(extra="allow")
    card: uuid.UUID
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[dict[str, Any]] = []
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: datetime


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    feedback: list[Feedback] = Field(min_length=1, max_length=100)
