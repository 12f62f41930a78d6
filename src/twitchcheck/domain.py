"""Value types shared by every layer. Depends on nothing but the standard library."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class TriageLevel(StrEnum):
    """The five triage levels, most urgent first (ids fixed by the vocabulary)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """Higher is more urgent: self_care 0 … emergency 4."""
        return _RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> TriageLevel:
        return _BY_RANK[rank]

    @classmethod
    def most_urgent(cls, levels: list[TriageLevel]) -> TriageLevel:
        return max(levels, key=lambda lv: lv.rank, default=cls.SELF_CARE)


_RANK = {
    TriageLevel.SELF_CARE: 0,
    TriageLevel.ROUTINE: 1,
    TriageLevel.SOON: 2,
    TriageLevel.URGENT: 3,
    TriageLevel.EMERGENCY: 4,
}
_BY_RANK = {v: k for k, v in _RANK.items()}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Choice(StrEnum):
    """An answer about one finding."""

    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


MIN_AGE = 0
MAX_AGE = 120
#: The level ids, most urgent first: the one place they are written out (schemas, metrics and
#: the random KB generator read them from here).
LEVELS: tuple[str, ...] = tuple(level.value for level in TriageLevel)
#: Levels whose rules make the interview's safety screen and count as red flags.
RED_FLAG_LEVELS: frozenset[str] = frozenset({TriageLevel.EMERGENCY, TriageLevel.URGENT})
#: The level ids as a type, for pydantic models that hold a level as plain text (the KB schema,
#: vignette files). Python cannot build a Literal from LEVELS, so a test checks that they agree.
LevelId = Literal["emergency", "urgent", "soon", "routine", "self_care"]

#: Questions the interview asks at most, by default and at most on request.
DEFAULT_MAX_QUESTIONS = 15
MAX_QUESTIONS_LIMIT = 60
