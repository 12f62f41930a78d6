"""The writer processes that tests/storage/test_crash.py kills with SIGKILL.

``python -m tests.storage.crash_writer URL`` starts a *zygote*: it imports the storage code and
loads the KB once, prints ``ready``, then obeys lines on stdin:

- ``start RUN SEED LOG KINDS``: fork a writer, print its pid. Forking keeps each restart to a
  few milliseconds, so the test spends its time writing and killing, not starting Python.
  KINDS is the writes it cycles through, letters of ``ecbf`` (episode, check-in, batch, folder).
- ``reap PID``: wait for that writer and print how it ended (``signal 9`` after a SIGKILL).

A writer opens its own engine (nothing is shared with the zygote, which never connects) and
writes until it is killed, cycling through the kinds of write it was given, of the three the
diary does:
``add_episode`` (one row plus its aggregates in one transaction), ``add_checkin``, and
``import_episodes`` of several dozen rows (one multi-row transaction), and ``import_entries``
(a folder import: 6-24 episodes and as many check-ins in one transaction). Before each call it
writes ``S <uid>`` to LOG and after the call returned ``A <uid>``, each line in one write: an
``A`` line is an acknowledged write, which must survive the kill. A batch's rows share the
prefix ``<uid>-`` and the uid carries the batch size (``...n37``) so the parent can check that a
batch is stored whole or not at all; a folder's episodes and check-ins share ``<uid>-`` too. Nothing of the web stack is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import traceback
from typing import TextIO

from twitchcheck.diary.schemas import CheckInIn, EpisodeIn
from twitchcheck.diary.service import DiaryStore
from twitchcheck.kb.loader import load_kb
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.storage.db import make_engine

LOCATIONS = ("twitch_nose", "twitch_eyelid", "twitch_cheek_mouth", "twitch_limbs_or_trunk")
FIRST_DAY = dt.date(2026, 1, 1)


def _episode(rng: random.Random, uid: str) -> EpisodeIn:
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(300))
    return EpisodeIn(
        occurred_at=dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60))),
        locations=rng.sample(LOCATIONS, rng.choice((1, 1, 2))),
        side=rng.choice(("left", "right", "both", "unknown")),
        duration_seconds=rng.choice((2, 5, 15, 30, 90)),
        intensity=rng.randrange(11),
        caffeine_cups=rng.choice((None, 0, 1, 2, 3, 5)),
        sleep_hours=rng.choice((None, 5.5, 7, 8)),
        stress=rng.choice((None, 2, 5, 8)),
        uid=uid,
    )


def _checkin(rng: random.Random, uid: str) -> CheckInIn:
    return CheckInIn(
        on_date=FIRST_DAY + dt.timedelta(days=rng.randrange(300)),
        answers={"muscle_weakness": False, "difficulty_swallowing": rng.random() < 0.1},
        sleep_hours=rng.choice((None, 6.0, 7.5)),
        uid=uid,
    )


def _write_forever(
    url: str, kb: KnowledgeBase, run: int, seed: int, kinds: str, log: TextIO
) -> None:
    rng = random.Random(seed)
    store = DiaryStore(make_engine(url), kb)
    user = store.local_user()
    prefix = f"r{run}"
    i = 0
    while True:
        i += 1
        kind = kinds[i % len(kinds)]
        if kind == "e":
            uid = f"{prefix}e{i}"
            log.write(f"S {uid}\n")
            store.add_episode(user, _episode(rng, uid))
        elif kind == "c":
            uid = f"{prefix}c{i}"
            log.write(f"S {uid}\n")
            store.add_checkin(user, _checkin(rng, uid))
        elif kind == "f":
            # A folder import: episodes and check-ins in one transaction (issue 18 #3); smaller
            # than a batch, so that folder writers also get writes acknowledged between kills.
            size = rng.randint(6, 24)
            uid = f"{prefix}f{i}n{size}"
            rows = [_episode(rng, f"{uid}-{k}") for k in range(size)]
            checks = [_checkin(rng, f"{uid}-{k}") for k in range(size)]
            log.write(f"S {uid}\n")
            store.import_entries(user, rows, checks)
        else:
            size = rng.randint(24, 72)
            uid = f"{prefix}b{i}n{size}"
            rows = [_episode(rng, f"{uid}-{k}") for k in range(size)]
            log.write(f"S {uid}\n")
            store.import_episodes(user, rows)
        log.write(f"A {uid}\n")


def _child(url: str, kb: KnowledgeBase, run: int, seed: int, kinds: str, log_path: str) -> None:
    """The forked writer: never returns (``os._exit``), so no zygote code runs twice."""
    code = 1
    try:
        # Line-buffered: each line reaches the file in a single write() before the next call.
        with open(log_path, "w", buffering=1, encoding="utf-8") as log:
            try:
                _write_forever(url, kb, run, seed, kinds, log)
            except BaseException:
                log.write("X " + traceback.format_exc().replace("\n", " | ") + "\n")
    finally:
        os._exit(code)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    url = argv[0]
    kb = load_kb()
    # Import the database driver here (creating an engine does; it does not connect), so a
    # forked writer starts writing at once instead of importing psycopg first.
    make_engine(url).dispose()
    _say("ready")
    for line in sys.stdin:
        command, *args = line.split()
        if command == "start":
            run, seed, log_path, kinds = int(args[0]), int(args[1]), args[2], args[3]
            pid = os.fork()
            if pid == 0:
                _child(url, kb, run, seed, kinds, log_path)
            _say(str(pid))
        elif command == "reap":
            _, status = os.waitpid(int(args[0]), 0)
            if os.WIFSIGNALED(status):
                _say(f"signal {os.WTERMSIG(status)}")
            else:
                _say(f"exit {os.WEXITSTATUS(status)}")


if __name__ == "__main__":
    main(sys.argv[1:])
