"""One diary entry as one FHIR R4B resource (a JSON-able dict; :mod:`.fhir_export` checks it
with the R4B models of ``fhir.resources`` and puts the Bundle together).

- An episode is an Observation (category ``survey``: the person reported it) coded
  ``diary-component#twitching-episode``; each place is a ``location`` component whose value is
  the KB finding (SNOMED CT and HPO where the KB has them, and always the finding's id in
  FINDING_SYSTEM), and every other field is a coded component (duration, side, intensity,
  caffeine, sleep, stress, exercise, alcohol, one per medicine, medicine changed) or the note.
- A check-in is an Observation coded ``diary-component#daily-check-in``: one component per
  answer (the finding, ``valueBoolean``), and that day's caffeine, sleep and stress.
- A saved assessment is a RiskAssessment: one prediction per cause (SNOMED CT and ICD-10-CM where
  the KB has them, the cause's id in CAUSE_SYSTEM), the triage advice as ``mitigation``, the
  triage level (TRIAGE_SYSTEM) in an extension, as no RiskAssessment element holds it.

No standard code (LOINC, SNOMED CT) was verified for the components, so they are the project's
own (``DIARY_COMPONENTS`` in :mod:`twitchcheck.kb.coding`). Every resource carries a stable
identifier (system and the entry's uid) and a generated narrative.
"""

from __future__ import annotations

import datetime as dt
import uuid
from html import escape
from typing import Any

from twitchcheck.diary.schemas import (
    AssessmentRecordPublic,
    CheckInPublic,
    EpisodePublic,
    ProfilePublic,
)
from twitchcheck.diary.time_zones import fhir_datetime
from twitchcheck.kb import coding as c
from twitchcheck.kb.model import KnowledgeBase

JSON = dict[str, Any]

#: The namespace of every fullUrl the export derives: uuid5 of (identifier system, value).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, c.CANONICAL_BASE)
_SURVEY = [
    {
        "coding": [{"system": c.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}],
        "text": "Reported by the person",
    }
]


def full_url(system: str, value: str) -> str:
    """The same urn:uuid for the same identifier in every export (a receiver de-duplicates)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{system}|{value}')}"


def narrative(*lines: str) -> JSON:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{paragraphs}</div>',
    }


def utc_instant(naive_utc: dt.datetime) -> str:
    """A stored UTC time (naive, see storage.models.utcnow) as a FHIR instant."""
    return naive_utc.replace(microsecond=0).isoformat() + "Z"


def component_code(code: str) -> JSON:
    display = c.DIARY_COMPONENTS[code]
    return {
        "coding": [{"system": c.DIARY_COMPONENT_SYSTEM, "code": code, "display": display}],
        "text": display,
    }


def finding_concept(kb: KnowledgeBase, finding_id: str) -> JSON:
    """The finding's SNOMED CT and HPO codes where the KB has them, and its id always."""
    if finding_id not in kb.finding_index:  # answered before the KB dropped it: the id alone
        return {"coding": [{"system": c.FINDING_SYSTEM, "code": finding_id}], "text": finding_id}
    finding = kb.findings[kb.finding_index[finding_id]]
    label = finding.label
    codings = [{"system": c.SNOMED_CT, "code": x} for x in finding.codes.snomed]
    codings += [{"system": c.HPO, "code": x} for x in finding.codes.hpo]
    codings.append({"system": c.FINDING_SYSTEM, "code": finding_id, "display": label})
    return {"coding": codings, "text": label}


def cause_concept(kb: KnowledgeBase, cause_id: str, name: str) -> JSON:
    codings: list[JSON] = []
    if cause_id in kb.cause_index:
        codes = kb.causes[kb.cause_index[cause_id]].codes
        codings += [{"system": c.SNOMED_CT, "code": x} for x in codes.snomed]
        codings += [{"system": c.ICD10CM, "code": x} for x in codes.icd10cm]
    codings.append({"system": c.CAUSE_SYSTEM, "code": cause_id, "display": name})
    return {"coding": codings, "text": name}


def _quantity(value: float, unit: str, code: str) -> JSON:
    return {"value": value, "unit": unit, "system": c.UCUM, "code": code}


def _component(code: str, value_key: str, value: Any) -> JSON:
    return {"code": component_code(code), value_key: value}


