"""The diary as a FHIR R4B Bundle (type "collection"), checked with ``fhir.resources``.

The resources themselves are built in :mod:`.fhir_resources`. Every entry's ``fullUrl`` is a
urn:uuid derived from its identifier, so a second export of the same diary gives the same
identifiers and fullUrls and a receiver can de-duplicate it; only the Bundle's ``timestamp``
(when it was made) differs. Nothing depends on the exporting machine's time zone: entry times
are written in the zone they were made in (see :mod:`.time_zones`), stored times in UTC.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.riskassessment import RiskAssessment

from twitchcheck.diary import fhir_resources as fr
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.kb import coding as c
from twitchcheck.kb.model import KnowledgeBase

#: FHIR R4B Observation.status codes (fhir.resources does not check the value set).
OBSERVATION_STATUSES = frozenset(
    {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
     "entered-in-error", "unknown"}
)  # fmt: skip
#: Fields of an episode or check-in that the export leaves out, and why: every other field is
#: exported (tests/diary/test_fhir_export.py walks the schemas to hold this).
NOT_EXPORTED = {"id": "the row number of one database; the uid is the entry's identifier"}
_MODELS: dict[str, type[Observation | Patient | RiskAssessment]] = {
    "Observation": Observation,
    "Patient": Patient,
    "RiskAssessment": RiskAssessment,
}


def _entry(resource: dict[str, Any], url: str) -> dict[str, Any]:
    checked = _MODELS[resource["resourceType"]].model_validate(resource)
    return {"fullUrl": url, "resource": checked.model_dump(mode="json")}


def _identified(resource: dict[str, Any]) -> dict[str, Any]:
    ident = resource["identifier"][0]
    return _entry(resource, fr.full_url(ident["system"], ident["value"]))


def export_fhir(
    store: DiaryStore, user: UserRef, kb: KnowledgeBase, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The diary as a FHIR R4B Bundle (type "collection"), as a JSON-able dict.

    A Patient (birth year and sex only), an Observation per episode and per check-in, and a
    RiskAssessment per saved assessment (see :mod:`.fhir_resources`). ``now`` is the Bundle's
    timestamp (default: the current time, in UTC).
    """
    profile = store.profile(user)
    created = store.account_created(user)
    # A pseudonym, stable for the account: its name and creation time, never the person's.
    patient_url = fr.full_url(
        "patient", f"{user.username}|{created.isoformat() if created else ''}"
    )
    entries = [_entry(fr.patient(profile), patient_url)]
    entries += [
        _identified(fr.episode_observation(kb, ep, patient_url, profile.time_zone))
        for ep in store.iter_episodes(user)
    ]
    entries += [
        _identified(fr.checkin_observation(kb, ci, patient_url)) for ci in store.iter_checkins(user)
    ]
    entries += [
        _identified(fr.risk_assessment(kb, record, patient_url))
        for record in store.iter_assessments(user)
    ]
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": stamp.isoformat().replace("+00:00", "Z"),
            "entry": entries,
        }
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
        text = res.get("text") or {}
        if text.get("status") != "generated" or not str(text.get("div", "")).startswith("<div"):
            raise ValueError(f"entry {n}: no generated narrative")
        if res.get("resourceType") == "Patient":
            continue
        if not all(i.get("system") and i.get("value") for i in res.get("identifier") or [{}]):
            raise ValueError(f"entry {n}: an identifier without system and value")
        ref = (res.get("subject") or {}).get("reference")
        if ref not in urls:
            raise ValueError(f"entry {n}: subject {ref!r} is not in the bundle")
        if res.get("resourceType") == "Observation":
            _check_observation(n, res)


def _check_observation(n: int, res: dict[str, Any]) -> None:
    if res.get("status") not in OBSERVATION_STATUSES:
        raise ValueError(f"entry {n}: Observation.status {res.get('status')!r} is not valid")
    if not any(
        coding.get("system") == c.OBSERVATION_CATEGORY
        for cat in res.get("category", [])
        for coding in cat.get("coding", [])
    ):
        raise ValueError(f"entry {n}: Observation has no category")
    when = res.get("effectiveDateTime")
    if not isinstance(when, str):
        raise ValueError(f"entry {n}: Observation has no effectiveDateTime")
    try:
        (dt.date if len(when) == 10 else dt.datetime).fromisoformat(when)
    except ValueError:
        raise ValueError(f"entry {n}: effectiveDateTime {when!r} does not parse") from None
    if len(when) > 10 and dt.datetime.fromisoformat(when).tzinfo is None:
        raise ValueError(f"entry {n}: effectiveDateTime {when!r} has a time but no offset")
    for comp in [res, *res.get("component", [])]:
        if not (comp.get("code") or {}).get("coding"):
            raise ValueError(f"entry {n}: a code without a coding")
        q = comp.get("valueQuantity")
        if q is not None and not (
            isinstance(q.get("value"), int | float) and math.isfinite(q["value"])
        ):
            raise ValueError(f"entry {n}: component quantity is not a finite number")
