"""Value types shared by every layer. Depends on nothing but the standard library."""

from __future__ import annotations

from enum import StrEnum


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
