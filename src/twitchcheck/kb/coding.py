"""The code systems twitchcheck's FHIR and CDS Hooks faces use, in one place.

The project's own CodeSystems (for the five triage levels, for findings and causes without a
standard code, and for interview answers) are named by canonical URLs that never depend on the
host serving them (contracts §6): a receiver can store and compare them. The diary export
(``diary/``) and the interop layer (``interop/``) both read them from here, so there is one copy.
"""

from __future__ import annotations

#: The base of every canonical URL the project publishes. A name, not an address to fetch.
CANONICAL_BASE = "https://fhir.twitchcheck.org"

#: Findings (symptoms, history, lifestyle) by their KB id, for those without a standard code.
FINDING_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/finding"
#: Causes by their KB id.
CAUSE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/cause"
#: The five triage levels: emergency, urgent, soon, routine, self_care.
TRIAGE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/triage-level"
#: Answers to an interview question: present, absent, unknown (don't know), none.
ANSWER_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/answer"
#: Identifier systems: a receiver de-duplicates a second export on (system, value).
DIARY_ENTRY_IDENTIFIER = f"{CANONICAL_BASE}/NamingSystem/diary-entry"
DIARY_CHECKIN_IDENTIFIER = f"{CANONICAL_BASE}/NamingSystem/diary-checkin"
DIARY_ASSESSMENT_IDENTIFIER = f"{CANONICAL_BASE}/NamingSystem/diary-assessment"
#: What a diary entry records besides findings (duration, side, caffeine, sleep ...): no standard
#: code was verified for these, so the diary export codes them here (components, panels).
DIARY_COMPONENT_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/diary-component"
#: Extensions of the diary export: the IANA zone an entry was made in; the wall-clock time of an
#: entry exported as a date only (made before zones were stored, no zone in the profile); the
#: triage level of a saved assessment (a RiskAssessment has no element for it).
DIARY_TIME_ZONE_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/diary-time-zone"
DIARY_WALL_CLOCK_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/diary-wall-clock-time"
TRIAGE_LEVEL_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/triage-level"

#: The concepts of DIARY_COMPONENT_SYSTEM: code -> display.
DIARY_COMPONENTS = {
    "twitching-episode": "Twitching episode",
    "daily-check-in": "Daily check-in",
    "location": "Where it twitched",
    "side": "Side",
    "duration": "Duration",
    "intensity": "Intensity (0-10)",
    "caffeine": "Caffeine (cups that day)",
    "sleep": "Sleep (hours the night before)",
    "stress": "Stress (0-10)",
    "exercise": "Hard exercise that day",
    "alcohol": "Alcohol (units that day)",
    "medicine": "Medicine taken",
    "medicine-changed": "A medicine was started, stopped or changed",
    "assessment-manual": "Assessment the person ran",
    "assessment-diary": "Re-triage from the diary's progression check",
}

#: Standard systems, by the URIs HL7's terminology registry gives them.
SNOMED_CT = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
HPO = "http://human-phenotype-ontology.org"
UCUM = "http://unitsofmeasure.org"
#: HL7's administrative gender (a Patient's gender; the interview's "sex" answer).
ADMINISTRATIVE_GENDER = "http://hl7.org/fhir/administrative-gender"
#: HL7's Observation categories (survey: what the person reported).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
