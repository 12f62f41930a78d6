"""Shared fixtures and the fixed hypothesis profile (CI runs are repeatable)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from twitchcheck.diary.service import DiaryStore

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: Starlette's TestClient sends ``Host: testserver``: the tests' apps accept it besides the
#: loopback names (the default of the setting; tests/interfaces/test_doors.py checks the default
#: with this variable removed).
TEST_HOSTS_ENV = "TWITCHCHECK_ALLOWED_HOSTS"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault(TEST_HOSTS_ENV, "localhost,127.0.0.1,::1,testserver")


ROOT = Path(__file__).resolve().parent.parent
MINI_KB = ROOT / "tests" / "fixtures" / "mini_kb"
SHARED = ROOT.parent / "shared"
VIGNETTES = ROOT / "vignettes" / "dev.jsonl"


@pytest.fixture
def mini_kb_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the two-cause test KB."""
    target = tmp_path / "kb"
    shutil.copytree(MINI_KB, target)
    yield target


#: Node ids of the tests that used a real database (filled by the ``db_url`` fixture).
DATABASE_TESTS: dict[str, str] = {}
POSTGRES_ENV = "TWITCHCHECK_TEST_POSTGRES_URL"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from twitchcheck.storage.db import database_url

    engine = create_engine(database_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a fresh SQLite file, or the real PostgreSQL server emptied.

    Outside CI a missing PostgreSQL skips its half; under ``CI=true`` it fails (contracts §3).
    """
    DATABASE_TESTS[request.node.nodeid] = request.param
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    url = os.environ.get(POSTGRES_ENV)
    problem = None
    if not url:
        problem = f"{POSTGRES_ENV} is not set (scripts/test.sh sets it)"
    else:
        try:
            _reset_postgres(url)
        except Exception as exc:  # any failure to reach the server
            problem = f"PostgreSQL at {url} is not usable: {exc}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    assert url is not None
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[DiaryStore]:
    """A migrated diary store on the ``db_url`` database (SQLite and PostgreSQL)."""
    from twitchcheck.diary.service import open_store
    from twitchcheck.kb.loader import load_kb

    opened = open_store(db_url, load_kb())
    yield opened
    opened.engine.dispose()


def _count(
    terminalreporter: pytest.TerminalReporter, wanted: Callable[[str], bool]
) -> dict[str, int]:
    outcomes = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in outcomes:
        for report in terminalreporter.stats.get(outcome, []):
            # A pass is counted on its call phase; a skip or failure wherever it happened.
            counted = report.when == "call" or (outcome != "passed" and report.when == "setup")
            if counted and wanted(getattr(report, "nodeid", "")):
                outcomes[outcome] += 1
    return outcomes


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many real-browser and real-database tests ran (contracts §3)."""
    lines = [("browser tests (real Chromium)", lambda n: n.startswith("tests/web/"))]
    for kind in ("sqlite", "postgresql"):
        lines.append((f"database tests ({kind})", lambda n, k=kind: DATABASE_TESTS.get(n) == k))
    for label, wanted in lines:
        c = _count(terminalreporter, wanted)
        terminalreporter.write_line(
            f"{label}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped"
        )
