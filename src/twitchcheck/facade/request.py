"""Reading a request: check age, sex and ids, then close the evidence (engine.evidence)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twitchcheck import results as r
from twitchcheck.domain import MAX_AGE, MIN_AGE, Choice, Sex
from twitchcheck.engine.evidence import ClosedEvidence, close_evidence
from twitchcheck.engine.model import EngineModel
from twitchcheck.errors import ContradictionError, UnknownIdError, ValueRangeError
from twitchcheck.kb import KnowledgeBase


def known_concerns(kb: KnowledgeBase) -> tuple[str, ...]:
    """Concerns a request may name (contracts §2): fear of the cause the ALS answer in context
    is about (``roles.als_cause``), when the KB has one."""
    als = kb.roles.als_cause
    return (als,) if als is not None else ()


@dataclass(frozen=True)
class Request:
    """A validated request: age, sex and closed evidence."""

    age: int
    sex: Sex
    reported_present: tuple[str, ...]
    reported_absent: tuple[str, ...]
    initial: tuple[str, ...]
    closed: ClosedEvidence
    concerns: tuple[str, ...]


class RequestReader:
    """Checks requests against one KB's ids and closes their evidence."""

    def __init__(self, model: EngineModel, concerns: tuple[str, ...]) -> None:
        self.model = model
        self.concerns = concerns

    def read(
        self,
        *,
        age: int,
        sex: str | Sex,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        initial: Iterable[str] = (),
        concerns: Iterable[str] = (),
    ) -> Request:
        """Check and close a request; raises an InputError subclass naming what is wrong."""
        if isinstance(age, bool) or not isinstance(age, int):
            raise ValueRangeError(f"Age must be a whole number of years, not {age!r}.")
        if not MIN_AGE <= age <= MAX_AGE:
            raise ValueRangeError(f"Age must be between {MIN_AGE} and {MAX_AGE}; got {age}.")
        try:
            sex_value = Sex(sex)
        except ValueError:
            allowed = ", ".join(x.value for x in Sex)
            raise ValueRangeError(f"Sex must be one of {allowed}; got {sex!r}.") from None
        pres = unique(present)
        abs_ = unique(absent)
        init = unique(initial)
        self.check_findings((*pres, *abs_, *init))
        stray = [i for i in init if i not in pres]
        if stray:
            raise ContradictionError(
                f"Initial findings must also be present: {', '.join(stray)}.", stray
            )
        concern_list = unique(concerns)
        for c in concern_list:
            if c not in self.concerns:
                raise UnknownIdError("concern", c, self.concerns)
        model = self.model
        closed = close_evidence(pres, abs_, model.exclusive_groups, model.implications)
        return Request(age, sex_value, pres, abs_, init, closed, concern_list)

    def check_findings(self, ids: Iterable[str]) -> None:
        """Raise UnknownIdError (with suggestions) for the first id that is not a finding."""
        index = self.model.finding_index
        for ident in ids:
            if ident not in index:
                raise UnknownIdError("finding", ident, index)


def unique(ids: Iterable[str]) -> tuple[str, ...]:
    """Strip, drop empties and duplicates, keep first-seen order."""
    if isinstance(ids, str):
        ids = [ids]
    out: dict[str, None] = {}
    for ident in ids:
        if not isinstance(ident, str):
            raise ValueRangeError(f"Finding ids must be strings; got {ident!r}.")
        cleaned = ident.strip()
        if cleaned:
            out.setdefault(cleaned, None)
    return tuple(out)


def evidence_sets(
    evidence: Iterable[r.EvidenceItem],
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Split evidence items into (present, absent, unknown, initial) id lists."""
    present: list[str] = []
    absent: list[str] = []
    unknown: list[str] = []
    initial: list[str] = []
    for item in evidence:
        target = {Choice.PRESENT: present, Choice.ABSENT: absent, Choice.UNKNOWN: unknown}[
            item.choice
        ]
        target.append(item.id)
        if item.initial:
            initial.append(item.id)
    return present, absent, unknown, initial
