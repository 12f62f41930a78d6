"""Engine benchmarks: twitchcheck against pyAgrum and pgmpy, QMR-DT scale, exactness, approximation.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_engine            # full run (5-8 minutes on 2 cores)
    .venv/bin/python -m benchmarks.bench_engine --quick    # smoke run (about 15 seconds)

It prints one table per section and writes the raw numbers to
``benchmarks/results/engine-<timestamp>[-quick].json``. pyAgrum and pgmpy are optional: a
section that needs a missing library says so and goes on. See benchmarks/README.md.

Sections:

1. ``libraries`` — the same random networks and evidence in twitchcheck, pyAgrum (LazyPropagation,
   built once, engine reused: setEvidence + makeInference + every posterior) and pgmpy
   (VariableElimination, one query per cause). Each library runs in a child process with a wall
   clock limit per size and a memory limit; after a timeout or error the larger sizes are skipped.
   The constructions are first checked against brute force on small networks.
2. ``qmr`` — a QMR-DT-sized network (534 causes, 4,040 findings, ~40,000 links): all posteriors
   for 5–16 positives and 30 negatives.
3. ``exactness`` — max |engine − brute force| on 12-cause networks up to 18 positives, with a
   plain NumPy inclusion–exclusion Quickscore for comparison.
4. ``approximation`` — the error of ``approximate_component`` when the exact limit is lowered
   (``Limits(max_exact_positives=...)`` passed to ``posteriors``) below the size of the group.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.networks import (
    APPROX_SPEC,
    EXACT_SPECS,
    QMR_SPEC,
    FloatArray,
    IntArray,
    library_evidence_sizes,
    library_spec,
    random_evidence,
    random_network,
)
from benchmarks.quickscore import quickscore
from twitchcheck.engine.inference import DEFAULT_LIMITS, Limits, NoisyOrNetwork, bridge, posteriors
from twitchcheck.engine.inference.groups import absorb_negatives, components

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_BYTES = 8 << 30  # per library child process (the machine has 24 GiB)

Query = tuple[IntArray, IntArray]


@dataclass(frozen=True)
class Settings:
    quick: bool
    lib_sizes: tuple[int, ...]
    lib_queries: int
    lib_reps: int  # rounds over the queries, the first one a warm-up when there are several
    lib_rep_budget_s: float  # no further round starts after this much time in a child
    lib_timeout_s: float  # wall clock limit for one library at one size (build + queries)
    tc_reps: int
    dense_sizes: tuple[int, ...]
    dense_queries: int
    sweep_causes: int
    sweep_positives: tuple[int, ...]
    sweep_negatives: int
    sweep_queries: int
    qmr_positives: tuple[int, ...]
    qmr_queries: int
    qmr_reps: int
    qmr_libraries: bool
    qmr_library_queries: int
    exact_positives: tuple[int, ...]
    exact_networks: int
    exact_negatives: int
    approx_limits: tuple[int, ...]
    approx_positives: tuple[int, ...]
    approx_queries: int
    approx_check_networks: int


FULL = Settings(
    quick=False,
    lib_sizes=(5, 10, 15, 20, 25, 30, 40, 60, 80, 100),
    lib_queries=6,
    lib_reps=5,
    lib_rep_budget_s=5.0,
    lib_timeout_s=60.0,
    tc_reps=9,
    dense_sizes=(15, 20, 25, 30),
    dense_queries=3,
    sweep_causes=30,
    sweep_positives=(4, 8, 12, 16, 20, 24, 30),
    sweep_negatives=20,
    sweep_queries=3,
    qmr_positives=(5, 10, 12, 14, 16),
    qmr_queries=20,
    qmr_reps=7,
    qmr_libraries=True,
    qmr_library_queries=3,
    exact_positives=(2, 4, 6, 8, 10, 12, 14, 16, 18),
    exact_networks=10,
    exact_negatives=10,
    approx_limits=(6, 8),
    approx_positives=(10, 12, 14),
    approx_queries=12,
    approx_check_networks=6,
)

QUICK = Settings(
    quick=True,
    lib_sizes=(5, 10, 15, 20),
    lib_queries=3,
    lib_reps=3,
    lib_rep_budget_s=1.0,
    lib_timeout_s=8.0,
    tc_reps=5,
    dense_sizes=(),
    dense_queries=2,
    sweep_causes=30,
    sweep_positives=(),
    sweep_negatives=20,
    sweep_queries=2,
    qmr_positives=(5, 10, 14),
    qmr_queries=5,
    qmr_reps=3,
    qmr_libraries=False,
    qmr_library_queries=1,
    exact_positives=(4, 10, 14),
    exact_networks=1,
    exact_negatives=6,
    approx_limits=(8,),
    approx_positives=(12,),
    approx_queries=4,
    approx_check_networks=2,
)


# --- small helpers --------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def _time_rounds(
    fn: Callable[[int], Any],
    n_items: int,
    reps: int,
    budget_s: float = 10.0,
    cpu: list[float] | None = None,
) -> list[float]:
    """Per item, the median wall time of ``fn(item)`` over up to ``reps`` rounds after a warm-up.

    Rounds go over all items in turn, so no item is timed twice in a row (no caching effects).
    No new round starts once ``budget_s`` has passed (at least one round is always timed).
    If ``cpu`` is given, the per-item median CPU time of this process is appended to it.
    """
    times: list[list[float]] = [[] for _ in range(n_items)]
    cpu_times: list[list[float]] = [[] for _ in range(n_items)]
    start = time.perf_counter()
    for rep in range(reps + 1):
        if rep > 1 and time.perf_counter() - start > budget_s:
            break
        for i in range(n_items):
            c0 = time.process_time()
            t0 = time.perf_counter()
            fn(i)
            dt = time.perf_counter() - t0
            dc = time.process_time() - c0
            if rep > 0:
                times[i].append(dt)
                cpu_times[i].append(dc)
    if cpu is not None:
        cpu.extend(_median(t) for t in cpu_times)
    return [_median(t) for t in times]


def _fmt_s(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "–"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def _fmt_ratio(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    return f"{value:.0f}×" if value >= 10 else f"{value:.1f}×"


def _fmt_e(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    return f"{value:.1e}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _load_brute_force() -> Callable[..., tuple[list[float], float]]:
    """The test suite's brute-force reference (tests/engine/brute_force.py)."""
    sys.path.insert(0, str(REPO))
    from tests.engine.brute_force import brute_force

    return brute_force  # type: ignore[no-any-return]