def _context_components(
    caffeine: float | None, sleep: float | None, stress: int | None
) -> list[JSON]:
    """That day's caffeine, sleep and stress, where recorded (episodes and check-ins)."""
    out = []
    if caffeine is not None:
        out.append(_component("caffeine", "valueQuantity", _quantity(caffeine, "cups", "{cup}")))
    if sleep is not None:
        out.append(_component("sleep", "valueQuantity", _quantity(sleep, "h", "h")))
    if stress is not None:
        out.append(_component("stress", "valueInteger", stress))
    return out


def _when(wall: dt.datetime, own_zone: str | None, profile_zone: str | None) -> tuple[JSON, str]:
    """effectiveDateTime (and extensions) for a wall-clock time, and how the narrative says it.

    The entry's own zone, else the profile's; with neither, the date alone and the wall-clock
    time in an extension: never the exporting machine's zone, which may not be the person's.
    """
    zone = own_zone or profile_zone
    clock = wall.strftime("%Y-%m-%d %H:%M")
    if zone is None:
        time_ext = {"url": c.DIARY_WALL_CLOCK_EXTENSION, "valueTime": wall.strftime("%H:%M:%S")}
        return (
            {"effectiveDateTime": wall.date().isoformat(), "extension": [time_ext]},
            f"{clock} local time (time zone not recorded)",
        )
    source = "" if own_zone else ", from the profile"
    return (
        {
            "effectiveDateTime": fhir_datetime(wall, zone),
            "extension": [{"url": c.DIARY_TIME_ZONE_EXTENSION, "valueCode": zone}],
        },
        f"{clock} ({zone}{source})",
    )


def episode_observation(
    kb: KnowledgeBase, ep: EpisodePublic, patient: str, profile_zone: str | None
) -> JSON:
    when, said = _when(ep.occurred_at, ep.time_zone, profile_zone)
    places = [finding_concept(kb, loc) for loc in ep.locations]
    comps = [_component("location", "valueCodeableConcept", p) for p in places]
    comps.append(_component("side", "valueString", ep.side))
    duration = _quantity(ep.duration_seconds, "s", "s")
    comps.append(_component("duration", "valueQuantity", duration))
    if ep.intensity is not None:
        comps.append(_component("intensity", "valueInteger", ep.intensity))
    comps += _context_components(ep.caffeine_cups, ep.sleep_hours, ep.stress)
    if ep.exercise is not None:
        comps.append(_component("exercise", "valueBoolean", ep.exercise))
    if ep.alcohol_units is not None:
        alcohol = _quantity(ep.alcohol_units, "units", "{unit}")
        comps.append(_component("alcohol", "valueQuantity", alcohol))
    comps += [_component("medicine", "valueString", name) for name in ep.medicines]
    if ep.medicine_changed is not None:
        comps.append(_component("medicine-changed", "valueBoolean", ep.medicine_changed))
    where = ", ".join(p["text"] for p in places)
    return {
        "resourceType": "Observation",
        "text": narrative(
            f"Twitching episode at {said}: {where} ({ep.side} side), "
            f"{ep.duration_seconds:g} seconds.",
            _values_line(comps[len(places) + 2 :]),
            f"Note: {ep.note}" if ep.note else "",
        ),
        **when,
        "identifier": [{"system": c.DIARY_ENTRY_IDENTIFIER, "value": ep.uid}],
        "status": "final",
        "category": _SURVEY,
        "code": component_code("twitching-episode"),
        "subject": {"reference": patient},
        "issued": utc_instant(ep.created_at),
        "component": comps,
        **({"note": [{"text": ep.note}]} if ep.note else {}),
    }


def _values_line(comps: list[JSON]) -> str:
    """The components after place, side and duration, in words: "Intensity (0-10): 4; ..."."""
    parts = []
    for comp in comps:
        value = next(v for k, v in comp.items() if k.startswith("value"))
        if isinstance(value, dict):
            value = value.get("text") or f"{value['value']:g} {value['unit']}"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append(f"{comp['code']['text']}: {value}")
    return "; ".join(parts)


