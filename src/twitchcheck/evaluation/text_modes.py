"""The text modes of ``evaluate`` (issue 17, contracts §6): the narrative parsed and assessed
(``text``), or parsed and then interviewed (``text_interview``), with the parse's own metrics.

The parse metrics count the parser's own findings (``parsed.findings``, before closure,
vocabulary ids only, ``unknown`` left out) against the case's ``present``/``absent``:
``parse_precision`` = agreeing pairs ÷ pairs whose id the case lists; ``contradictions`` =
disagreeing pairs ÷ all pairs; ``stated_recall`` = ``stated`` ids found with the case's choice ÷
``stated`` ids; ``red_flags_missed`` = red-flag ids in ``stated`` ∩ ``present`` not found present.
Cases without ``stated`` add nothing to the last two; ``stated_cases`` says how many carried it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twitchcheck.api import Checker
from twitchcheck.evaluation.cases import case_result, interviewed
from twitchcheck.evaluation.intervals import wilson
from twitchcheck.evaluation.metrics import CaseResult
from twitchcheck.evaluation.vignettes import Vignette


@dataclass(frozen=True)
class ParseRecord:
    """The parser's own (id, choice) pairs for one case (unknown left out)."""

    id: str
    pairs: tuple[tuple[str, str], ...]
    vignette: Vignette


def parse_record(checker: Checker, v: Vignette) -> ParseRecord:
    parsed = checker.parse(v.narrative)
    pairs = tuple((f.id, f.choice.value) for f in parsed.findings if f.choice.value != "unknown")
    return ParseRecord(v.id, pairs, v)


def run_text(checker: Checker, v: Vignette) -> CaseResult:
    """The narrative alone, with the case's age and sex."""
    return case_result(v, checker.assess(age=v.age, sex=v.sex, text=v.narrative))


def run_text_interview(checker: Checker, v: Vignette) -> CaseResult:
    """The narrative, then the interview answering from present/absent (the text box is not a
    screen; red flags the text gave are still asked on the safety screen)."""
    return interviewed(checker, v, [], text=v.narrative)


def _interval(successes: int, n: int) -> list[float]:
    lo, hi = wilson(successes, n)
    return [round(lo, 6), round(hi, 6)]


def parse_metrics(records: Sequence[ParseRecord], red_flags: frozenset[str]) -> dict[str, object]:
    """The parse's metrics (module docstring) and their Wilson intervals under ``ci95``."""
    listed = agree = disagree = total = 0
    stated_n = stated_found = stated_cases = 0
    missed: list[dict[str, object]] = []
    for rec in records:
        v = rec.vignette
        present, absent = set(v.present), set(v.absent)
        for fid, choice in rec.pairs:
            total += 1
            if fid in present or fid in absent:
                listed += 1
                ok = (fid in present) == (choice == "present")
                agree += ok
                disagree += not ok
        if v.stated is None:
            continue
        stated_cases += 1
        found = set(rec.pairs)
        for fid in v.stated:
            stated_n += 1
            stated_found += (fid, "present" if fid in present else "absent") in found
        lost = sorted(
            f for f in v.stated if f in present and f in red_flags and (f, "present") not in found
        )
        if lost:
            missed.append({"id": v.id, "findings": lost})
    ci: dict[str, list[float]] = {
        "parse_precision": _interval(agree, listed),
        "contradictions": _interval(disagree, total),
    }
    if stated_n:
        ci["stated_recall"] = _interval(stated_found, stated_n)
    return {
        "parse_precision": round(agree / listed, 6) if listed else None,
        "stated_recall": round(stated_found / stated_n, 6) if stated_n else None,
        "contradictions": round(disagree / total, 6) if total else 0.0,
        "red_flags_missed": missed,
        "stated_cases": stated_cases,
        "parsed_pairs": total,
        "ci95": ci,
    }
