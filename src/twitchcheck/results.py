"""The public result shapes (pydantic): one shape for the Python API, the CLI's ``--json`` and
the REST API. Keys named in ``shared/spec/contracts.md`` §1 are fixed; see docs/assessment-json.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from twitchcheck.domain import Choice, Sex, TriageLevel

#: Plain JSON data (str, int, float, bool, None, lists and dicts) in the shape of a results model:
#: what the facade builds, the REST API sends as it is and the Python API validates.
Data = dict[str, Any]


class Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class SourceRef(Public):
    id: str
    title: str
    publisher: str
    url: str
    tier: Literal["A", "B", "C"]


class ExplanationItem(Public):
    """One finding that moved a cause: its effect on the cause's log-odds, in plain words."""

    finding: str
    label: str
    answer: Literal["present", "absent"]
    derived: bool = Field(
        default=False, description="true when the answer follows from others (closure), not said"
    )
    log_odds_change: float = Field(description="log-odds with the answer minus log-odds without it")
    text: str


class RankedCause(Public):
    id: str
    name: str
    probability: float = Field(ge=0.0, le=1.0, description="posterior marginal P(cause | evidence)")
    prior: float = Field(ge=0.0, le=1.0, description="prior for this person's age and sex")
    category: str
    urgency: TriageLevel
    description: str
    explanation: list[ExplanationItem]
    sources: list[str]


class TriageReason(Public):
    kind: Literal["rule", "cause", "time_course"]
    id: str
    level: TriageLevel
    text: str
    sources: list[SourceRef]


class StoodDown(Public):
    """A rule that fired but stood down (docs/triage.md): a trigger present explains it and the
    causes it guards against are unlikely, so it gave no level."""

    rule: str
    level: TriageLevel = Field(description="the level the rule would have given")
    text: str
    triggers: list[str] = Field(description="its triggers that are present")
    guards: list[str] = Field(description="the causes that need care behind the rule")
    guarded_probability: float = Field(
        ge=0.0, description="the guards' summed posterior, without red-flag findings"
    )
    below: float = Field(description="the rule stands down only when the sum is below this")
    why: str
    safety_net: str = Field(
        description="what to change, and when to see a GP if it does not settle"
    )
    sources: list[SourceRef]


class Triage(Public):
    level: TriageLevel
    name: str
    advice: str
    reasons: list[TriageReason]
    stood_down: list[StoodDown] = []
    safety_net: str
    tell_call_handler: list[str] = Field(
        default=[],
        description="at the emergency level, what to tell the call handler (what is happening, "
        "when it started); otherwise empty",
    )


class RedFlag(Public):
    id: str
    label: str


class Treatment(Public):
    id: str
    name: str
    description: str
    for_causes: list[str]
    sources: list[str]


class WorkupStep(Public):
    id: str
    name: str
    description: str
    sources: list[str]


class Advice(Public):
    self_care: list[str]
    treatments: list[Treatment]
    doctor_may: list[WorkupStep]
    when_to_seek_care: list[str]


class Statement(Public):
    text: str
    sources: list[str]


class AlsContext(Public):
    shown_because: list[str]
    probability: float
    chance: str = Field(
        description="the probability in the one form the summary says it (e.g. 'about 1 in 400')"
    )
    summary: str
    statements: list[Statement]


class EvidenceEcho(Public):
    """The evidence as used: what was reported and what closure added."""

    age: int
    sex: Sex
    present: list[str]
    absent: list[str]
    initial: list[str]
    derived: list[str]
    concerns: list[str]


class EngineInfo(Public):
    method: Literal["exact", "approximate"]
    largest_group: int
    #: How the explanations' leave-one-out effects were computed: exactly, or (above
    #: ``EXPLAIN_EXACT_POSITIVES`` positives in one group) with the chunked approximation.
    explanations: Literal["exact", "approximate"] = "exact"


def _is_none(value: object) -> bool:
    """Keys that appear only when they hold something (a parse, a stated age)."""
    return value is None


class ParsedFinding(Public):
    """A finding the free-text parser found: its choice, the span it came from and why."""

    id: str
    choice: Choice
    start: int = Field(description="Unicode code-point offset of the span's start")
    end: int = Field(description="code-point offset just past the span (end exclusive)")
    why: str


class ParsedText(Public):
    """The answer of ``POST /api/v1/parse`` (contracts §6 "Free text")."""

    findings: list[ParsedFinding]
    unplaced: list[str] = Field(description="clauses of the text that gave no finding")
    age: int | None = Field(
        default=None, exclude_if=_is_none, description="an age the text states (never used)"
    )
    sex: Sex | None = Field(
        default=None, exclude_if=_is_none, description="a sex the text states (never used)"
    )


class ParsedBlock(ParsedText):
    """What free text gave an assessment or an interview step; ``overridden``: parsed ids that
    explicit answers (after closure) overrode."""

    overridden: list[str] = []


class Assessment(Public):
    kb_version: str
    disclaimer: str
    evidence: EvidenceEcho
    causes: list[RankedCause]
    triage: Triage
    red_flags: list[RedFlag]
    advice: Advice
    als_context: AlsContext | None
    sources: list[SourceRef]
    engine: EngineInfo
    parsed: ParsedBlock | None = Field(
        default=None,
        exclude_if=_is_none,
        description="only when text was given: what the text gave",
    )


class EvidenceItem(BaseModel):
    """One answer in a request (REST ``evidence`` list)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    choice: Choice
    initial: StrictBool = False


class QuestionItem(Public):
    id: str
    label: str


class Question(Public):
    id: str
    type: Literal["single", "group_single", "group_multiple"]
    text: str
    rationale: str
    items: list[QuestionItem]


class CauseProbability(Public):
    id: str
    name: str
    probability: float = Field(ge=0.0, le=1.0)


class Progress(Public):
    answered: int
    max_questions: int


class InterviewStep(Public):
    """The answer of ``POST /api/v1/interview/next`` (contracts §1)."""

    kb_version: str
    question: Question | None
    should_stop: bool
    stop_reason: str | None
    causes: list[CauseProbability]
    triage: Triage
    red_flags: list[RedFlag]
    progress: Progress
    parsed: ParsedBlock | None = Field(
        default=None,
        exclude_if=_is_none,
        description="only when text was given: what the text gave",
    )
