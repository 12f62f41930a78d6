"""How long the shipped knowledge base takes to load, now against an earlier commit (issue 16:
"the shipped KB loads within 20% of today's time").

Each measurement is a fresh process that imports the loader, then times ``load_kb()`` alone
(reading, validating and building the KB, the cache of a previous call being impossible in a
new process). The two trees run in turn, A B A B …, and the ratio is taken pair by pair, so a
drift in the machine's speed cancels. The earlier tree is the ``src`` folder of ``--ref``,
exported with ``git archive`` into a temporary folder and put first on ``PYTHONPATH``; the KB
loader is pure Python, so no build is needed.

    .venv/bin/python -m benchmarks.bench_kb_load [--ref 03ddc4e] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The commit before the first KB change of issue 16 ("today" when the issue was filed).
DEFAULT_REF = "03ddc4e"
PROBE = (
    "import time\n"
    "from twitchcheck.kb.loader import load_kb\n"
    "t = time.perf_counter(); kb = load_kb(); print(time.perf_counter() - t)\n"
)


def _export(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _once(pythonpath: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=DEFAULT_REF, help="the earlier commit (B)")
    parser.add_argument("--runs", type=int, default=15, help="pairs of runs")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_src = _export(args.ref, Path(tmp))
        now_src = ROOT / "src"
        _once(now_src), _once(old_src)  # warm the file cache
        now, old = [], []
        for _ in range(args.runs):
            now.append(_once(now_src))
            old.append(_once(old_src))
    ratios = [a / b for a, b in zip(now, old, strict=True)]
    report = {
        "benchmark": "kb_load",
        "ref": args.ref,
        "runs": args.runs,
        "now_median_s": round(statistics.median(now), 4),
        "ref_median_s": round(statistics.median(old), 4),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "load_average": os.getloadavg(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(json.dumps(report, indent=1))
    out = args.output or ROOT / "benchmarks" / "results" / "kb_load.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
