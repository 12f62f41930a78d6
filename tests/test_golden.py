"""Behaviour pinned: every golden case answers byte for byte what ``tests/golden/`` holds.

A commit that only moves code never touches ``tests/golden/``; a commit that changes behaviour
regenerates the affected groups with ``python -m tests.golden_cases regenerate GROUP`` and says
which groups changed and why (contracts.md §6, docs/testing.md).
"""

from __future__ import annotations

import pytest

from tests.golden_cases import GOLDEN, GROUPS, answers


def test_every_group_has_its_golden_files() -> None:
    counts = {group: len(list((GOLDEN / group).glob("*.json"))) for group in GROUPS}
    assert all(counts.values()), counts
    assert sum(counts.values()) >= 150, counts


@pytest.mark.parametrize("group", list(GROUPS))
def test_answers_are_byte_identical_to_the_golden_files(group: str) -> None:
    differ, seen = [], set()
    for path, text in answers(group):
        seen.add(path.name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            differ.append(path.name)
    stale = {p.name for p in (GOLDEN / group).glob("*.json")} - seen
    assert not differ and not stale, (
        f"{group}: {len(differ)} answers differ ({differ[:10]}), stale files {sorted(stale)[:10]}; "
        "if the change is meant, regenerate: python -m tests.golden_cases regenerate " + group
    )
