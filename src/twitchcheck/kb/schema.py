"""The pydantic schema of the knowledge-base files.

A KB is a folder of YAML files (see ``docs/knowledge-base.md``). This module checks the
*structure* of each file: types, ranges, required fields, and that every number carries its
provenance. Cross-references between files (unknown ids, duplicates) are checked by
:mod:`twitchcheck.kb.crossref`. Completeness against the vocabulary and the source articles is a
test of the shipped KB, not part of the schema, so that generated KBs pass it too.
"""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from twitchcheck.domain import MAX_AGE, MIN_AGE, LevelId
from twitchcheck.kb.addresses import address_problem
from twitchcheck.kb.schema_base import Id as Id
from twitchcheck.kb.schema_base import NonEmpty as NonEmpty
from twitchcheck.kb.schema_base import OpenProbability as OpenProbability
from twitchcheck.kb.schema_base import Provenance as Provenance
from twitchcheck.kb.schema_base import Strict as Strict
from twitchcheck.kb.schema_prior import FITTED_FORM as FITTED_FORM
from twitchcheck.kb.schema_prior import FITTED_LABEL as FITTED_LABEL
from twitchcheck.kb.schema_prior import AgeOddsRatio as AgeOddsRatio
from twitchcheck.kb.schema_prior import Prior as Prior
from twitchcheck.kb.schema_prior import SexOddsRatios as SexOddsRatios


class Codes(Strict):
    snomed: tuple[Annotated[str, StringConstraints(pattern=r"^\d{6,18}$")], ...] = ()
    icd10cm: tuple[
        Annotated[str, StringConstraints(pattern=r"^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$")], ...
    ] = ()
    hpo: tuple[Annotated[str, StringConstraints(pattern=r"^HP:\d{7}$")], ...] = ()


Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Source(Strict):
    """A cited source. ``url`` is its canonical address (nhs.uk, nice.org.uk, a DOI, PubMed or
    PMC, the publisher); ``read_at`` holds the copies it was actually read through (a mirror,
    a syndication copy, a summary), never cited themselves. One address or a list."""

    id: Id
    title: NonEmpty
    publisher: NonEmpty
    url: Url
    tier: Literal["A", "B", "C"]
    note: str | None = None
    read_at: tuple[Url, ...] = ()

    @field_validator("read_at", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _canonical(cls, value: str) -> str:
        # A mirror, proxy or tracked address may only be a copy (``read_at``), never the citation.
        problem = address_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


# When an advice item (self-care step, treatment, work-up step) fits a person's answers
# (docs/assessment-json.md, "advice"). ``acts_on``: the findings the item acts on (caffeine for
# "cut down on caffeine"); it is left out when the person answered "no" to every one of them.
# ``not_when``: findings that make it out of place (a twitch of days for Botox); it is left out
# when any of them is present.
ActsOn = tuple[Id, ...]
NotWhen = tuple[Id, ...]


class SelfCareStep(Strict):
    """A self-care step that fits only some answers (a plain string fits every person)."""

    text: NonEmpty
    acts_on: ActsOn = ()
    not_when: NotWhen = ()

    @model_validator(mode="after")
    def _has_condition(self) -> SelfCareStep:
        if not self.acts_on and not self.not_when:
            raise ValueError("a step without 'acts_on' or 'not_when' is written as plain text")
        return self


class Cause(Strict):
    id: Id
    name: NonEmpty
    description: NonEmpty
    category: Literal[
        "lifestyle",
        "medication",
        "nutritional_metabolic",
        "nerve_hyperexcitability",
        "movement_neurological",
        "must_not_miss",
    ]
    prior: Prior
    urgency: LevelId
    # The posterior at or above which this cause's own urgency raises the triage level.
    urgency_threshold: OpenProbability
    self_care: tuple[NonEmpty | SelfCareStep, ...] = ()
    treatments: tuple[Id, ...] = ()
    workup: tuple[Id, ...] = ()
    when_to_seek_care: NonEmpty
    codes: Codes = Codes()
    sources: Annotated[tuple[Id, ...], Field(min_length=1)]


class LeakProbability(Provenance):
    """P(finding present | no cause in the KB is active)."""

    value: OpenProbability


class Amount(Provenance):
    """An amount the text may state for a finding, with the KB's threshold (issue 17).

    The finding is present when the stated amount is above ``above`` (or below ``below``) and
    absent otherwise; ``unit`` names what is counted, ``per`` the period it is counted over.
    """

    unit: Literal["coffee", "energy_drink", "sleep_hour", "alcohol_drink"]
    per: Literal["day", "week"]
    above: Annotated[float, Field(ge=0.0)] | None = None
    below: Annotated[float, Field(gt=0.0)] | None = None

    @model_validator(mode="after")
    def _one_threshold(self) -> Amount:
        if (self.above is None) == (self.below is None):
            raise ValueError("an amount needs exactly one of 'above' or 'below'")
        return self


#: Lay phrases of a finding, keyed by language (ISO 639-1): ``{en: [...]}``.
Phrases = dict[
    Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")],
    tuple[
        Annotated[str, StringConstraints(min_length=2, max_length=80, strip_whitespace=True)], ...
    ],
]


#: One word (no spaces) of a state pattern.
StateWord = Annotated[str, StringConstraints(pattern=r"^[^\s]{2,30}$")]


class StatePattern(Strict):
    """A subject said to be in a state within a few words, in either order: "my throat feels
    tight", "tight throat", "my chest is tight". Words are matched after the parser's stemming,
    so one form covers its inflections ("tighten", "tightening")."""

    subject: tuple[StateWord, ...] = Field(min_length=1)
    state: tuple[StateWord, ...] = Field(min_length=1)
    #: How many words may stand between them (none a punctuation mark or a clause break).
    within: int = Field(default=3, ge=0, le=8)
    #: ``state_first`` where the other order says something else ("suddenly ... headache" is
    #: a sudden headache; "headaches ... and suddenly my eye twitches" is not).
    order: Literal["any", "state_first"] = "any"


class TextHints(Strict):
    """How free text is read for a finding (issue 17), beside its lay phrases.

    ``about``: ``relative`` for a family history (placed only when the text names a relative);
    ``sudden_of``: findings that make this one when the text says they came on suddenly;
    ``worsening_of``: findings that make this one when the text says they are getting worse,
    over ``pace`` (days for a day-by-day course, weeks for a slow one);
    ``amounts``: amounts with the KB's thresholds; ``parts``: body parts that give this finding
    only in a sentence that also says the part moves ("my face and legs twitch"); ``states``:
    a subject and its state a few words apart, where a fixed phrase cannot list every wording;
    ``denials``: lay phrases that state the finding absent ("my strength is fine").
    """

    about: Literal["person", "relative"] = "person"
    sudden_of: tuple[Id, ...] = ()
    worsening_of: tuple[Id, ...] = ()
    pace: Literal["days", "weeks"] | None = None
    amounts: tuple[Amount, ...] = ()
    parts: Phrases = Field(default_factory=dict)
    denials: Phrases = Field(default_factory=dict)
    states: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")], tuple[StatePattern, ...]
    ] = Field(default_factory=dict)


