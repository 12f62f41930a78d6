"""Builders for CDS Hooks requests and signed tokens, shared by the CDS Hooks tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

from twitchcheck.kb.coding import ADMINISTRATIVE_GENDER, ANSWER_SYSTEM, FINDING_SYSTEM

PATIENT_ID = "pat-4711"
ISSUER = "https://ehr.example.org"
SIGNING_ALGORITHMS = ["ES384", "RS384"]


def observation(
    finding: str, present: bool = True, when: str = "2026-11-30", **extra: Any
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "effectiveDateTime": when,
        "code": {"coding": [{"system": FINDING_SYSTEM, "code": finding}]},
        "valueBoolean": present,
        **extra,
    }


def searchset(*observations: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": o, "search": {"mode": "match"}} for o in observations],
    }


def patient(birth: str | None = "1986-03-15", gender: str = "female") -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "id": PATIENT_ID, "gender": gender}
    if birth is not None:
        resource["birthDate"] = birth
    return resource


def patient_view(*observations: dict[str, Any], **prefetch: Any) -> dict[str, Any]:
    """A patient-view call; ``prefetch`` replaces (or, as None, nulls) the default keys."""
    keys: dict[str, Any] = {"patient": patient(), "twitchObservations": searchset(*observations)}
    keys.update(prefetch)
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/dr-1", "patientId": PATIENT_ID},
        "prefetch": keys,
    }


def questionnaire_response(
    age: int | None, sex: str | None, present: Sequence[str], absent: Sequence[str] = ()
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    if age is not None:
        items.append({"linkId": "age", "answer": [{"valueInteger": age}]})
    if sex is not None:
        coding = {"system": ADMINISTRATIVE_GENDER, "code": sex}
        items.append({"linkId": "sex", "answer": [{"valueCoding": coding}]})
    for finding, code in [*((f, "present") for f in present), *((f, "absent") for f in absent)]:
        coding = {"system": ANSWER_SYSTEM, "code": code}
        items.append({"linkId": finding, "answer": [{"valueCoding": coding}]})
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


def answers_call(qr: dict[str, Any], **prefetch: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "twitchcheck-answers-signed",
        "hookInstance": str(uuid.uuid4()),
        "context": {
            "userId": "Practitioner/dr-1",
            "patientId": PATIENT_ID,
            "questionnaireResponse": qr,
        },
    }
    if prefetch:
        body["prefetch"] = prefetch
    return body


def new_keys() -> tuple[ECKey, RSAKey]:
    return (
        ECKey.generate_key("P-384", parameters={"kid": "ec-1"}),
        RSAKey.generate_key(2048, parameters={"kid": "rsa-1"}),
    )


def public_jwks(*keys: ECKey | RSAKey) -> dict[str, Any]:
    return {"keys": [k.as_dict(private=False) for k in keys]}


def public_key_set(*keys: ECKey | RSAKey) -> KeySet:
    return KeySet.import_key_set(public_jwks(*keys))  # type: ignore[arg-type]


def token(
    key: ECKey | RSAKey,
    audience: str,
    *,
    issuer: str = ISSUER,
    issued: float | None = None,
    lifetime: int = 120,
    jti: str | None = None,
    **claims: Any,
) -> str:
    """A CDS client's bearer JWT signed with ``key`` (ES384 for EC keys, RS384 for RSA)."""
    iat = int(time.time() if issued is None else issued)
    payload = {
        "iss": issuer,
        "sub": "client-1",
        "aud": audience,
        "iat": iat,
        "exp": iat + lifetime,
        "jti": jti or str(uuid.uuid4()),
        **claims,
    }
    alg = "ES384" if isinstance(key, ECKey) else "RS384"
    header = {"alg": alg, "typ": "JWT", "kid": key.kid}
    return jwt.encode(header, payload, key, algorithms=SIGNING_ALGORITHMS)
