"""The knowledge base cites no source of the test split (the leak rule, contracts.md §6).

The test reads vignettes/test.jsonl only to run the leak check; on failure it names case ids and
KB source ids, never a case's content.
"""

from __future__ import annotations

from pathlib import Path

from twitchcheck.evaluation.check import find_leaks
from twitchcheck.evaluation.vignettes import parse_vignettes, read_text
from twitchcheck.kb import load_kb

TEST = Path(__file__).resolve().parents[2] / "vignettes" / "test.jsonl"


def test_the_shipped_kb_cites_no_test_source() -> None:
    parsed = parse_vignettes(read_text(TEST))
    # every case is checked: a line that did not parse would escape the check
    assert not parsed.problems, f"lines that do not parse: {[n for n, _ in parsed.problems]}"
    assert len(parsed.lines) >= 150
    leaks = sorted({(leak.case_id, leak.source_id) for leak in find_leaks(parsed.lines, load_kb())})
    assert not leaks, f"test cases whose source the KB cites (case id, KB source id): {leaks}"