# --- library adapters -----------------------------------------------------------------------


class TwitchcheckRunner:
    name = "twitchcheck"

    def __init__(self, priors: FloatArray, leaks: FloatArray, links: FloatArray) -> None:
        self.net = NoisyOrNetwork(priors, leaks, links)

    def query(self, present: IntArray, absent: IntArray) -> FloatArray:
        return posteriors(self.net, present, absent).marginals


def build_pyagrum(
    priors: FloatArray, leaks: FloatArray, links: FloatArray, compound: bool = False
) -> Any:
    """A pyAgrum BayesNet with native noisy-OR findings.

    ``addNoisyORNet(var, leak)`` + ``addWeightedArc(cause, finding, p)`` takes the link
    probability p itself. ``addNoisyOR`` (= addNoisyORCompound) wants the compound weight
    1 − (1 − leak)(1 − p) per arc; ``compound=True`` builds it that way (used in the check).
    """
    import pyagrum as gum

    bn = gum.BayesNet("noisyor")
    cause_ids = []
    for j, p in enumerate(priors):
        i = bn.add(gum.LabelizedVariable(f"c{j}", f"c{j}", 2))
        bn.cpt(i).fillWith([1.0 - float(p), float(p)])
        cause_ids.append(i)
    for f in range(leaks.size):
        var = gum.LabelizedVariable(f"f{f}", f"f{f}", 2)
        leak = float(leaks[f])
        i = bn.addNoisyOR(var, leak) if compound else bn.addNoisyORNet(var, leak)
        for j in np.flatnonzero(links[:, f]):
            q = float(links[j, f])
            bn.addWeightedArc(cause_ids[j], i, 1.0 - (1.0 - leak) * (1.0 - q) if compound else q)
    return bn


class PyAgrumRunner:
    """pyAgrum LazyPropagation, built once and reused: setEvidence + makeInference + posteriors."""

    name = "pyagrum"

    def __init__(
        self, priors: FloatArray, leaks: FloatArray, links: FloatArray, compound: bool = False
    ) -> None:
        import pyagrum as gum

        self.bn = build_pyagrum(priors, leaks, links, compound)
        self.ie = gum.LazyPropagation(self.bn)
        self.causes = [f"c{j}" for j in range(priors.size)]

    def query(self, present: IntArray, absent: IntArray) -> FloatArray:
        evidence = {f"f{f}": 1 for f in present}
        evidence.update({f"f{f}": 0 for f in absent})
        self.ie.setEvidence(evidence)
        self.ie.makeInference()
        return np.array([self.ie.posterior(c)[1] for c in self.causes])


class PgmpyRunner:
    """pgmpy DiscreteBayesianNetwork with NoisyORCPD findings, VariableElimination.

    pgmpy's NoisyORCPD has no leak term: one extra parent ``LEAK`` of every finding, with link
    probability leak_f, is always observed as "True" (so its prior does not matter and it is
    reduced out of every factor). NoisyORCPD is expanded to a full 2^(k+1) table. The default
    ``query(elimination_order="greedy")`` prunes barren findings; ``joint=False`` over all causes
    would first build the 2^n joint, so each cause's marginal is one query (n queries per
    evidence set), on one VariableElimination object reused throughout.
    """

    name = "pgmpy"

    def __init__(self, priors: FloatArray, leaks: FloatArray, links: FloatArray) -> None:
        from pgmpy.factors.discrete import NoisyORCPD, TabularCPD
        from pgmpy.inference import VariableElimination
        from pgmpy.models import DiscreteBayesianNetwork

        self.causes = [f"c{j}" for j in range(priors.size)]
        model = DiscreteBayesianNetwork()
        model.add_nodes_from([*self.causes, "LEAK", *(f"f{f}" for f in range(leaks.size))])
        edges = [(f"c{j}", f"f{f}") for j, f in zip(*np.nonzero(links), strict=True)]
        edges += [("LEAK", f"f{f}") for f in range(leaks.size)]
        model.add_edges_from(edges)
        tf = ["True", "False"]
        cpds = [
            TabularCPD(c, 2, [[float(p)], [1.0 - float(p)]], state_names={c: tf})
            for c, p in zip(self.causes, priors, strict=True)
        ]
        cpds.append(TabularCPD("LEAK", 2, [[0.5], [0.5]], state_names={"LEAK": tf}))
        for f in range(leaks.size):
            parents = np.flatnonzero(links[:, f])
            cpds.append(
                NoisyORCPD(
                    f"f{f}",
                    [*(float(links[j, f]) for j in parents), float(leaks[f])],
                    [*(f"c{j}" for j in parents), "LEAK"],
                )
            )
        model.add_cpds(*cpds)
        model.check_model()
        self.ve = VariableElimination(model)

    def query(self, present: IntArray, absent: IntArray) -> FloatArray:
        evidence = {"LEAK": "True"}
        evidence.update({f"f{f}": "True" for f in present})
        evidence.update({f"f{f}": "False" for f in absent})
        out = []
        for c in self.causes:
            phi = self.ve.query([c], evidence=evidence, show_progress=False)
            out.append(float(phi.values[phi.get_state_no(c, "True")]))
        return np.array(out)


RUNNERS: dict[str, Callable[..., Any]] = {"pyagrum": PyAgrumRunner, "pgmpy": PgmpyRunner}


