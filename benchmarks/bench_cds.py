"""CDS Hooks latency (issue 20): ``POST /cds-services/twitchcheck-patient-view`` and
``POST /cds-services/twitchcheck-answers``, in process (TestClient: HTTP framing, routing, the
body checks, JWT verification and the thread-pool hop are included; no socket), with a signed
ES384 bearer token on every call as a CDS client sends it. The goal is p99 <= 500 ms (CDS Hooks
asks services to answer "on the order of 500 ms").

Run: ``python -m benchmarks.bench_cds [--n 500]``. Prints p50/p95/p99 in milliseconds per
service and body. Not part of the test suite (a benchmark, not a timed test).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from tests.interop.cds_fixtures import (
    ISSUER,
    answers_call,
    new_keys,
    observation,
    patient_view,
    public_jwks,
    questionnaire_response,
    token,
)

from benchmarks.bench_parse import percentiles

BASE = "https://cds.example.org"
#: Bodies of increasing size: a few findings, a red flag, and many findings (most of a screen).
CASES: dict[str, list[str]] = {
    "self-care (3 findings)": ["twitch_eyelid", "twitch_brief_seconds", "high_caffeine_intake"],
    "emergency red flag": ["twitch_eyelid", "sudden_speech_difficulty"],
    "12 findings": [
        "twitch_nose",
        "twitch_nose_side",
        "twitch_brief_seconds",
        "high_caffeine_intake",
        "poor_sleep",
        "high_stress",
        "twitch_eyelid",
        "twitch_cheek_mouth",
        "muscle_weakness",
        "difficulty_swallowing",
        "twitch_limbs_or_trunk",
        "twitch_widespread",
    ],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    n = ap.parse_args().n

    from fastapi.testclient import TestClient

    from twitchcheck.interfaces.rest.app import create_app
    from twitchcheck.interfaces.rest.settings import Settings

    ec, _ = new_keys()
    settings = Settings(
        cds_jwks=json.dumps(public_jwks(ec)),
        cds_issuers=[ISSUER],
        cds_base_url=BASE,
        allowed_hosts=["testserver"],
    )
    with TestClient(create_app(settings)) as client:  # one event loop thread for all calls
        run(client, ec, n)


def run(client: Any, key: Any, n: int) -> None:
    for label, present in CASES.items():
        calls: dict[str, Any] = {
            "/cds-services/twitchcheck-patient-view": patient_view(*map(observation, present)),
            "/cds-services/twitchcheck-answers": answers_call(
                questionnaire_response(34, "female", present)
            ),
        }
        for path, body in calls.items():
            times = []
            for _ in range(n + 5):
                bearer = {"authorization": f"Bearer {token(key, BASE + path)}"}
                start = time.perf_counter()
                answer = client.post(path, json=body, headers=bearer)
                times.append(time.perf_counter() - start)
                assert answer.status_code == 200, answer.text
            stats = {k: round(v, 2) for k, v in percentiles(times[5:]).items()}  # 5 warm-ups
            print(f"{path.rsplit('/', 1)[1]:26} {label:24} (ms): {stats}")


if __name__ == "__main__":
    main()
