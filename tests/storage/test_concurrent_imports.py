"""Issue 18 #5: two imports of the same rows at the same time both succeed, and every row is
stored once (before: a unique-key error, an internal error, in one of them)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from twitchcheck.diary.exchange import import_csv
from twitchcheck.diary.service import open_store
from twitchcheck.kb.loader import load_kb

ROWS = 2_000


def _file(path: Path) -> Path:
    start = dt.datetime(2025, 1, 1, 8, 0)
    lines = ["occurred_at,locations,duration_seconds,intensity"]
    for n in range(ROWS):
        when = start + dt.timedelta(hours=7 * n)
        lines.append(f"{when.isoformat()},twitch_nose;twitch_eyelid,{1 + n % 50},{n % 11}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_imports_of_the_same_rows_at_once_store_each_row_once(
    db_url: str, tmp_path: Path
) -> None:
    kb = load_kb()
    store = open_store(db_url, kb)
    user = store.local_user()
    path = _file(tmp_path / "episodes.csv")
    for round_ in range(3):
        go = time.monotonic() + 0.3
        pids = []
        for n in range(2):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    mine = open_store(db_url, kb)
                    time.sleep(max(0.0, go - time.monotonic()))
                    import_csv(mine, mine.local_user(), path)
                    code = 0
                except BaseException as exc:
                    (tmp_path / f"err{round_}-{n}").write_text(repr(exc)[:500], "utf-8")
                finally:
                    os._exit(code)
            pids.append(pid)
        codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        errors = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("err*"))]
        assert codes == [0, 0], errors
        assert store.count_episodes(user) == ROWS
        store.delete_all(user)
    store.engine.dispose()
