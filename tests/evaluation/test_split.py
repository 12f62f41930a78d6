"""The test split is frozen and apart from the dev split (contracts.md §6, EVALUATION.md)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST = ROOT / "vignettes" / "test.jsonl"
DEV = ROOT / "vignettes" / "dev.jsonl"


def _cases(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_the_test_split_is_the_frozen_file_evaluation_md_names() -> None:
    named = re.search(
        r"SHA-256 of `vignettes/test.jsonl`:\s*`([0-9a-f]{64})`",
        (ROOT / "EVALUATION.md").read_text(),
    )
    assert named, "EVALUATION.md must name the test split's SHA-256"
    actual = hashlib.sha256(TEST.read_bytes()).hexdigest()
    assert actual == named.group(1), "test.jsonl changed: record the edit in vignettes/CHANGES.md"


def test_the_splits_share_no_case_and_test_cases_carry_their_authoring() -> None:
    test, dev = _cases(TEST), _cases(DEV)
    assert len(test) >= 150
    assert not {c["id"] for c in test} & {c["id"] for c in dev}
    assert not {c["narrative"] for c in test} & {c["narrative"] for c in dev}
    brief = hashlib.sha256((ROOT / "vignettes" / "BRIEF.md").read_bytes()).hexdigest()
    for case in test:
        assert case["brief_sha"] == brief and case["author"], case["id"]
        assert str(case["source"]).startswith("https://"), case["id"]
        assert set(case["stated"]) <= set(case["present"]) | set(case["absent"]), case["id"]