def _import_library(name: str) -> None:
    warnings.filterwarnings("ignore", category=FutureWarning)  # pgmpy's deprecation notices
    if name == "pyagrum":
        import pyagrum  # noqa: F401
    elif name == "pgmpy":
        import pgmpy.factors.discrete
        import pgmpy.inference
        import pgmpy.models  # noqa: F401


def library_version(name: str) -> str | None:
    """The installed version (without importing the library in this process), or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


# --- running a library in a child process, with a time and memory limit ---------------------


def _library_worker(
    conn: Any,
    lib: str,
    net: tuple[FloatArray, FloatArray, FloatArray],
    queries: list[Query],
    reps: int,
    rep_budget_s: float,
) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        _import_library(lib)  # not part of the build time
        t0 = time.perf_counter()
        runner = RUNNERS[lib](*net)
        conn.send(("build", time.perf_counter() - t0))
        start = time.perf_counter()
        for rep in range(reps):
            if rep > 0 and time.perf_counter() - start > rep_budget_s:
                break
            for qi, (present, absent) in enumerate(queries):
                c0 = time.process_time()  # CPU time of all of the child's threads
                t0 = time.perf_counter()
                post = runner.query(present, absent)
                dt = time.perf_counter() - t0
                dc = time.process_time() - c0
                conn.send(("query", rep, qi, dt, dc, post.tolist() if rep == 0 else None))
        conn.send(("done",))
    except BaseException as exc:  # report anything, including MemoryError
        with contextlib.suppress(Exception):
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


@dataclass
class LibraryRun:
    status: str  # "ok", "timeout", "error: ...", "crashed", "skipped", "unavailable"
    build_s: float | None = None
    query_s: list[float] | None = None  # per completed query: median over timed rounds
    query_cpu_s: list[float] | None = None  # the same in CPU time (all threads of the child)
    rounds: int = 0
    posteriors: list[list[float]] | None = None  # rep-0 answers of completed queries

    @property
    def median_s(self) -> float | None:
        return _median(self.query_s) if self.query_s else None

    @property
    def median_cpu_s(self) -> float | None:
        return _median(self.query_cpu_s) if self.query_cpu_s else None


def run_library(
    lib: str,
    net: tuple[FloatArray, FloatArray, FloatArray],
    queries: list[Query],
    reps: int,
    rep_budget_s: float,
    timeout_s: float,
) -> LibraryRun:
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_library_worker, args=(send, lib, net, queries, reps, rep_budget_s), daemon=True
    )
    proc.start()
    send.close()
    deadline = time.perf_counter() + timeout_s
    run = LibraryRun(status="ok")
    times: dict[int, dict[int, float]] = {}
    cpu_times: dict[int, dict[int, float]] = {}
    answers: dict[int, list[float]] = {}
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0 or not recv.poll(remaining):
            run.status = "timeout"
            break
        try:
            msg = recv.recv()
        except EOFError:
            run.status = "crashed"
            break
        if msg[0] == "build":
            run.build_s = msg[1]
        elif msg[0] == "query":
            _, rep, qi, dt, dc, post = msg
            times.setdefault(rep, {})[qi] = dt
            cpu_times.setdefault(rep, {})[qi] = dc
            if post is not None:
                answers[qi] = post
        elif msg[0] == "error":
            run.status = "error: " + msg[1]
            break
        elif msg[0] == "done":
            break
    if proc.is_alive():
        proc.kill()
    proc.join()
    recv.close()
    # Completed rounds only; the first round is a warm-up when a second one completed.
    full_rounds = [r for r in sorted(times) if len(times[r]) == len(queries)]
    timed = full_rounds[1:] if len(full_rounds) > 1 else full_rounds
    if timed:
        run.query_s = [_median([times[r][qi] for r in timed]) for qi in range(len(queries))]
        run.query_cpu_s = [_median([cpu_times[r][qi] for r in timed]) for qi in range(len(queries))]
    elif 0 in times:  # partial first round (timeout): the queries that finished
        run.query_s = [times[0][qi] for qi in sorted(times[0])]
        run.query_cpu_s = [cpu_times[0][qi] for qi in sorted(cpu_times[0])]
    run.rounds = len(timed)
    run.posteriors = [answers[qi] for qi in sorted(answers)]
    return run


# --- section 1: against pyAgrum and pgmpy ---------------------------------------------------


def check_constructions(libs: list[str]) -> list[dict[str, Any]]:
    """Each library's construction against brute force, on small networks, before any timing."""
    brute_force = _load_brute_force()
    for lib in libs:
        _import_library(lib)
    rows: list[dict[str, Any]] = []
    for n_causes, seed in ((5, 11), (8, 12), (10, 13)):
        spec = library_spec(n_causes)
        priors, leaks, links = random_network(spec, seed)
        rng = np.random.default_rng(seed)
        n_pos, n_neg = library_evidence_sizes(n_causes)
        queries = [random_evidence(links, n_pos, n_neg, rng) for _ in range(2)]
        runners: dict[str, Any] = {"twitchcheck": TwitchcheckRunner(priors, leaks, links)}
        if "pyagrum" in libs:
            runners["pyagrum (addNoisyORNet, p)"] = PyAgrumRunner(priors, leaks, links)
            runners["pyagrum (addNoisyOR, compound)"] = PyAgrumRunner(
                priors, leaks, links, compound=True
            )
        if "pgmpy" in libs:
            runners["pgmpy (LEAK parent)"] = PgmpyRunner(priors, leaks, links)
        errors = dict.fromkeys(runners, 0.0)
        for present, absent in queries:
            ref, _ = brute_force(
                priors.tolist(), leaks.tolist(), links.tolist(), present.tolist(), absent.tolist()
            )
            for name, runner in runners.items():
                err = float(np.max(np.abs(runner.query(present, absent) - np.array(ref))))
                errors[name] = max(errors[name], err)
        for name, err in errors.items():
            rows.append({"causes": n_causes, "library": name, "max_abs_error_vs_brute_force": err})
    return rows


