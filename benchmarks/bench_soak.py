"""Soak benchmark (issue 18): ``twitchcheck serve`` started here on 127.0.0.1, then a fixed rate
of a realistic mix of requests for a fixed time; the server's memory (RSS) and the latency p99
at the start and at the end, and per minute in between. A benchmark, not a test: run it by hand.

Run: ``python -m benchmarks.bench_soak [--rate 40] [--seconds 600] [--workers 1]
[--database-url URL]``. Without ``--database-url`` the diary is a fresh SQLite file in a
temporary folder. The loop is bounded (rate x seconds requests, each with a 10 s timeout) and
stops the server itself. Writes ``benchmarks/results/soak-<UTC time>.json`` and prints a table.

Open loop: request ``i`` is due at ``start + i / rate`` whether or not earlier ones have
answered, and its latency is counted from when it was due, so a stalled server shows up as
latency instead of as a slower rate (no coordinated omission).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_parse import percentiles

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WINDOW_SECONDS = 60

ASSESS = {
    "age": 34,
    "sex": "female",
    "evidence": [
        {"id": "twitch_nose", "choice": "present", "initial": True},
        {"id": "twitch_eyelid", "choice": "present"},
        {"id": "muscle_weakness", "choice": "absent"},
    ],
}
INTERVIEW = {"age": 34, "sex": "female", "evidence": ASSESS["evidence"][:1]}


def _episode(n: int) -> dict[str, Any]:
    when = dt.datetime(2026, 1, 1, 8) + dt.timedelta(minutes=13 * n)
    return {"occurred_at": when.isoformat(), "locations": ["twitch_nose"], "duration_seconds": 3}


#: The mix, repeated in this order: what a person using the page and the diary sends.
MIX: tuple[tuple[str, str, str], ...] = (
    ("assess", "POST", "/api/v1/assess"),
    ("interview", "POST", "/api/v1/interview/next"),
    ("assess", "POST", "/api/v1/assess"),
    ("diary_add", "POST", "/api/v1/diary/episodes"),
    ("diary_list", "GET", "/api/v1/diary/episodes?limit=20"),
    ("interview", "POST", "/api/v1/interview/next"),
    ("kb", "GET", "/api/v1/kb/causes"),
    ("readyz", "GET", "/readyz"),
)


@dataclass
class Sample:
    due: float  # seconds since the start
    route: str
    latency: float
    ok: bool


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its children (uvicorn's workers), in KiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def start_server(port: int, args: argparse.Namespace, data_dir: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TWITCHCHECK_DATA_DIR": data_dir,
        "TWITCHCHECK_RATE_LIMIT_PER_MINUTE": "1000000",
        "TWITCHCHECK_ALLOWED_HOSTS": "127.0.0.1",
    }
    if args.database_url:
        env["TWITCHCHECK_DATABASE_URL"] = args.database_url
    cmd = [sys.executable, "-m", "twitchcheck", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", str(args.workers)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not become ready within 60 s")


async def one(client: httpx.AsyncClient, i: int, due: float, t0: float) -> Sample:
    route, method, path = MIX[i % len(MIX)]
    body: dict[str, Any] | None = None
    if route in ("assess", "interview"):
        body = ASSESS if route == "assess" else INTERVIEW
    elif route == "diary_add":
        body = _episode(i)
    try:
        res = await client.request(method, path, json=body)
        ok = res.status_code < 400
    except httpx.HTTPError:
        ok = False
    return Sample(due, route, time.perf_counter() - (t0 + due), ok)


async def drive(base: str, rate: float, seconds: float, pid: int) -> tuple[list[Sample], list[Any]]:
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    memory: list[tuple[float, int]] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10.0) as client:
        t0 = time.perf_counter()
        tasks = []
        next_memory = 0.0
        for i in range(int(rate * seconds)):  # bounded: the loop ends by itself
            due = i / rate
            now = time.perf_counter() - t0
            if now >= next_memory:
                memory.append((round(now, 1), rss_kib(pid)))
                next_memory += 5.0
            if due > now:
                await asyncio.sleep(due - now)
            tasks.append(asyncio.create_task(one(client, i, due, t0)))
        samples = list(await asyncio.gather(*tasks))
        memory.append((round(time.perf_counter() - t0, 1), rss_kib(pid)))
    return samples, memory


def windows(samples: list[Sample], memory: list[Any], seconds: float) -> list[dict[str, Any]]:
    rows = []
    for start in range(0, int(seconds), WINDOW_SECONDS):
        inside = [s for s in samples if start <= s.due < start + WINDOW_SECONDS]
        if not inside:
            continue
        rss = [kib for at, kib in memory if start <= at < start + WINDOW_SECONDS] or [0]
        stats = percentiles([s.latency for s in inside])
        rows.append(
            {
                "from_s": start,
                "requests": len(inside),
                "errors": sum(not s.ok for s in inside),
                "p50_ms": round(stats["p50"], 2),
                "p99_ms": round(stats["p99"], 2),
                "max_ms": round(max(s.latency for s in inside) * 1000, 2),
                "rss_mib": round(rss[-1] / 1024, 1),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=40.0, help="requests a second (default 40)")
    ap.add_argument("--seconds", type=float, default=600.0, help="how long (default 600)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    port = 40000 + os.getpid() % 20000
    base = f"http://127.0.0.1:{port}"
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="twitchcheck-soak-") as data_dir:
        proc = start_server(port, args, data_dir)
        try:
            wait_ready(base, proc)
            samples, memory = asyncio.run(drive(base, args.rate, args.seconds, proc.pid))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    rows = windows(samples, memory, args.seconds)
    result = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rate_per_s": args.rate,
        "seconds": args.seconds,
        "workers": args.workers,
        "database": "postgresql" if args.database_url else "sqlite (fresh, temporary)",
        "mix": [route for route, _, _ in MIX],
        "requests": len(samples),
        "errors": sum(not s.ok for s in samples),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "rss_mib_start": round(memory[0][1] / 1024, 1),
        "rss_mib_end": round(memory[-1][1] / 1024, 1),
        "rss_mib_max": round(max(kib for _, kib in memory) / 1024, 1),
        "first_minute": rows[0],
        "last_minute": rows[-1],
        "per_minute": rows,
        "memory_kib": memory,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"soak-{result['when'].replace(':', '')}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print("| from s | requests | errors | p50 ms | p99 ms | max ms | RSS MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['from_s']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p99_ms']} "
            f"| {r['max_ms']} | {r['rss_mib']} |"
        )
    print(
        f"RSS MiB: start {result['rss_mib_start']}, end {result['rss_mib_end']}, max "
        f"{result['rss_mib_max']}; load {result['load_average_start']} -> "
        f"{result['load_average_end']}; written {out.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
