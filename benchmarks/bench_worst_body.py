"""The slowest ``POST /api/v1/assess`` body (issue 18 #12a: every body the API accepts should
answer within 100 ms on this machine): a search that names the worst body it finds.

Run: ``python -m benchmarks.bench_worst_body [--budget 300] [--seed 18]``. In process, through
the ASGI app (Starlette's TestClient: routing, validation, the thread hop and the JSON are all
counted; no socket). Writes ``benchmarks/results/worst-body-<UTC time>.json`` with every timed
body's size, time and engine block, and prints the five slowest and the worst body itself.
Not part of the test suite.

What the engine's cost depends on is the number of present findings in one connected group
(findings that share causes) and how many causes they share, so the search goes:

1. **sizes**: for every number of present findings, the findings with the most causes first
   (the most connected group of that size), and the issue's "many twitch sites with weakness";
2. **random**: random valid bodies (at most one answer of an exclusive group) at every size
   around the slowest size of step 1;
3. **climb**: from the slowest body so far, swap one present finding for another and keep the
   swap when the body gets slower, until the time budget is spent;
4. **text**: 5,000 characters of free text (``text``) dense with the KB's own phrases, alone
   and on top of the slowest body, and the slowest body with every other finding absent;
5. the five slowest are timed again (median of ``--repeat``) and the worst is named.

Every body asks about the ALS concern (``concerns: ["als"]``), which adds its context block.
Answers that are not 200 (a contradiction) are recorded and never count as the worst.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from twitchcheck.api import default_checker
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
TEXT_LIMIT = 5_000
GOAL_MS = 100.0


class Search:
    def __init__(self, budget: float, seed: int) -> None:
        self.kb = default_checker().kb
        self.client = TestClient(
            create_app(Settings(rate_limit_per_minute=1_000_000)), base_url="http://localhost"
        )
        self.rng = random.Random(seed)
        self.budget = budget
        self.deadline = time.monotonic() + budget
        self.findings = [f.id for f in self.kb.findings]
        self.exclusive = [set(g.members) for g in self.kb.structure.exclusive_groups]
        #: How many causes each finding has: the search's guess at what connects a group.
        self.width = {f: len(self.kb.parents(f)) for f in self.findings}
        self.timed: dict[tuple[Any, ...], dict[str, Any]] = {}

    # -- bodies ------------------------------------------------------------------------------

    def valid(self, present: list[str]) -> list[str]:
        """``present`` with at most one member of each exclusive group (the first kept)."""
        kept: list[str] = []
        for f in present:
            if not any(f in g and any(k in g for k in kept) for g in self.exclusive):
                kept.append(f)
        return kept

    def body(
        self, present: list[str], absent: list[str] = (), text: str | None = None
    ) -> dict[str, Any]:
        evidence = [{"id": f, "choice": "present"} for f in present]
        evidence += [{"id": f, "choice": "absent"} for f in absent]
        out: dict[str, Any] = {"age": 60, "sex": "male", "concerns": ["als"], "evidence": evidence}
        if text is not None:
            out["text"] = text
        return out

    def time_body(self, step: str, body: dict[str, Any], repeat: int = 1) -> dict[str, Any]:
        key = (json.dumps(body, sort_keys=True), repeat)
        if key in self.timed:
            return self.timed[key]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            res = self.client.post("/api/v1/assess", json=body)
            times.append((time.perf_counter() - start) * 1000)
        answer = res.json()
        row = {
            "step": step,
            "status": res.status_code,
            "ms": round(statistics.median(times), 1),
            "present": sum(e["choice"] == "present" for e in body["evidence"]),
            "absent": sum(e["choice"] == "absent" for e in body["evidence"]),
            "text_chars": len(body.get("text") or ""),
            "engine": answer.get("engine") if res.status_code == 200 else None,
            "body": body,
        }
        self.timed[key] = row
        return row

    def worst(self) -> dict[str, Any]:
        ok = [r for r in self.timed.values() if r["status"] == 200]
        return max(ok, key=lambda r: r["ms"])

    def start_clock(self) -> None:
        """Steps 2 and 3 share the budget, counted from now."""
        self.deadline = time.monotonic() + self.budget

    def left(self) -> float:
        return self.deadline - time.monotonic()

    # -- the steps ---------------------------------------------------------------------------

    def sizes(self) -> None:
        by_width = self.valid(sorted(self.findings, key=lambda f: -self.width[f]))
        for k in [*range(1, 31), 35, 40, 50, 60, 80, len(by_width)]:
            self.time_body("sizes", self.body(by_width[:k]))
        sites = [f.id for f in self.kb.findings if f.category == "location"]
        weakness = [f for f in self.findings if "weakness" in f]
        self.time_body("sizes", self.body(self.valid(sites + weakness)))

    def random_bodies(self, per_size: int) -> None:
        centre = self.worst()["present"]
        for k in range(max(1, centre - 4), centre + 5):
            for _ in range(per_size):
                if self.left() < 0:
                    return
                pick = self.valid(self.rng.sample(self.findings, k))
                self.time_body("random", self.body(pick))

    def climb(self) -> None:
        best = self.worst()
        present = [e["id"] for e in best["body"]["evidence"] if e["choice"] == "present"]
        while self.left() > 0:
            candidate = list(present)
            out = self.rng.randrange(len(candidate))
            candidate[out] = self.rng.choice([f for f in self.findings if f not in candidate])
            candidate = self.valid(candidate)
            row = self.time_body("climb", self.body(candidate))
            if row["status"] == 200 and row["ms"] > best["ms"]:
                best, present = row, candidate

    def text_bodies(self) -> None:
        text = phrase_text(self.kb)
        worst = self.worst()["body"]
        present = [e["id"] for e in worst["evidence"] if e["choice"] == "present"]
        others = [f for f in self.findings if f not in present]
        self.time_body("text", self.body([], text=text))
        self.time_body("text", self.body(present, text=text))
        self.time_body("text", self.body(present, absent=others))

    def final(self, repeat: int) -> list[dict[str, Any]]:
        ok = sorted(
            (r for r in self.timed.values() if r["status"] == 200 and r["step"] != "final"),
            key=lambda r: -r["ms"],
        )
        return [
            self.time_body("final", r["body"], repeat=repeat) | {"found_by": r["step"]}
            for r in ok[:5]
        ]


def phrase_text(kb: Any) -> str:
    """Up to 5,000 characters of sentences made of the KB's own lay phrases, every finding in
    turn (the parser's densest input: each sentence is a match)."""
    sentences = []
    phrases = [p for f in kb.findings for p in f.phrases.get("en", ())]
    for n, phrase in enumerate(phrases):
        sentences.append(f"I have {phrase}." if n % 3 else f"No {phrase}, I think.")
    text = ""
    for sentence in sentences * 10:
        if len(text) + len(sentence) + 1 > TEXT_LIMIT:
            break
        text += sentence + " "
    return text.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=300.0, help="seconds for steps 1-3")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--per-size", type=int, default=4, help="random bodies per size (step 2)")
    ap.add_argument("--repeat", type=int, default=3, help="timings per body in step 5")
    args = ap.parse_args()
    load_start = os.getloadavg()
    search = Search(args.budget, args.seed)
    # The first body with text loads the parser's pipeline (seconds, once per process).
    search.time_body("warm-up", search.body(["twitch_nose"], text="My nose twitches."))
    search.sizes()
    search.start_clock()
    search.random_bodies(args.per_size)
    search.climb()
    search.text_bodies()
    final = search.final(args.repeat)
    worst = max(final, key=lambda r: r["ms"])
    rows = sorted(search.timed.values(), key=lambda r: -r["ms"])
    over = [r for r in rows if r["status"] == 200 and r["step"] != "final" and r["ms"] > GOAL_MS]
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = {
        "when": when,
        "kb_version": search.kb.version,
        "goal_ms": GOAL_MS,
        "bodies_timed": sum(r["step"] != "final" for r in rows),
        "bodies_over_goal": len(over),
        # Without text: the smallest connected group of present findings over the goal.
        "smallest_group_over_goal": min(
            (r["engine"]["largest_group"] for r in over if not r["text_chars"]), default=None
        ),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "worst": worst,
        "final": final,
        "all": [{k: v for k, v in r.items() if k != "body"} for r in rows],
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"worst-body-{when.replace(':', '')}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print("| found by | present | absent | text | method | largest group | median ms |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for r in final:
        eng = r["engine"] or {}
        print(
            f"| {r['found_by']} | {r['present']} | {r['absent']} | {r['text_chars']} | "
            f"{eng.get('method')}/{eng.get('explanations')} | {eng.get('largest_group')} | "
            f"{r['ms']} |"
        )
    print(
        f"bodies timed: {result['bodies_timed']}; over {GOAL_MS:.0f} ms: {len(over)} (from "
        f"a group of {result['smallest_group_over_goal']} present findings up); load "
        f"{result['load_average_start']} -> {result['load_average_end']}"
    )
    print("the worst body:", json.dumps(worst["body"]))
    print("written", out.relative_to(ROOT))


if __name__ == "__main__":
    main()