def _compare_libraries(
    net: tuple[FloatArray, FloatArray, FloatArray],
    queries: list[Query],
    settings: Settings,
    libs: list[str],
    skipped: dict[str, str],
    label: str,
) -> dict[str, Any]:
    """Time twitchcheck in-process and each library in a child; compare the posteriors."""
    tc = TwitchcheckRunner(*net)
    tc_cpu: list[float] = []
    tc_times = _time_rounds(
        lambda i: tc.query(*queries[i]), len(queries), settings.tc_reps, cpu=tc_cpu
    )
    tc_answers = [posteriors(tc.net, *q) for q in queries]
    row: dict[str, Any] = {
        "queries": len(queries),
        "twitchcheck_s": _median(tc_times),
        "twitchcheck_cpu_s": _median(tc_cpu),
        "twitchcheck_largest_group": max(a.largest_group for a in tc_answers),
        "twitchcheck_method": sorted({a.method for a in tc_answers}),
    }
    for lib in ("pyagrum", "pgmpy"):
        if lib not in libs:
            run = LibraryRun(status="unavailable")
        elif lib in skipped:
            run = LibraryRun(status="skipped")
        else:
            run = run_library(
                lib,
                net,
                queries,
                settings.lib_reps,
                settings.lib_rep_budget_s,
                settings.lib_timeout_s,
            )
            if run.status != "ok":
                skipped[lib] = f"{run.status.split(':')[0]} at {label}"
        diff = None
        if run.posteriors:
            diff = max(
                float(np.max(np.abs(np.array(p) - tc_answers[qi].marginals)))
                for qi, p in enumerate(run.posteriors)
            )
        med = run.median_s
        med_cpu = run.median_cpu_s
        row[lib] = {
            "status": run.status,
            "build_s": run.build_s,
            "median_s": med,
            "median_cpu_s": med_cpu,
            "ratio_cpu": (med_cpu / row["twitchcheck_cpu_s"]) if med_cpu else None,
            "completed_queries": len(run.query_s or []),
            "timed_rounds": run.rounds,
            "max_abs_diff": diff,
            "ratio": (med / row["twitchcheck_s"]) if med else None,
        }
    parts = [f"twitchcheck {_fmt_s(row['twitchcheck_s'])} (CPU {_fmt_s(row['twitchcheck_cpu_s'])})"]
    for lib in ("pyagrum", "pgmpy"):
        r = row[lib]
        parts.append(
            f"{lib} {_fmt_s(r['median_s'])} (CPU {_fmt_s(r['median_cpu_s'])}; {r['status'][:60]})"
        )
    print(f"  {label}: " + ", ".join(parts), flush=True)
    return row


def _lib_cells(row: dict[str, Any], timeout_s: float) -> list[str]:
    cells = [_fmt_s(row["twitchcheck_s"])]
    notes = []
    for lib in ("pyagrum", "pgmpy"):
        r = row[lib]
        med = _fmt_s(r["median_s"])
        ratio = _fmt_ratio(r["ratio"])
        if r["status"] == "timeout":
            if r["median_s"]:
                med += "*"
                notes.append(
                    f"{lib}: {r['completed_queries']}/{row['queries']} queries within {timeout_s:.0f} s"
                )
            else:
                med = f"> {timeout_s:.0f} s"
        elif r["status"].startswith("error"):
            med = "failed"
            notes.append(f"{lib}: {r['status'][7:60]}")
        elif r["status"] != "ok":
            med = r["status"]
        cells += [med, ratio, _fmt_e(r["max_abs_diff"])]
    cells.append("; ".join(notes))
    return cells


