"""Observation ↔ finding: how a records system's Observations become evidence, and back.

An Observation names a finding by a coding in its ``code``: preferably the finding id in
``FINDING_SYSTEM``; otherwise a SNOMED CT or HPO code the KB gives exactly one finding (kb
``findings.yaml`` ``codes``; a code the KB gives to several findings, such as a general finding
and its sudden-onset variant, needs the ``FINDING_SYSTEM`` coding). Its value says whether the
finding is present: ``valueBoolean``, or ``valueCodeableConcept`` with ``present``, ``absent`` or
``unknown`` in ``ANSWER_SYSTEM``. Status ``final``, ``amended``, ``corrected`` and ``preliminary``
count; ``entered-in-error`` Observations are ignored (they were never true); any other status is
an error, since nothing was observed yet or the observation was withdrawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twitchcheck.domain import Choice
from twitchcheck.interop.outcome import (
    CODE_INVALID,
    INVALID,
    STRUCTURE,
    FhirInputError,
    expect_list,
    expect_resource,
)
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb.coding import ANSWER_SYSTEM, FINDING_SYSTEM, HPO, SNOMED_CT

ACCEPTED_STATUSES = frozenset({"final", "amended", "corrected", "preliminary"})
IGNORED_STATUS = "entered-in-error"
ANSWER_CHOICES: Mapping[str, Choice] = {c.value: c for c in Choice}


@dataclass(frozen=True)
class ObservedFinding:
    """One finding an Observation states: its id and whether it is present."""

    finding: str
    choice: Choice


class FindingCodes:
    """The KB's findings by every code that names them (FINDING_SYSTEM, SNOMED CT, HPO)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.labels = {f.id: f.label for f in kb.findings}
        self.by_code: dict[tuple[str, str], set[str]] = {}
        for f in kb.findings:
            self.by_code.setdefault((FINDING_SYSTEM, f.id), set()).add(f.id)
            for code in f.codes.snomed:
                self.by_code.setdefault((SNOMED_CT, code), set()).add(f.id)
            for code in f.codes.hpo:
                self.by_code.setdefault((HPO, code), set()).add(f.id)

    def finding_of(self, concept: object) -> str:
        """The finding a CodeableConcept names (FINDING_SYSTEM first), or a 422 saying why not."""
        if not isinstance(concept, dict):
            raise FhirInputError(
                STRUCTURE, "Observation.code must be a CodeableConcept.", status=400
            )
        codings = [c for c in expect_list(concept, "coding", "Observation.code") if c]
        keys = [(c.get("system"), c.get("code")) for c in codings if isinstance(c, dict)]
        ours = [code for system, code in keys if system == FINDING_SYSTEM]
        for system, code in sorted(keys, key=lambda k: k[0] != FINDING_SYSTEM):
            found = self.by_code.get((str(system), str(code)), set())
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1 and not ours:
                raise FhirInputError(
                    CODE_INVALID,
                    f"The code {system}|{code} names several findings ({', '.join(sorted(found))}):"
                    f" add the finding's coding in {FINDING_SYSTEM}.",
                    expression="Observation.code",
                )
        named = ", ".join(f"{s}|{c}" for s, c in keys) or "no coding"
        raise FhirInputError(
            CODE_INVALID,
            f"Observation.code ({named}) names no finding of this knowledge base.",
            expression="Observation.code",
        )

    def observed(self, observation: object) -> ObservedFinding | None:
        """The finding an Observation states, or None when it was entered in error."""
        obs = expect_resource(observation, "Observation", "Observation")
        status = obs.get("status")
        if status == IGNORED_STATUS:
            return None
        if status not in ACCEPTED_STATUSES:
            raise FhirInputError(
                INVALID,
                f"An Observation with status {status!r} states nothing yet: send final, "
                "amended, corrected or preliminary ones.",
                expression="Observation.status",
            )
        return ObservedFinding(self.finding_of(obs.get("code")), observed_choice(obs))

    def observation(
        self, finding: str, choice: Choice, *, subject: str | None = None
    ) -> dict[str, Any]:
        """An Observation (JSON data) stating ``finding`` with ``choice``, coded in
        FINDING_SYSTEM plus the KB's SNOMED CT and HPO codes."""
        f = self.kb.finding(finding)
        codings = [{"system": FINDING_SYSTEM, "code": f.id, "display": f.label}]
        codings += [{"system": SNOMED_CT, "code": c} for c in f.codes.snomed]
        codings += [{"system": HPO, "code": c} for c in f.codes.hpo]
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": codings, "text": f.label},
            "valueCodeableConcept": answer_concept(choice),
        }
        if subject:
            obs["subject"] = {"reference": subject}
        return obs


def answer_concept(choice: Choice) -> dict[str, Any]:
    """A choice as a CodeableConcept in ANSWER_SYSTEM."""
    return {"coding": [{"system": ANSWER_SYSTEM, "code": choice.value}], "text": choice.value}


def observed_choice(obs: Mapping[str, Any]) -> Choice:
    """Whether an Observation says its finding is present, absent or unknown."""
    if "valueBoolean" in obs:
        value = obs["valueBoolean"]
        if not isinstance(value, bool):
            raise FhirInputError(
                STRUCTURE, "Observation.valueBoolean must be true or false.", status=400
            )
        return Choice.PRESENT if value else Choice.ABSENT
    concept = obs.get("valueCodeableConcept")
    if isinstance(concept, dict):
        for coding in expect_list(concept, "coding", "Observation.valueCodeableConcept"):
            if isinstance(coding, dict) and coding.get("system") == ANSWER_SYSTEM:
                code = coding.get("code")
                if isinstance(code, str) and code in ANSWER_CHOICES:
                    return ANSWER_CHOICES[code]
    raise FhirInputError(
        INVALID,
        "An Observation of a finding needs valueBoolean, or valueCodeableConcept with present, "
        f"absent or unknown in {ANSWER_SYSTEM}.",
        expression="Observation.value",
    )
