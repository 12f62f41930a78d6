"""Shared fixtures and the fixed hypothesis profile (CI runs are repeatable)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
MINI_KB = ROOT / "tests" / "fixtures" / "mini_kb"
SHARED = ROOT.parent / "shared"
VIGNETTES = ROOT / "vignettes" / "cases.jsonl"


@pytest.fixture
def mini_kb_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the two-cause test KB."""
    target = tmp_path / "kb"
    shutil.copytree(MINI_KB, target)
    yield target


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many real-browser tests ran (contracts §3): skips must never pass unnoticed."""
    outcomes = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in outcomes:
        for report in terminalreporter.stats.get(outcome, []):
            in_browser = getattr(report, "nodeid", "").startswith("tests/web/")
            # A pass is counted on its call phase; a skip or failure wherever it happened.
            counted = report.when == "call" or (outcome != "passed" and report.when == "setup")
            if in_browser and counted:
                outcomes[outcome] += 1
    terminalreporter.write_line(
        f"browser tests (real Chromium): {outcomes['passed']} passed, {outcomes['failed']} failed, "
        f"{outcomes['skipped']} skipped"
    )
