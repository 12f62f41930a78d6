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
