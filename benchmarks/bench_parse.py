"""Free-text parse latency (issue 17): ``POST /api/v1/parse`` on a 500-character text, in
process (TestClient, so HTTP framing is included but no socket), and the parser alone.

Run: ``python -m benchmarks.bench_parse [--n 2000]``. Prints p50/p95/p99 in milliseconds and
the cold-start cost (spaCy and negspaCy imported and the pipeline built on the first parse).
Not part of the test suite (a benchmark, not a timed test).
"""

from __future__ import annotations

import argparse
import statistics
import time

TEXT = (
    "My nose has been twitching since Tuesday, mostly the side of my nostril, for a second at a "
    "time. I drink like 6 coffees a day and I sleep maybe 4 hours because of exams. No weakness, "
    "I don't think my speech is slurred, maybe some tingling in my fingers but no numbness. My "
    "uncle had ALS and I'm terrified, I keep googling it. I'm a 34-year-old woman. It gets worse "
    "when I'm stressed and after coffee. No trouble swallowing, no face drooping, no double "
    "vision and I can walk fine without tripping. Mum had Bell's palsy years ago.."
)[:500]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "mean": statistics.fmean(ordered) * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    n = ap.parse_args().n
    assert len(TEXT) == 500, len(TEXT)

    t0 = time.perf_counter()
    from twitchcheck.api import default_checker

    checker = default_checker()
    t1 = time.perf_counter()
    checker.text.parse("warm up")
    t2 = time.perf_counter()
    print(f"checker built: {t1 - t0:.2f} s; first parse (spaCy import + pipeline): {t2 - t1:.2f} s")

    parser_times = []
    for _ in range(n):
        a = time.perf_counter()
        checker.text.parse(TEXT)
        parser_times.append(time.perf_counter() - a)
    print("parser alone (ms):", {k: round(v, 2) for k, v in percentiles(parser_times).items()})

    from fastapi.testclient import TestClient

    from twitchcheck.interfaces.rest.app import create_app
    from twitchcheck.interfaces.rest.settings import Settings

    # TestClient sends Host: testserver, which the default allow-list (loopback names) refuses.
    settings = Settings(rate_limit_per_minute=1_000_000, allowed_hosts=["testserver"])
    client = TestClient(create_app(settings))
    body = {"text": TEXT}
    client.post("/api/v1/parse", json=body)
    http_times = []
    for _ in range(n):
        a = time.perf_counter()
        res = client.post("/api/v1/parse", json=body)
        http_times.append(time.perf_counter() - a)
        assert res.status_code == 200
    print("POST /api/v1/parse (ms):", {k: round(v, 2) for k, v in percentiles(http_times).items()})


if __name__ == "__main__":
    main()
