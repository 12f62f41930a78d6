"""The diary as a FHIR R4B Bundle (type "collection"), built with ``fhir.resources``."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference

from twitchcheck.diary.schemas import EpisodePublic
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.diary.wording import label_of
from twitchcheck.kb.model import KnowledgeBase

SNOMED = "http://snomed.info/sct"
HPO = "http://human-phenotype-ontology.org"
UCUM = "http://unitsofmeasure.org"
#: FHIR R4B Observation.status codes (fhir.resources does not check the value set).
OBSERVATION_STATUSES = frozenset(
    {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
     "entered-in-error", "unknown"}
)  # fmt: skip


def _codes(kb: KnowledgeBase, finding_id: str) -> list[Coding]:
    finding = kb.findings[kb.finding_index[finding_id]]
    codes = finding.codes
    out: list[Coding] = []
    if codes is not None:
        out += [Coding(system=SNOMED, code=c, display=finding.label) for c in codes.snomed]
        out += [Coding(system=HPO, code=c, display=finding.label) for c in codes.hpo]
    return out


def _when(value: dt.datetime) -> dt.datetime:
    # FHIR wants a time zone with a time of day; the diary keeps the person's wall-clock time,
    # so the computer's own time zone is the best available guess.
    return value.astimezone()


def _quantity(value: float, unit: str, code: str) -> Quantity:
    return Quantity(value=value, unit=unit, system=UCUM, code=code)


def _component(text: str, **value: Any) -> ObservationComponent:
    return ObservationComponent(code=CodeableConcept(text=text), **value)


def _episode_observation(kb: KnowledgeBase, ep: EpisodePublic, patient: str) -> Observation:
    codings: list[Coding] = []
    for loc in ep.locations:
        codings += [c for c in _codes(kb, loc) if c.system == SNOMED]
    text = "Twitching episode: " + ", ".join(label_of(kb, loc) for loc in ep.locations)
    comps = [_component("Duration", valueQuantity=_quantity(ep.duration_seconds, "s", "s"))]
    if ep.intensity is not None:
        comps.append(_component("Intensity (0-10)", valueInteger=ep.intensity))
    comps.append(_component("Side", valueString=ep.side))
    if ep.caffeine_cups is not None:
        comps.append(
            _component("Caffeine", valueQuantity=_quantity(ep.caffeine_cups, "cups", "{cup}"))
        )
    if ep.sleep_hours is not None:
        comps.append(_component("Sleep", valueQuantity=_quantity(ep.sleep_hours, "h", "h")))
    if ep.stress is not None:
        comps.append(_component("Stress (0-10)", valueInteger=ep.stress))
    return Observation(
        identifier=[{"value": ep.uid}],
        status="final",
        code=CodeableConcept(coding=codings or None, text=text),
        subject=Reference(reference=patient),
        effectiveDateTime=_when(ep.occurred_at),
        component=comps,
        note=[{"text": ep.note}] if ep.note else None,
    )


def export_fhir(store: DiaryStore, user: UserRef, kb: KnowledgeBase) -> dict[str, Any]:
    """The diary as a FHIR R4B Bundle (type "collection"), as a JSON-able dict.

    A Patient (birth year and sex only, nothing identifying), an Observation per episode
    (the locations' SNOMED codes where the KB has them, with duration, intensity, side,
    caffeine, sleep and stress as components) and an Observation per check-in answer
    (valueBoolean, coded with the KB's SNOMED and HPO codes where present, text otherwise).
    """
    profile = store.profile(user)
    patient_url = f"urn:uuid:{uuid.uuid4()}"
    patient = Patient(
        gender=profile.sex,
        birthDate=str(profile.birth_year) if profile.birth_year else None,
    )
    entries = [BundleEntry(fullUrl=patient_url, resource=patient)]
    for ep in store.iter_episodes(user):
        obs = _episode_observation(kb, ep, patient_url)
        entries.append(BundleEntry(fullUrl=f"urn:uuid:{uuid.uuid4()}", resource=obs))
    for c in store.iter_checkins(user):
        for fid, yes in c.answers.items():
            codings = _codes(kb, fid) if fid in kb.finding_index else []
            obs = Observation(
                status="final",
                code=CodeableConcept(coding=codings or None, text=label_of(kb, fid)),
                subject=Reference(reference=patient_url),
                effectiveDateTime=c.on_date,
                valueBoolean=yes,
                identifier=[{"value": f"{c.uid}:{fid}"}],
            )
            entries.append(BundleEntry(fullUrl=f"urn:uuid:{uuid.uuid4()}", resource=obs))
    bundle = Bundle(
        type="collection",
        timestamp=dt.datetime.now(dt.UTC),
        entry=entries,
    )
    data: dict[str, Any] = bundle.model_dump(mode="json")
    check_bundle(data)
    return data


def check_bundle(data: dict[str, Any]) -> None:
    """Checks fhir.resources does not make: raises ValueError naming the first problem."""
    if data.get("resourceType") != "Bundle" or data.get("type") != "collection":
        raise ValueError("not a FHIR collection Bundle")
    urls: set[str] = set()
    for n, entry in enumerate(data.get("entry", [])):
        url = entry.get("fullUrl")
        if not url or url in urls:
            raise ValueError(f"entry {n}: missing or repeated fullUrl")
        urls.add(url)
    for n, entry in enumerate(data.get("entry", [])):
        res = entry["resource"]
        if res.get("resourceType") != "Observation":
            continue
        if res.get("status") not in OBSERVATION_STATUSES:
            raise ValueError(f"entry {n}: Observation.status {res.get('status')!r} is not valid")
        code = res.get("code") or {}
        if not code.get("text") and not code.get("coding"):
            raise ValueError(f"entry {n}: Observation.code has neither coding nor text")
        when = res.get("effectiveDateTime")
        if not isinstance(when, str):
            raise ValueError(f"entry {n}: Observation has no effectiveDateTime")
        try:
            (dt.date if len(when) == 10 else dt.datetime).fromisoformat(when)
        except ValueError:
            raise ValueError(f"entry {n}: effectiveDateTime {when!r} does not parse") from None
        ref = (res.get("subject") or {}).get("reference")
        if ref not in urls:
            raise ValueError(f"entry {n}: subject {ref!r} is not in the bundle")
        for comp in res.get("component", []):
            if not (comp.get("code") or {}).get("text"):
                raise ValueError(f"entry {n}: a component has no code text")
            q = comp.get("valueQuantity")
            if q is not None and not (
                isinstance(q.get("value"), int | float) and math.isfinite(q["value"])
            ):
                raise ValueError(f"entry {n}: component quantity is not a finite number")
