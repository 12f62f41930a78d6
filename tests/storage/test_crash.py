"""No acknowledged entry is ever lost: SIGKILL the writing process, again and again.

A writer subprocess (tests/storage/crash_writer.py) writes single episodes, check-ins and
multi-row import batches, printing ``S uid`` before each call and ``A uid`` once it returned.
The parent kills it with SIGKILL after a random (seeded) delay and restarts it, until at least
``KILLS_IN_FLIGHT`` kills landed while a write call was running (the last line read was an
``S``), i.e. inside a transaction or its commit (contracts §5), and at least ``KILLS_PER_KIND``
of them inside each kind of write. After every kill it opens the
database afresh and checks that:

- every acknowledged uid is stored (a batch: all of its rows);
- SQLite's ``PRAGMA integrity_check`` says "ok" (and no foreign key is dangling);
- the kept aggregates equal a recount from the episodes (``day_stats`` against
  ``COUNT(*) GROUP BY day``, ``location_days`` against the episodes' locations);
- no import batch is partly stored: each batch prefix has exactly its size in rows, or none;
- a folder import (episodes and check-ins, one transaction) is stored whole or not at all: its
  episodes and its check-ins are both complete or both absent.

Writers are forked from a zygote that loaded the code and the KB once, so a restart takes
milliseconds and the run is spent writing and killing, not starting Python.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from twitchcheck.storage import models as m
from twitchcheck.storage.db import make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261122
KILLS_IN_FLIGHT = 50
MAX_RUNS = 300  # a guard: the loop stops here even if too few kills landed in flight
# What each writer writes, taken in turn. A check-in is a short transaction, so a writer that
# mixes it with 50-row batches is almost never killed inside one (CI once saw 0 of 50): writers
# that do one kind only make a kill inside every kind a matter of design, not of luck.
MIXES = ("ecbf", "c", "e", "b", "f")
KILLS_PER_KIND = 5
BATCH = re.compile(r"^(r\d+[bf]\d+n(\d+))-\d+$")


class Zygote:
    """The crash_writer zygote: forks writers on request (see that module's note)."""

    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.storage.crash_writer", url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"},
        )
        assert self._ask(None) == "ready"

    def _ask(self, command: str | None) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def start(self, run: int, seed: int, log: Path, kinds: str) -> int:
        return int(self._ask(f"start {run} {seed} {log} {kinds}"))

    def reap(self, pid: int) -> str:
        return self._ask(f"reap {pid}")

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


def _lines(log: Path) -> list[str]:
    """The complete lines the writer wrote before it died (each was one write())."""
    if not log.exists():  # killed before it opened its log (a loaded machine): wrote nothing
        return []
    raw = log.read_text(encoding="utf-8")
    complete = raw.split("\n")[:-1]  # the piece after the last newline is unfinished
    errors = [line for line in complete if line.startswith("X ")]
    assert not errors, f"the writer failed by itself: {errors[0]}"
    return complete


def _check(engine: Engine, acked: set[str]) -> None:
    """Every invariant of the module note, read from a freshly opened database."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        episode_uids = set(conn.execute(select(m.Episode.uid)).scalars())
        checkin_uids = set(conn.execute(select(m.CheckIn.uid)).scalars())
        # A folder import stores its episodes and its check-ins together, or neither.
        folders: Counter[str] = Counter()
        for uid in checkin_uids:
            if (match := BATCH.match(uid)) and "f" in match.group(1):
                folders[match.group(1)] += 1

        batches: Counter[str] = Counter()
        sizes: dict[str, int] = {}
        for uid in episode_uids:
            if match := BATCH.match(uid):
                batches[match.group(1)] += 1
                sizes[match.group(1)] = int(match.group(2))
        partial = {b: (n, sizes[b]) for b, n in batches.items() if n != sizes[b]}
        assert not partial, f"partly stored import batches: {partial}"
        folder_ids = {b for b in batches if "f" in b} | set(folders)
        split = {b: (batches[b], folders[b]) for b in folder_ids if batches[b] != folders[b]}
        assert not split, f"folder imports with episodes and check-ins apart: {split}"

        for uid in acked:
            kind = re.match(r"^r\d+([ecbf])", uid)
            assert kind is not None
            if kind.group(1) == "e":
                assert uid in episode_uids, f"acknowledged episode {uid} lost"
            elif kind.group(1) == "c":
                assert uid in checkin_uids, f"acknowledged check-in {uid} lost"
            else:
                assert batches[uid] == sizes.get(uid, -1), f"acknowledged batch {uid} lost"
                if kind.group(1) == "f":
                    assert folders[uid] == sizes[uid], f"acknowledged folder {uid} lost"

        counted = dict(
            conn.execute(select(m.Episode.day, func.count()).group_by(m.Episode.day)).all()
        )
        kept = dict(
            conn.execute(
                select(m.DayStats.day, m.DayStats.episodes).where(m.DayStats.episodes != 0)
            ).all()
        )
        assert kept == counted
        places: Counter[tuple[object, str]] = Counter()
        for day, locations in conn.execute(select(m.Episode.day, m.Episode.locations)):
            for loc in locations:
                places[(day, loc)] += 1
        kept_places = {
            (day, loc): n
            for day, loc, n in conn.execute(
                select(m.LocationDay.day, m.LocationDay.location, m.LocationDay.episodes)
            )
            if n != 0
        }
        assert kept_places == dict(places)


@pytest.mark.slow
def test_sigkill_during_writes_loses_no_acknowledged_entry(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    engine.dispose()
    rng = random.Random(SEED)
    acked: set[str] = set()
    in_flight = runs = 0
    kinds: Counter[str] = Counter()
    zygote = Zygote(db_url)
    try:
        while runs < MAX_RUNS and (
            in_flight < KILLS_IN_FLIGHT or min(kinds[k] for k in "ecbf") < KILLS_PER_KIND
        ):
            runs += 1
            log = tmp_path / f"writer{runs}.log"
            pid = zygote.start(runs, rng.randrange(2**31), log, MIXES[runs % len(MIXES)])
            time.sleep(rng.uniform(0.03, 0.3))
            os.kill(pid, signal.SIGKILL)
            assert zygote.reap(pid) == f"signal {int(signal.SIGKILL)}", _lines(log)[-3:]
            lines = _lines(log)
            acked.update(line[2:] for line in lines if line.startswith("A "))
            if lines and lines[-1].startswith("S "):
                in_flight += 1
                kinds[re.sub(r"^r\d+([ecbf]).*$", r"\1", lines[-1][2:])] += 1
            check_engine = make_engine(db_url)  # a fresh open, as after a real crash
            try:
                _check(check_engine, acked)
            finally:
                check_engine.dispose()
    finally:
        zygote.close()
    assert in_flight >= KILLS_IN_FLIGHT, f"only {in_flight} of {runs} kills hit a running write"
    # The kills hit every kind of write, and the writers did real work in between.
    assert all(kinds[k] >= KILLS_PER_KIND for k in "ecbf"), kinds
    assert len(acked) >= KILLS_IN_FLIGHT
    print(f"\n{runs} kills, {in_flight} inside a write ({dict(kinds)}), {len(acked)} acknowledged")
