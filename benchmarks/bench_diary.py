"""Diary benchmark: import 1,000,000 episodes, then time the trend and trigger views.

Run from the repository root (never part of the test suite)::

    .venv/bin/python -m benchmarks.bench_diary                       # both databases, 1M episodes
    .venv/bin/python -m benchmarks.bench_diary --episodes 100000     # a shorter run
    .venv/bin/python -m benchmarks.bench_diary --backend sqlite --sqlite-path /tmp/b.sqlite3 --reuse

PostgreSQL is read from ``--postgres-url`` (default: the ``twitchcheck_bench`` database, created
with ``runuser -u postgres -- psql -c "create database twitchcheck_bench owner twitchcheck"``);
it is EMPTIED first unless ``--reuse``. SQLite uses a temporary file unless ``--sqlite-path``.

The diary is synthetic but shaped like a real one (seeded, repeatable): eight years of days, a
tenth of them without entries, a few locations (mostly the nose), and a daily count that is
Poisson-like with a rate that rises with caffeine and stress and falls with sleep, so the
trigger view has real associations to find (true rate ratios below, in ``TRUE_EFFECTS``). The
episodes go through ``DiaryStore.import_episodes`` (validated ``EpisodeIn`` models, one
transaction, streamed: the generator never holds the diary in memory), with a weekly check-in.

Each database runs in its own child process, so ``ru_maxrss`` (peak resident memory) is that
database's own. Measured: import time and rows/s, peak memory, database size, and the time of
``analysis.trends``, ``analysis.triggers``, ``store.day_rows`` and ``store.list_episodes`` (first
page) -- median and max of ``--repeats`` runs after one warm-up. The numbers go to
``benchmarks/results/diary.json`` and a Markdown table is printed for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "diary.json"
DEFAULT_PG = "postgresql://twitchcheck:twitchcheck@127.0.0.1:5432/twitchcheck_bench"
SEED = 6
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2026, 11, 1)
TARGET_MS = 200.0
#: The generator's true effects, per unit of each factor, on the daily rate.
TRUE_EFFECTS = {"caffeine_cups": 1.15, "sleep_hours": 0.88, "stress": 1.08}
LOCATIONS = (
    ("twitch_nose", 0.55),
    ("twitch_eyelid", 0.25),
    ("twitch_upper_lip", 0.1),
    ("twitch_cheek_mouth", 0.1),
)


# -- the synthetic diary ----------------------------------------------------------------------


def day_plan(episodes: int, seed: int = SEED) -> list[tuple[dt.date, int, float, float, int]]:
    """Per kept day: (day, episode count, caffeine cups, hours slept, stress); counts sum exactly."""
    rng = np.random.default_rng(seed)
    n_days = (LAST_DAY - FIRST_DAY).days + 1
    kept = rng.random(n_days) >= 0.1  # a tenth of the days have no entry at all
    caffeine = rng.choice(
        [0, 1, 2, 3, 4, 5, 6], size=n_days, p=[0.1, 0.2, 0.25, 0.2, 0.12, 0.08, 0.05]
    )
    sleep = np.clip(np.round(rng.normal(7.0, 1.1, n_days) * 2) / 2, 3.5, 10.0)
    stress = rng.integers(0, 11, n_days)
    log_rate = (
        math.log(TRUE_EFFECTS["caffeine_cups"]) * caffeine
        + math.log(TRUE_EFFECTS["sleep_hours"]) * (sleep - 7)
        + math.log(TRUE_EFFECTS["stress"]) * stress
        + rng.normal(0, 0.2, n_days)  # day-to-day noise: counts are overdispersed, as in life
    )
    weights = np.exp(log_rate) * kept
    counts = rng.multinomial(episodes, weights / weights.sum())
    return [
        (
            FIRST_DAY + dt.timedelta(days=i),
            int(counts[i]),
            float(caffeine[i]),
            float(sleep[i]),
            int(stress[i]),
        )
        for i in range(n_days)
        if counts[i] > 0
    ]


def generate(plan: list[tuple[dt.date, int, float, float, int]], seed: int = SEED) -> Iterator[Any]:
    """Validated ``EpisodeIn`` models, oldest day first, one day at a time (streamed)."""
    from twitchcheck.diary.schemas import EpisodeIn

    rng = np.random.default_rng(seed + 1)
    names = [loc for loc, _ in LOCATIONS]
    probs = [p for _, p in LOCATIONS]
    serial = 0
    for day, count, caffeine, sleep, stress in plan:
        seconds = np.sort(rng.integers(6 * 3600, 23 * 3600, count))
        where = rng.choice(len(names), size=count, p=probs)
        durations = np.round(rng.lognormal(2.5, 0.9, count), 1).clip(0.5, 3600)
        intensity = rng.integers(1, 8, count)
        sides = rng.choice(["left", "right", "both", "unknown"], size=count)
        midnight = dt.datetime.combine(day, dt.time())
        for k in range(count):
            serial += 1
            yield EpisodeIn(
                occurred_at=midnight + dt.timedelta(seconds=int(seconds[k])),
                locations=[names[where[k]]],
                side=str(sides[k]),
                duration_seconds=float(durations[k]),
                intensity=int(intensity[k]),
                caffeine_cups=caffeine,
                sleep_hours=sleep,
                stress=stress,
                uid=f"bench-{serial}",
            )


# -- one database -------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeats: int) -> dict[str, float]:
    fn()  # warm-up: caches, prepared statements, the page cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
        "min_ms": round(min(times), 2),
        "runs": repeats,
    }


def database_bytes(engine: Any, url: str) -> int:
    from sqlalchemy import text

    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect() as conn:
        return int(conn.execute(text("select pg_database_size(current_database())")).scalar_one())


def explain(engine: Any, user_id: int) -> dict[str, str]:
    """Query plans of what the views and the first list page run (for the report)."""
    from sqlalchemy import text

    queries = {
        "day_rows": "select * from day_stats where user_id = :u and episodes > 0 order by day",
        "location_days": "select day, location, episodes from location_days where user_id = :u "
        "and episodes > 0 order by day",
        "list_first_page": "select * from episodes where user_id = :u "
        "order by occurred_at desc, id desc limit 100",
    }
    prefix = "explain query plan " if engine.dialect.name == "sqlite" else "explain "
    out = {}
    with engine.connect() as conn:
        for name, sql in queries.items():
            rows = conn.execute(text(prefix + sql), {"u": user_id}).all()
            out[name] = " | ".join(str(r[-1]) for r in rows)
    return out


def what_if(engine: Any, store: Any, user: Any, repeats: int) -> dict[str, Any]:
    """Where the view time goes, and what two changes to the store would buy (not applied).

    The views read a few thousand aggregate rows, so their SQL is cheap (an index search); the
    time goes into building an ORM object and then a pydantic model per row, and into reading
    every (day, location) row to find each location's first and last day. Measured here: the
    same rows read as plain columns, the locations grouped in SQL, and the first list page with
    an index on (user_id, occurred_at, id), created for the measurement and dropped after it.
    """
    from sqlalchemy import func, select, text

    from twitchcheck.diary.schemas import DayRow
    from twitchcheck.storage import models as m

    def day_rows_columns() -> list[DayRow]:
        d = m.DayStats
        q = (
            select(
                d.day,
                d.episodes,
                d.duration_sum,
                d.intensity_sum,
                d.intensity_n,
                d.caffeine_sum,
                d.caffeine_n,
                d.sleep_sum,
                d.sleep_n,
                d.stress_sum,
                d.stress_n,
            )
            .where(d.user_id == user.id, d.episodes > 0)
            .order_by(d.day)
        )
        with engine.connect() as conn:
            return [
                DayRow.model_construct(
                    day=r[0],
                    episodes=r[1],
                    duration_seconds=r[2],
                    mean_intensity=r[3] / r[4] if r[4] else None,
                    caffeine_cups=r[5] / r[6] if r[6] else None,
                    sleep_hours=r[7] / r[8] if r[8] else None,
                    stress=r[9] / r[10] if r[10] else None,
                )
                for r in conn.execute(q)
            ]

    def locations_grouped() -> list[Any]:
        ld = m.LocationDay
        q = (
            select(ld.location, func.min(ld.day), func.max(ld.day), func.sum(ld.episodes))
            .where(ld.user_id == user.id, ld.episodes > 0)
            .group_by(ld.location)
        )
        with engine.connect() as conn:
            return list(conn.execute(q))

    out: dict[str, Any] = {
        "day_rows_as_columns": timed(day_rows_columns, repeats),
        "locations_grouped_in_sql": timed(locations_grouped, repeats),
    }
    index = "ix_bench_episode_user_time"
    with engine.begin() as conn:
        conn.execute(text(f"create index {index} on episodes (user_id, occurred_at, id)"))
    try:
        out["list_first_page_with_index"] = timed(
            lambda: store.list_episodes(user, limit=50), repeats
        )
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"drop index {index}"))
    return out


def run_backend(backend: str, url: str, episodes: int, repeats: int, reuse: bool) -> dict[str, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from twitchcheck.diary import analysis
    from twitchcheck.diary.schemas import CheckInIn
    from twitchcheck.diary.service import DiaryStore
    from twitchcheck.kb.loader import load_kb
    from twitchcheck.storage.db import make_engine, migrate

    result: dict[str, Any] = {"backend": backend, "episodes_requested": episodes}
    engine = make_engine(url)
    if backend == "postgresql" and not reuse:
        from sqlalchemy import text

        with engine.begin() as conn:
            conn.execute(text("drop schema if exists public cascade"))
            conn.execute(text("create schema public"))
    migrate(engine)
    store = DiaryStore(engine, load_kb())
    user = store.local_user()
    have = store.count_episodes(user)
    if reuse and have >= episodes:
        result["import"] = "reused an existing database (import not measured in this run)"
    else:
        if have:
            store.delete_all(user)
        plan = day_plan(episodes)
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),  # stdout carries the result to the parent
        ) as bar:
            task = bar.add_task(f"Importing into {backend}", total=episodes)
            start = time.perf_counter()
            report = store.import_episodes(
                user, generate(plan), progress=lambda n: bar.advance(task, n)
            )
            seconds = time.perf_counter() - start
        # A weekly check-in with that day's sleep and stress, as a person might keep.
        for day, _count, _caffeine, sleep, stress in plan[::7]:
            store.add_checkin(
                user,
                CheckInIn(
                    on_date=day,
                    answers={"muscle_weakness": False},
                    sleep_hours=sleep,
                    stress=stress,
                ),
            )
        result["import"] = {
            "rows": report.rows,
            "added": report.added,
            "seconds": round(seconds, 1),
            "rows_per_second": round(report.added / seconds),
            "days_with_entries": len(plan),
            "checkins": len(plan[::7]),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    result["episodes_stored"] = store.count_episodes(user)
    result["database_mb"] = round(database_bytes(engine, url) / 2**20, 1)

    views: dict[str, Callable[[], Any]] = {
        "trends": lambda: analysis.trends(store, user),
        "triggers": lambda: analysis.triggers(store, user),
        "day_rows": lambda: store.day_rows(user),
        "list_first_page": lambda: store.list_episodes(user, limit=50),
    }
    result["views"] = {name: timed(fn, repeats) for name, fn in views.items()}
    tracemalloc.start()
    analysis.trends(store, user)
    analysis.triggers(store, user)
    result["views_tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
    tracemalloc.stop()
    trig = analysis.triggers(store, user)
    result["trigger_effects"] = {
        e.factor: {
            "rate_ratio": e.rate_ratio,
            "ci_low": e.ci_low,
            "ci_high": e.ci_high,
            "days": e.days,
        }
        for e in trig.effects
    }
    result["trend_days"] = len(analysis.trends(store, user).days)
    result["explain"] = explain(engine, user.id)
    result["what_if"] = what_if(engine, store, user, repeats)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    engine.dispose()
    return result


# -- the driver -------------------------------------------------------------------------------


def versions(pg_url: str | None) -> dict[str, str]:
    import sqlite3

    out = {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": importlib.metadata.version("sqlalchemy"),
        "psycopg": importlib.metadata.version("psycopg"),
        "numpy": importlib.metadata.version("numpy"),
        "pydantic": importlib.metadata.version("pydantic"),
    }
    if pg_url:
        from sqlalchemy import text

        from twitchcheck.storage.db import make_engine

        try:
            engine = make_engine(pg_url)
            with engine.connect() as conn:
                out["postgresql"] = str(conn.execute(text("show server_version")).scalar_one())
            engine.dispose()
        except Exception as exc:  # the table says the server was not reachable
            out["postgresql"] = f"unavailable: {exc}"
    return out


def markdown(data: dict[str, Any]) -> str:
    lines = [
        f"Diary benchmark, {data['date']}, {data['machine']['cpus']} CPUs, "
        f"Python {data['versions']['python']}, SQLite {data['versions']['sqlite']}, "
        f"PostgreSQL {data['versions'].get('postgresql', '-')}.",
        "",
        "| database | episodes | import (s) | rows/s | import peak RSS (MB) | DB size (MB) "
        "| trends median / max (ms) | triggers median / max (ms) | first list page median (ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in data["backends"].items():
        imp = r["import"] if isinstance(r["import"], dict) else {}
        v = r["views"]
        lines.append(
            f"| {name} | {r['episodes_stored']:,} | {imp.get('seconds', '-')} "
            f"| {imp.get('rows_per_second', '-'):,} | {imp.get('peak_rss_mb', r['peak_rss_mb'])} "
            f"| {r['database_mb']} "
            f"| {v['trends']['median_ms']} / {v['trends']['max_ms']} "
            f"| {v['triggers']['median_ms']} / {v['triggers']['max_ms']} "
            f"| {v['list_first_page']['median_ms']} |"
        )
    lines.append("")
    lines.append(f"Target: trends and triggers at most {TARGET_MS:.0f} ms.")
    rows = [(n, r["what_if"]) for n, r in data["backends"].items() if "what_if" in r]
    if rows:
        lines += [
            "",
            "Where the time goes (medians, ms; each part of the views timed alone):",
            "",
            "| database | day_rows as ORM rows | day_rows as plain columns "
            "| locations grouped in SQL | first list page with an (user_id, occurred_at) index |",
            "|---|---|---|---|---|",
        ]
        for name, w in rows:
            v = data["backends"][name]["views"]
            lines.append(
                f"| {name} | {v['day_rows']['median_ms']} | {w['day_rows_as_columns']['median_ms']} "
                f"| {w['locations_grouped_in_sql']['median_ms']} "
                f"| {w['list_first_page_with_index']['median_ms']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--sqlite-path", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="Keep a database that is big enough.")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # "backend url": run one database
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--note", help="A remark on the conditions, kept in the JSON.")
    args = parser.parse_args(argv)

    if args.child:
        backend, url = args.child.split(" ", 1)
        result = run_backend(backend, url, args.episodes, args.repeats, args.reuse)
        sys.stdout.write("RESULT " + json.dumps(result) + "\n")
        return 0

    backends = args.backend or ["sqlite", "postgresql"]
    data: dict[str, Any] = json.loads(args.out.read_text()) if args.out.exists() else {}
    data.update(
        {
            "benchmark": "diary",
            "date": dt.date.today().isoformat(),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "processor": platform.processor() or platform.machine(),
            },
            # Keep the PostgreSQL version of an earlier run when only SQLite runs now.
            "versions": data.get("versions", {})
            | versions(args.postgres_url if "postgresql" in backends else None),
            "target_ms": TARGET_MS,
            "true_effects": TRUE_EFFECTS,
            "seed": SEED,
        }
    )
    if args.note:
        data["note"] = args.note
    data.setdefault("backends", {})
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            if backend == "sqlite":
                path = args.sqlite_path or Path(tmp) / "diary.sqlite3"
                url = f"sqlite:///{path}"
            else:
                url = args.postgres_url
            cmd = [sys.executable, "-m", "benchmarks.bench_diary", "--child", f"{backend} {url}"]
            cmd += ["--episodes", str(args.episodes), "--repeats", str(args.repeats)]
            cmd += ["--reuse"] if args.reuse else []
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
            line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
            result = json.loads(line[len("RESULT ") :])
            previous = data["backends"].get(backend, {})
            if isinstance(result["import"], str) and isinstance(previous.get("import"), dict):
                result["import"] = previous["import"]  # keep the numbers of the run that imported
                result["import"]["note"] = "measured in an earlier run on this database"
            data["backends"][backend] = result
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(data, indent=2) + "\n")
    print(markdown(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