class Finding(Strict):
    id: Id
    label: NonEmpty
    question: NonEmpty
    category: Literal[
        "location",
        "character",
        "time_course",
        "lifestyle",
        "history",
        "symptom",
        "sign",
    ]
    red_flag: bool = False
    # Who can answer it: the person (the default), or only a clinician examining them (such a
    # finding is never asked in the interview, but can be given as evidence).
    asked_by: Literal["person", "clinician"] = "person"
    leak: LeakProbability
    codes: Codes = Codes()
    sources: tuple[Id, ...] = ()
    phrases: Phrases = Field(default_factory=dict)
    text: TextHints = TextHints()


class Link(Provenance):
    """P(finding | this cause alone is active): the noisy-OR link probability."""

    cause: Id
    finding: Id
    p: OpenProbability


class ExclusiveGroup(Strict):
    id: Id
    question: NonEmpty
    members: Annotated[tuple[Id, ...], Field(min_length=2)]


class Implication(Strict):
    """``if`` present implies ``then`` present (and ``then`` absent implies ``if`` absent)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    if_: Id = Field(alias="if")
    then: Id


class Screen(Strict):
    """Findings asked together as one "which of these apply?" screen (``group_multiple``):
    the chosen ones are present and the rest absent."""

    id: Id
    question: NonEmpty
    members: Annotated[tuple[Id, ...], Field(min_length=2, max_length=12)]


class Roles(Strict):
    """The ids that code gives a part to, named here so that a renamed id fails the cross-check
    instead of vanishing silently. Every role is optional: a KB without one lacks that feature.
    """

    #: The cause the ALS answer in context is about; also the one concern a request may name.
    als_cause: Id | None = None
    #: Findings whose presence brings up the ALS context.
    als_context_findings: tuple[Id, ...] = ()
    #: Findings that, in the ALS context, are the signs doctors look for (beyond twitching).
    als_signs: tuple[Id, ...] = ()
    #: Twitch sites beyond the face: reaching them from the face is "spreading" (the diary).
    body_locations: tuple[Id, ...] = ()
    #: Face patterns that are themselves a spread over the face (the diary).
    face_spread_locations: tuple[Id, ...] = ()
    #: How long the twitching has gone on, shortest first (the diary answers them from its span).
    duration_findings: tuple[Id, ...] = ()
    #: The finding that says the twitching is getting worse (the diary sets it on a change).
    worsening: Id | None = None


class Structure(Strict):
    exclusive_groups: tuple[ExclusiveGroup, ...] = ()
    implications: tuple[Implication, ...] = ()
    screens: tuple[Screen, ...] = ()
    roles: Roles = Roles()


class StandDown(Provenance):
    """When a ``soon`` or ``routine`` rule stands down (contracts §6; docs/triage.md): one of
    ``triggers`` (self-limiting explanations, e.g. a lot of caffeine) is present AND the posteriors
    of ``guards`` (the causes that need care behind the rule), computed without red-flag
    findings, sum to less than ``below``. The provenance says where ``below`` comes from
    (``estimate`` starts with "estimated:" or "fitted:", with the reasoning or the command and
    data) and which guideline allows the stand-down (``sources``).

    ``safety_net`` is the plain sentence the person gets instead (what to change, and when to see
    a GP if it does not settle); ``{change}`` in it is replaced by the ``changes`` phrases of the
    triggers that are present ("cutting down caffeine").
    """

    guards: Annotated[tuple[Id, ...], Field(min_length=1)]
    triggers: Annotated[tuple[Id, ...], Field(min_length=1)]
    below: OpenProbability
    safety_net: NonEmpty | None = None
    changes: dict[Id, NonEmpty] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _well_formed(self) -> StandDown:
        if len(set(self.guards)) < len(self.guards) or len(set(self.triggers)) < len(self.triggers):
            raise ValueError("guards and triggers must not repeat an id")
        extra = sorted(set(self.changes) - set(self.triggers))
        if extra:
            raise ValueError(f"'changes' names ids that are not triggers: {extra}")
        if self.safety_net is not None:
            fields = {
                f for _, f, _, _ in string.Formatter().parse(self.safety_net) if f is not None
            }
            if not fields <= {"change"}:
                raise ValueError(
                    f"safety_net may hold only the placeholder {{change}}, not {sorted(fields)}"
                )
        return self


class Rule(Provenance):
    """A triage rule: fires when every ``all_of`` finding is present, at least one ``any_of``
    finding is present (when given) and the age lies in [age_min, age_max).

    Rules only look at *present* findings and age, never at absent ones, so adding a finding can
    only make more rules fire: that is what keeps "a red flag never lowers triage" true.
    """

    id: Id
    kind: Literal["red_flag", "combination", "time_course"]
    all_of: tuple[Id, ...] = ()
    any_of: tuple[Id, ...] = ()
    age_min: Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)] | None = None
    age_max: Annotated[int, Field(ge=MIN_AGE + 1, le=MAX_AGE + 1)] | None = None
    level: LevelId
    text: NonEmpty
    #: When the rule may stand down (only soon/routine rules without red flags: kb.crossref).
    stand_down: StandDown | None = None

    @model_validator(mode="after")
    def _has_condition(self) -> Rule:
        if not self.all_of and not self.any_of:
            raise ValueError("a rule needs 'all_of' or 'any_of' findings")
        return self


class TriageLevelText(Strict):
    id: LevelId
    name: NonEmpty
    advice: NonEmpty
    safety_net: NonEmpty


class Muscle(Strict):
    id: Id
    name: NonEmpty
    action: NonEmpty
    findings: Annotated[tuple[Id, ...], Field(min_length=1)]
    sources: Annotated[tuple[Id, ...], Field(min_length=1)]


class Treatment(Strict):
    id: Id
    name: NonEmpty
    description: NonEmpty
    sources: Annotated[tuple[Id, ...], Field(min_length=1)]
    acts_on: ActsOn = ()
    not_when: NotWhen = ()


class WorkupStep(Strict):
    id: Id
    name: NonEmpty
    description: NonEmpty
    sources: Annotated[tuple[Id, ...], Field(min_length=1)]
    acts_on: ActsOn = ()
    not_when: NotWhen = ()


class Statement(Strict):
    """A cited plain-language statement, e.g. a number that puts the ALS worry in context."""

    id: Id
    topic: Id
    text: NonEmpty
    sources: Annotated[tuple[Id, ...], Field(min_length=1)]


class Meta(Strict):
    id: Id
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    title: NonEmpty
    reference_age: Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)]
    disclaimer: NonEmpty