def section_libraries(settings: Settings, libs: list[str]) -> dict[str, Any]:
    print("\n== 1. twitchcheck against pyAgrum and pgmpy ==")
    checks = check_constructions(libs)
    worst: dict[str, float] = {}
    for row in checks:
        worst[row["library"]] = max(
            worst.get(row["library"], 0.0), row["max_abs_error_vs_brute_force"]
        )
    print("construction check, max |posterior - brute force| on 5/8/10-cause networks:")
    for name, err in worst.items():
        print(f"  {name:34s} {err:.1e}")

    def by_size(
        sizes: Sequence[int], dense: bool, n_queries: int
    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        skipped: dict[str, str] = {}
        rows: list[dict[str, Any]] = []
        for n_causes in sizes:
            spec = library_spec(n_causes, dense)
            net = random_network(spec, seed=n_causes + (500 if dense else 0))
            rng = np.random.default_rng(1000 + n_causes)
            n_pos, n_neg = library_evidence_sizes(n_causes)
            queries = [random_evidence(net[2], n_pos, n_neg, rng) for _ in range(n_queries)]
            row = {
                "causes": n_causes,
                "findings": spec.n_findings,
                "links": int(np.count_nonzero(net[2])),
                "positives": n_pos,
                "negatives": n_neg,
            }
            row.update(
                _compare_libraries(net, queries, settings, libs, skipped, f"{n_causes} causes")
            )
            rows.append(row)
        return rows, skipped

    print("by network size (1-4 parents per finding):")
    rows, size_skips = by_size(settings.lib_sizes, False, settings.lib_queries)
    dense_rows: list[dict[str, Any]] = []
    dense_skips: dict[str, str] = {}
    if settings.dense_sizes:
        print("by network size, denser (2-6 parents per finding):")
        dense_rows, dense_skips = by_size(settings.dense_sizes, True, settings.dense_queries)

    sweep_rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    if settings.sweep_positives:
        n_causes = settings.sweep_causes
        spec = library_spec(n_causes)
        net = random_network(spec, seed=n_causes)
        print(
            f"by number of positives ({n_causes} causes, {spec.n_findings} findings, "
            f"{settings.sweep_negatives} negatives):"
        )
        for n_pos in settings.sweep_positives:
            rng = np.random.default_rng(2000 + n_pos)
            queries = [
                random_evidence(net[2], n_pos, settings.sweep_negatives, rng, n_true=3)
                for _ in range(settings.sweep_queries)
            ]
            row = {
                "causes": n_causes,
                "findings": spec.n_findings,
                "positives": n_pos,
                "negatives": settings.sweep_negatives,
            }
            row.update(
                _compare_libraries(net, queries, settings, libs, skipped, f"{n_pos} positives")
            )
            sweep_rows.append(row)

    t = settings.lib_timeout_s
    print(
        "\nmedian time per query (all posteriors); ratio = library / twitchcheck; "
        "|diff| = max |posterior - twitchcheck|"
    )
    headers = (
        "causes",
        "findings",
        "links",
        "+/-",
        "twitchcheck",
        "pyAgrum",
        "ratio",
        "|diff|",
        "pgmpy",
        "ratio",
        "|diff|",
        "notes",
    )
    for title, table_rows in (
        ("1-4 parents per finding", rows),
        ("2-6 parents per finding", dense_rows),
    ):
        if not table_rows:
            continue
        print(f"\n{title}:")
        print(
            _table(
                headers,
                [
                    [
                        str(r["causes"]),
                        str(r["findings"]),
                        str(r["links"]),
                        f"{r['positives']}/{r['negatives']}",
                        *_lib_cells(r, t),
                    ]
                    for r in table_rows
                ],
            )
        )
    if sweep_rows:
        headers = (
            "positives",
            "negatives",
            "largest group",
            "twitchcheck",
            "pyAgrum",
            "ratio",
            "|diff|",
            "pgmpy",
            "ratio",
            "|diff|",
            "notes",
        )
        print(f"\n{settings.sweep_causes} causes, growing number of positives:")
        print(
            _table(
                headers,
                [
                    [
                        str(r["positives"]),
                        str(r["negatives"]),
                        str(r["twitchcheck_largest_group"]),
                        *_lib_cells(r, t),
                    ]
                    for r in sweep_rows
                ],
            )
        )
    return {
        "construction_check": checks,
        "rows": rows,
        "skipped_after": size_skips,
        "dense_rows": dense_rows,
        "dense_skipped_after": dense_skips,
        "sweep_rows": sweep_rows,
        "sweep_skipped_after": skipped,
        "timeout_s": t,
        "memory_limit_bytes": MEMORY_LIMIT_BYTES,
    }


# --- section 2: QMR-DT scale ----------------------------------------------------------------


def section_qmr(settings: Settings, libs: list[str]) -> dict[str, Any]:
    print("\n== 2. QMR-DT scale ==")
    t0 = time.perf_counter()
    priors, leaks, links = random_network(QMR_SPEC, seed=534)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    net = NoisyOrNetwork(priors, leaks, links)
    t_build = time.perf_counter() - t0
    n_links = int(np.count_nonzero(links))
    print(
        f"network: {net.n_causes} causes, {net.n_findings} findings, {n_links} links "
        f"(max {int((links > 0).sum(axis=0).max())} parents per finding); "
        f"NoisyOrNetwork() took {_fmt_s(t_build)} (one-off)"
    )
    rows: list[dict[str, Any]] = []
    for n_pos in settings.qmr_positives:
        rng = np.random.default_rng(4040 + n_pos)
        queries = [random_evidence(links, n_pos, 30, rng) for _ in range(settings.qmr_queries)]
        cpu: list[float] = []
        times = _time_rounds(
            lambda i, qs=queries: posteriors(net, *qs[i]), len(queries), settings.qmr_reps, cpu=cpu
        )
        answers = [posteriors(net, *q) for q in queries]
        group_causes = []
        for present, _ in queries:
            comps = components(net, np.sort(present))
            group_causes.append(
                max(c.size for f, c in comps if f.size == max(ff.size for ff, _ in comps))
            )
        rows.append(
            {
                "positives": n_pos,
                "negatives": 30,
                "queries": len(queries),
                "median_s": _median(times),
                "median_cpu_s": _median(cpu),
                "p90_s": float(np.percentile(times, 90)),
                "max_s": max(times),
                "median_largest_group": _median([a.largest_group for a in answers]),
                "median_causes_in_largest_group": _median(group_causes),
                "queries_split_in_groups": sum(a.largest_group < n_pos for a in answers),
                "methods": sorted({a.method for a in answers}),
            }
        )
    headers = (
        "positives",
        "negatives",
        "median",
        "p90",
        "max",
        "largest group (median)",
        "causes in it (median)",
    )
    print(
        _table(
            headers,
            [
                [
                    str(r["positives"]),
                    str(r["negatives"]),
                    _fmt_s(r["median_s"]),
                    _fmt_s(r["p90_s"]),
                    _fmt_s(r["max_s"]),
                    f"{r['median_largest_group']:.0f}",
                    f"{r['median_causes_in_largest_group']:.0f}",
                ]
                for r in rows
            ],
        )
    )
    result: dict[str, Any] = {
        "causes": net.n_causes,
        "findings": net.n_findings,
        "links": n_links,
        "generate_s": t_gen,
        "network_build_s": t_build,
        "rows": rows,
    }
    if settings.qmr_libraries and libs:
        # The full 4,040-finding network takes pyAgrum over a minute just to build (measured:
        # ~70 s), so the libraries get it pre-pruned: the 534 causes and only the observed
        # findings. Unobserved findings are barren, so the posteriors are the same.
        n_pos = 10
        rng = np.random.default_rng(4040 + n_pos)
        queries = [
            random_evidence(links, n_pos, 30, rng) for _ in range(settings.qmr_library_queries)
        ]
        print(
            f"libraries, {len(queries)} queries with {n_pos} positives / 30 negatives, each on the network "
            f"pruned to its 534 causes and {n_pos + 30} observed findings (limit {settings.lib_timeout_s:.0f} s, "
            f"{MEMORY_LIMIT_BYTES >> 30} GiB):"
        )
        result["libraries_10_positives"] = {}
        for lib in libs:
            times, diffs, status, build = [], [], "ok", []
            for present, absent in queries:
                observed = np.concatenate([present, absent])
                sub_net = (priors, leaks[observed].copy(), np.ascontiguousarray(links[:, observed]))
                sub_q = (np.arange(present.size), np.arange(present.size, observed.size))
                run = run_library(lib, sub_net, [sub_q], 1, 0.0, settings.lib_timeout_s)
                if run.build_s is not None:
                    build.append(run.build_s)
                if run.status != "ok" or not run.query_s or not run.posteriors:
                    status = run.status
                    break
                times.append(run.query_s[0])
                ref = posteriors(net, present, absent).marginals
                diffs.append(float(np.max(np.abs(np.array(run.posteriors[0]) - ref))))
            tc_med = (
                next(r["median_s"] for r in rows if r["positives"] == n_pos)
                if any(r["positives"] == n_pos for r in rows)
                else None
            )
            entry = {
                "status": status,
                "completed_queries": len(times),
                "build_s": _median(build) if build else None,
                "median_s": _median(times) if times else None,
                "max_abs_diff": max(diffs) if diffs else None,
                "ratio": (_median(times) / tc_med) if times and tc_med else None,
            }
            result["libraries_10_positives"][lib] = entry
            ratio = _fmt_ratio(entry["ratio"])
            print(
                f"  {lib}: {status[:70]}, {len(times)}/{len(queries)} queries, build {_fmt_s(entry['build_s'])}, "
                f"query {_fmt_s(entry['median_s'])} (ratio {ratio}), |diff| {_fmt_e(entry['max_abs_diff'])}"
            )
    return result


# --- section 3: exactness -------------------------------------------------------------------


def section_exactness(settings: Settings) -> dict[str, Any]:
    print("\n== 3. exactness against brute force (12 causes, 40 findings) ==")
    brute_force = _load_brute_force()
    rows: list[dict[str, Any]] = []
    for regime, spec in EXACT_SPECS.items():
        for n_pos in settings.exact_positives:
            tc_err = qs_err = tc_ev = qs_ev = 0.0
            bf_time = 0.0
            for k in range(settings.exact_networks):
                seed = 7000 + 100 * k + n_pos
                priors, leaks, links = random_network(spec, seed)
                rng = np.random.default_rng(seed)
                present, absent = random_evidence(
                    links, n_pos, settings.exact_negatives, rng, n_true=3
                )
                t0 = time.perf_counter()
                ref, z = brute_force(
                    priors.tolist(),
                    leaks.tolist(),
                    links.tolist(),
                    present.tolist(),
                    absent.tolist(),
                )
                bf_time += time.perf_counter() - t0
                ref_arr = np.array(ref)
                post = posteriors(NoisyOrNetwork(priors, leaks, links), present, absent)
                qs_post, qs_z = quickscore(priors, leaks, links, present, absent)
                tc_err = max(tc_err, float(np.max(np.abs(post.marginals - ref_arr))))
                qs_err = max(qs_err, float(np.nanmax(np.abs(qs_post - ref_arr))))
                tc_ev = max(tc_ev, abs(np.exp(post.log_evidence) - z) / z)
                qs_ev = max(qs_ev, abs(qs_z - z) / z)
            rows.append(
                {
                    "regime": regime,
                    "positives": n_pos,
                    "negatives": settings.exact_negatives,
                    "networks": settings.exact_networks,
                    "twitchcheck_max_abs_error": tc_err,
                    "quickscore_max_abs_error": qs_err,
                    "twitchcheck_evidence_rel_error": tc_ev,
                    "quickscore_evidence_rel_error": qs_ev,
                    "brute_force_s": bf_time,
                }
            )
    headers = (
        "regime",
        "positives",
        "twitchcheck |err|",
        "Quickscore |err|",
        "twitchcheck P(e) rel",
        "Quickscore P(e) rel",
    )
    print(
        _table(
            headers,
            [
                [
                    r["regime"],
                    str(r["positives"]),
                    _fmt_e(r["twitchcheck_max_abs_error"]),
                    _fmt_e(r["quickscore_max_abs_error"]),
                    _fmt_e(r["twitchcheck_evidence_rel_error"]),
                    _fmt_e(r["quickscore_evidence_rel_error"]),
                ]
                for r in rows
            ],
        )
    )
    return {"specs": {k: v.as_dict() for k, v in EXACT_SPECS.items()}, "rows": rows}


# --- section 4: the approximation -----------------------------------------------------------


def section_approximation(settings: Settings) -> dict[str, Any]:
    print(
        "\n== 4. the approximation above the exact limit (NumPy path; limit lowered "
        "through Limits) =="
    )
    networks = {
        "30 causes / 80 findings": random_network(APPROX_SPEC, seed=3080),
        "QMR-scale (534 / 4,040)": random_network(QMR_SPEC, seed=534),
    }
    rows: list[dict[str, Any]] = []
    for label, (priors, leaks, links) in networks.items():
        net = NoisyOrNetwork(priors, leaks, links)
        for n_pos in settings.approx_positives:
            rng = np.random.default_rng(9000 + n_pos)
            queries = [
                random_evidence(links, n_pos, 20, rng, n_true=int(rng.integers(2, 4)))
                for _ in range(settings.approx_queries)
            ]
            exact = [posteriors(net, *q) for q in queries]
            for limit in settings.approx_limits:
                lowered = Limits(max_exact_positives=limit)
                approx = [posteriors(net, *q, compiled=False, limits=lowered) for q in queries]
                errs, means, top_same, used = [], [], 0, 0
                for (present, _), ex, ap in zip(queries, exact, approx, strict=True):
                    if ap.method != "approximate":
                        continue
                    used += 1
                    linked = np.flatnonzero(links[:, present].sum(axis=1) > 0)
                    diff = np.abs(ap.marginals - ex.marginals)
                    errs.append(float(diff.max()))
                    means.append(float(diff[linked].mean()))
                    top_same += int(np.argmax(ap.marginals) == np.argmax(ex.marginals))
                rows.append(
                    {
                        "network": label,
                        "positives": n_pos,
                        "limit": limit,
                        "queries": len(queries),
                        "approximated": used,
                        "mean_abs_error": _median(means) if not means else float(np.mean(means)),
                        "max_abs_error": max(errs) if errs else float("nan"),
                        "median_max_abs_error": _median(errs),
                        "top_cause_unchanged": top_same,
                    }
                )
    headers = (
        "network",
        "positives",
        "limit",
        "approximated",
        "mean |err|",
        "median max |err|",
        "max |err|",
        "top-1 kept",
    )
    print(
        _table(
            headers,
            [
                [
                    r["network"],
                    str(r["positives"]),
                    str(r["limit"]),
                    f"{r['approximated']}/{r['queries']}",
                    _fmt_e(r["mean_abs_error"]),
                    _fmt_e(r["median_max_abs_error"]),
                    _fmt_e(r["max_abs_error"]),
                    f"{r['top_cause_unchanged']}/{r['approximated']}",
                ]
                for r in rows
            ],
        )
    )
    print("(mean |err| is over the causes linked to a positive; the reference is the exact engine)")

    # Is the approximation what its docstring says? Redo the chunked filtering by hand with
    # brute force (chunk 1 posteriors -> chunk 2 priors) on 12-cause networks.
    brute_force = _load_brute_force()
    spec = EXACT_SPECS["typical"]
    check: dict[str, Any] = {
        "queries": 0,
        "max_engine_vs_hand_filtering": 0.0,
        "max_approx_vs_brute_force": 0.0,
    }
    limit = 6
    for seed in range(settings.approx_check_networks):
        priors, leaks, links = random_network(spec, 50 + seed)
        net = NoisyOrNetwork(priors, leaks, links)
        rng = np.random.default_rng(seed)
        present, absent = random_evidence(links, 12, 8, rng, n_true=3)
        filtered = posteriors(
            net, present, absent, compiled=False, limits=Limits(max_exact_positives=limit)
        )
        if filtered.method != "approximate" or len(components(net, present)) != 1:
            continue
        current, _ = absorb_negatives(net, priors, absent)
        for start in range(0, present.size, limit):
            chunk = present[start : start + limit]
            post, _ = brute_force(
                np.clip(current, 1e-300, 1 - 1e-16).tolist(),
                leaks.tolist(),
                links.tolist(),
                chunk.tolist(),
                [],
            )
            current = np.array(post)
        exact_bf, _ = brute_force(
            priors.tolist(), leaks.tolist(), links.tolist(), present.tolist(), absent.tolist()
        )
        check["queries"] += 1
        check["max_engine_vs_hand_filtering"] = max(
            check["max_engine_vs_hand_filtering"],
            float(np.max(np.abs(filtered.marginals - current))),
        )
        check["max_approx_vs_brute_force"] = max(
            check["max_approx_vs_brute_force"],
            float(np.max(np.abs(filtered.marginals - np.array(exact_bf)))),
        )
    print(
        f"check on {check['queries']} 12-cause networks, 12 positives, limit {limit}: engine vs the same "
        f"chunked filtering done by hand with brute force {_fmt_e(check['max_engine_vs_hand_filtering'])}; "
        f"approximation vs brute force {_fmt_e(check['max_approx_vs_brute_force'])}"
    )
    return {"rows": rows, "implementation_check": check}


# --- markdown rendering of a result file (for BENCHMARKS.md) ---------------------------------


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _md_lib_cells(r: dict[str, Any], timeout_s: float) -> list[str]:
    cells = [_fmt_s(r["twitchcheck_s"])]
    for lib in ("pyagrum", "pgmpy"):
        x = r[lib]
        if x["status"] == "ok":
            cells += [
                _fmt_s(x["median_s"]),
                _fmt_ratio(x["ratio"]),
                _fmt_ratio(x["ratio_cpu"]),
                _fmt_e(x["max_abs_diff"]),
            ]
        elif x["status"] == "timeout":
            done = x["completed_queries"]
            cells += [
                f"> {timeout_s:.0f} s" if not done else _fmt_s(x["median_s"]) + "*",
                "–",
                "–",
                "–",
            ]
        elif x["status"].startswith("error"):
            cells += ["fails: " + x["status"][7:].split(" for an array")[0], "–", "–", "–"]
        else:
            cells += [x["status"], "–", "–", "–"]
    return cells


def render_markdown(results: dict[str, Any]) -> str:
    """Markdown tables of a result file, as pasted into BENCHMARKS.md."""
    out: list[str] = []
    sec = results["sections"]
    lib = sec.get("libraries")
    if lib:
        t = lib["timeout_s"]
        heads = [
            "twitchcheck",
            "pyAgrum",
            "ratio",
            "CPU ratio",
            "max diff",
            "pgmpy",
            "ratio",
            "CPU ratio",
            "max diff",
        ]
        for key, title in (
            ("rows", "1–4 parents per finding"),
            ("dense_rows", "2–6 parents per finding"),
        ):
            if lib.get(key):
                out.append(f"**{title}**\n")
                out.append(
                    _md_table(
                        ["causes", "findings", "links", "+ / −", *heads],
                        [
                            [
                                str(r["causes"]),
                                str(r["findings"]),
                                str(r["links"]),
                                f"{r['positives']} / {r['negatives']}",
                                *_md_lib_cells(r, t),
                            ]
                            for r in lib[key]
                        ],
                    )
                )
                out.append("")
        if lib.get("sweep_rows"):
            r0 = lib["sweep_rows"][0]
            out.append(
                f"**{r0['causes']} causes, {r0['findings']} findings, {r0['negatives']} negatives, more positives**\n"
            )
            out.append(
                _md_table(
                    ["positives", "largest group", *heads],
                    [
                        [
                            str(r["positives"]),
                            str(r["twitchcheck_largest_group"]),
                            *_md_lib_cells(r, t),
                        ]
                        for r in lib["sweep_rows"]
                    ],
                )
            )
            out.append("")
    qmr = sec.get("qmr")
    if qmr:
        out.append(
            _md_table(
                [
                    "positives",
                    "negatives",
                    "median",
                    "median CPU",
                    "p90",
                    "max",
                    "causes in the group (median)",
                ],
                [
                    [
                        str(r["positives"]),
                        str(r["negatives"]),
                        _fmt_s(r["median_s"]),
                        _fmt_s(r.get("median_cpu_s")),
                        _fmt_s(r["p90_s"]),
                        _fmt_s(r["max_s"]),
                        f"{r['median_causes_in_largest_group']:.0f}",
                    ]
                    for r in qmr["rows"]
                ],
            )
        )
        out.append("")
    ex = sec.get("exactness")
    if ex:
        out.append(
            _md_table(
                [
                    "regime",
                    "positives",
                    "twitchcheck max abs err",
                    "Quickscore max abs err",
                    "twitchcheck P(e) rel err",
                    "Quickscore P(e) rel err",
                ],
                [
                    [
                        r["regime"],
                        str(r["positives"]),
                        _fmt_e(r["twitchcheck_max_abs_error"]),
                        _fmt_e(r["quickscore_max_abs_error"]),
                        _fmt_e(r["twitchcheck_evidence_rel_error"]),
                        _fmt_e(r["quickscore_evidence_rel_error"]),
                    ]
                    for r in ex["rows"]
                ],
            )
        )
        out.append("")
    ap = sec.get("approximation")
    if ap:
        out.append(
            _md_table(
                [
                    "network",
                    "positives",
                    "limit",
                    "approximated",
                    "mean abs err",
                    "median of max abs err",
                    "max abs err",
                    "top cause kept",
                ],
                [
                    [
                        r["network"],
                        str(r["positives"]),
                        str(r["limit"]),
                        f"{r['approximated']}/{r['queries']}",
                        _fmt_e(r["mean_abs_error"]),
                        _fmt_e(r["median_max_abs_error"]),
                        _fmt_e(r["max_abs_error"]),
                        f"{r['top_cause_unchanged']}/{r['approximated']}",
                    ]
                    for r in ap["rows"]
                ],
            )
        )
        out.append("")
    return "\n".join(out)


# --- machine and main -----------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = None
    with contextlib.suppress(Exception):
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    engine_dir = REPO / "src" / "twitchcheck" / "engine" / "inference"
    engine_hash = hashlib.sha256()
    for module in sorted(engine_dir.glob("*.py")):
        engine_hash.update(module.name.encode() + b"\0" + module.read_bytes())
    engine_dirty = None
    with contextlib.suppress(Exception):
        engine_dirty = bool(
            subprocess.run(
                ["git", "-C", str(REPO), "status", "--porcelain", str(engine_dir)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "numpy": np.__version__,
        "pyagrum": library_version("pyagrum"),
        "pgmpy": library_version("pgmpy"),
        "twitchcheck_commit": commit,
        "inference_uncommitted_changes": engine_dirty,
        "inference_sha256": engine_hash.hexdigest()[:16],
        "max_exact_positives": DEFAULT_LIMITS.max_exact_positives,
        "compiled_kernel": bridge.has_kernel(),
        "kernel_c_sha256": hashlib.sha256(
            (engine_dir.parent / "_kernel.c").read_bytes()
        ).hexdigest()[:16],
        "load_average_at_start": os.getloadavg(),
    }
    with contextlib.suppress(Exception):
        import pyagrum as gum

        info["pyagrum_threads"] = gum.getMaxNumberOfThreads()
    return info


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, few repeats (about 15 s)"
    )
    parser.add_argument(
        "--sections",
        default="libraries,qmr,exactness,approximation",
        help="comma-separated sections to run",
    )
    parser.add_argument("--no-libraries", action="store_true", help="do not run pyAgrum or pgmpy")
    parser.add_argument(
        "--output", type=Path, default=None, help="JSON result file (default: benchmarks/results/)"
    )
    parser.add_argument(
        "--render", type=Path, default=None, help="print a result file as markdown tables and exit"
    )
    args = parser.parse_args(argv)
    if args.render:
        print(render_markdown(json.loads(args.render.read_text())))
        return 0
    settings = QUICK if args.quick else FULL
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    libs = (
        [] if args.no_libraries else [lib for lib in ("pyagrum", "pgmpy") if library_version(lib)]
    )

    info = machine_info()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, numpy {info['numpy']}, "
        f"pyAgrum {info['pyagrum']}, pgmpy {info['pgmpy']}"
    )
    started = time.perf_counter()
    results: dict[str, Any] = {"settings": settings.__dict__, "machine": info, "sections": {}}
    runners = {
        "libraries": lambda: section_libraries(settings, libs),
        "qmr": lambda: section_qmr(settings, libs),
        "exactness": lambda: section_exactness(settings),
        "approximation": lambda: section_approximation(settings),
    }
    for name in sections:
        t0 = time.perf_counter()
        results["sections"][name] = runners[name]()
        results["sections"][name]["elapsed_s"] = time.perf_counter() - t0
    results["elapsed_s"] = time.perf_counter() - started
    results["machine"]["load_average_at_end"] = os.getloadavg()
    print(f"\ntotal {results['elapsed_s']:.0f} s")

    out = args.output
    if out is None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = RESULTS_DIR / f"engine-{stamp}{'-quick' if settings.quick else ''}.json"
    out.write_text(json.dumps(results, indent=2, default=float) + "\n")
    print(f"results written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
