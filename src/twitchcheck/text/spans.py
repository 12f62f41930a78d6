"""What the parser finds in a text (:class:`Mention`) and the sentences it reads them in."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any


@dataclass
class Mention:
    id: str
    choice: str
    start: int
    end: int
    why: str
    source: str = "phrase"  # phrase, amount, duration, sudden, worsening

    def data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "choice": self.choice,
            "start": self.start,
            "end": self.end,
            "why": self.why,
        }


def sentences(doc: Any) -> list[tuple[int, int, int, int]]:
    """(start_char, end_char, start, end) of each sentence, computed once per text."""
    if "tc_sents" not in doc.user_data:
        doc.user_data["tc_sents"] = [(s.start_char, s.end_char, s.start, s.end) for s in doc.sents]
    sents: list[tuple[int, int, int, int]] = doc.user_data["tc_sents"]
    return sents


def clause_of(doc: Any, start_char: int) -> tuple[int, int]:
    sents = sentences(doc)
    i = bisect.bisect_right([s[0] for s in sents], start_char) - 1
    if 0 <= i < len(sents) and start_char < sents[i][1]:
        return sents[i][0], sents[i][1]
    return 0, len(doc.text)