def checkin_observation(kb: KnowledgeBase, ci: CheckInPublic, patient: str) -> JSON:
    comps = [
        {"code": finding_concept(kb, fid), "valueBoolean": yes} for fid, yes in ci.answers.items()
    ]
    comps += _context_components(ci.caffeine_cups, ci.sleep_hours, ci.stress)
    zone = (
        {"extension": [{"url": c.DIARY_TIME_ZONE_EXTENSION, "valueCode": ci.time_zone}]}
        if ci.time_zone
        else {}
    )
    return {
        "resourceType": "Observation",
        "text": narrative(
            f"Check-in for {ci.on_date.isoformat()}.",
            _values_line(comps),
            f"Note: {ci.note}" if ci.note else "",
        ),
        **zone,
        "identifier": [{"system": c.DIARY_CHECKIN_IDENTIFIER, "value": ci.uid}],
        "status": "final",
        "category": _SURVEY,
        "code": component_code("daily-check-in"),
        "subject": {"reference": patient},
        # A check-in is about a day: a date, which needs no zone.
        "effectiveDateTime": ci.on_date.isoformat(),
        "issued": utc_instant(ci.created_at),
        "component": comps,
        **({"note": [{"text": ci.note}]} if ci.note else {}),
    }


def _evidence_text(kb: KnowledgeBase, evidence: dict[str, Any]) -> str:
    """The answers an assessment used, in words (the API's ``evidence`` list, or the older
    ``present``/``absent`` lists)."""
    pairs = [(str(e.get("id")), str(e.get("choice"))) for e in evidence.get("evidence", [])]
    for choice in ("present", "absent"):
        pairs += [(str(fid), choice) for fid in evidence.get(choice, [])]
    answers = [f"{finding_concept(kb, fid)['text']}: {choice}" for fid, choice in pairs]
    who = f"Age {evidence.get('age')}, {evidence.get('sex')}."
    return f"{who} Answers used: {'; '.join(answers) or 'none'}."


def _prediction(kb: KnowledgeBase, cause: dict[str, Any]) -> JSON:
    cause_id = str(cause["id"])
    name = cause.get("name") or (
        kb.causes[kb.cause_index[cause_id]].name if cause_id in kb.cause_index else cause_id
    )
    out: JSON = {"outcome": cause_concept(kb, cause_id, str(name))}
    if isinstance(cause.get("probability"), int | float):
        out["probabilityDecimal"] = cause["probability"]
    return out


def risk_assessment(kb: KnowledgeBase, record: AssessmentRecordPublic, patient: str) -> JSON:
    result, triage = record.result, record.result.get("triage") or {}
    level = record.triage or str(triage.get("level", ""))
    predictions = [_prediction(kb, cause) for cause in result.get("causes", [])]
    method = "assessment-manual" if record.origin == "manual" else "assessment-diary"
    evidence = _evidence_text(kb, record.evidence)
    kb_version = result.get("kb_version")
    top = predictions[0]["outcome"]["text"] if predictions else "none"
    level_name = str(triage.get("name") or level)
    return {
        "resourceType": "RiskAssessment",
        "text": narrative(
            f"Assessment of {utc_instant(record.created_at)}: {level_name} ({level}); "
            f"most likely cause: {top}.",
            evidence,
        ),
        "extension": [
            {
                "url": c.TRIAGE_LEVEL_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [{"system": c.TRIAGE_SYSTEM, "code": level, "display": level_name}],
                    "text": level_name,
                },
            }
        ],
        "identifier": [{"system": c.DIARY_ASSESSMENT_IDENTIFIER, "value": record.uid}],
        "status": "final",
        "method": component_code(method),
        "subject": {"reference": patient},
        "occurrenceDateTime": utc_instant(record.created_at),
        **({"prediction": predictions} if predictions else {}),
        **({"mitigation": triage["advice"]} if triage.get("advice") else {}),
        "note": [{"text": evidence + (f" Knowledge base {kb_version}." if kb_version else "")}],
    }


def patient(profile: ProfilePublic) -> JSON:
    """Birth year and sex, nothing that identifies the person."""
    said = ", ".join(
        part
        for part in (
            f"born {profile.birth_year}" if profile.birth_year else "",
            profile.sex or "",
        )
        if part
    )
    out: JSON = {
        "resourceType": "Patient",
        "text": narrative(f"Diary owner: {said or 'no profile'}."),
    }
    if profile.sex:
        out["gender"] = profile.sex  # female, male, other, unknown: FHIR's own codes
    if profile.birth_year:
        out["birthDate"] = str(profile.birth_year)
    return out
