"""The validated, indexed knowledge base held in memory (immutable once built)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from twitchcheck.domain import Sex
from twitchcheck.errors import UnknownIdError
from twitchcheck.kb import schema as s

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class KnowledgeBase:
    meta: s.Meta
    sources: dict[str, s.Source]
    levels: dict[str, s.TriageLevelText]
    causes: tuple[s.Cause, ...]
    findings: tuple[s.Finding, ...]
    links: tuple[s.Link, ...]
    structure: s.Structure
    rules: tuple[s.Rule, ...]
    anatomy: tuple[s.Muscle, ...]
    treatments: dict[str, s.Treatment]
    workup: dict[str, s.WorkupStep]
    statements: tuple[s.Statement, ...]
    content_hash: str
    origin: str
    cause_index: dict[str, int] = field(repr=False)
    finding_index: dict[str, int] = field(repr=False)
    # Dense link matrix P(finding | cause alone), shape (n_causes, n_findings); 0 where no link.
    link_matrix: FloatArray = field(repr=False)
    leaks: FloatArray = field(repr=False)

    @classmethod
    def build(cls, parsed: dict[str, Any], content_hash: str, origin: str) -> KnowledgeBase:
        causes = tuple(parsed["causes.yaml"])
        findings = tuple(parsed["findings.yaml"])
        links = tuple(parsed["links.yaml"])
        cause_index = {c.id: i for i, c in enumerate(causes)}
        finding_index = {f.id: i for i, f in enumerate(findings)}
        matrix = np.zeros((len(causes), len(findings)), dtype=np.float64)
        for link in links:
            matrix[cause_index[link.cause], finding_index[link.finding]] = link.p
        matrix.setflags(write=False)
        leaks = np.array([f.leak.value for f in findings], dtype=np.float64)
        leaks.setflags(write=False)
        return cls(
            meta=parsed["meta.yaml"],
            sources={x.id: x for x in parsed["sources.yaml"]},
            levels={x.id: x for x in parsed["triage_levels.yaml"]},
            causes=causes,
            findings=findings,
            links=links,
            structure=parsed["structure.yaml"],
            rules=tuple(parsed["rules.yaml"]),
            anatomy=tuple(parsed["anatomy.yaml"]),
            treatments={x.id: x for x in parsed["treatments.yaml"]},
            workup={x.id: x for x in parsed["workup.yaml"]},
            statements=tuple(parsed["statements.yaml"]),
            content_hash=content_hash,
            origin=origin,
            cause_index=cause_index,
            finding_index=finding_index,
            link_matrix=matrix,
            leaks=leaks,
        )

    # -- identity -------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """The KB version plus the first 12 hex digits of its content hash."""
        return f"{self.meta.version}+{self.content_hash[:12]}"

    @property
    def roles(self) -> s.Roles:
        """The ids code gives a part to (``structure.yaml`` ``roles``), each checked to exist."""
        return self.structure.roles

    # -- look-ups -------------------------------------------------------------------------
    def cause(self, cause_id: str) -> s.Cause:
        try:
            return self.causes[self.cause_index[cause_id]]
        except KeyError:
            raise UnknownIdError("cause", cause_id, self.cause_index) from None

    def finding(self, finding_id: str) -> s.Finding:
        try:
            return self.findings[self.finding_index[finding_id]]
        except KeyError:
            raise UnknownIdError("finding", finding_id, self.finding_index) from None

    def any_entity(self, ident: str) -> Any:
        """A cause, finding, source, rule, muscle, treatment or workup step by id."""
        tables: list[dict[str, Any]] = [
            {c.id: c for c in self.causes},
            {f.id: f for f in self.findings},
            self.sources,
            {r.id: r for r in self.rules},
            {m.id: m for m in self.anatomy},
            self.treatments,
            self.workup,
            self.levels,
        ]
        for table in tables:
            if ident in table:
                return table[ident]
        known = [k for t in tables for k in t]
        raise UnknownIdError("knowledge-base", ident, known)

    # -- the model's numbers for one person ---------------------------------------------------
    def prior_odds_ratio(self, cause: s.Cause, age: int, sex: Sex) -> float:
        """Product of the age-band and sex odds ratios that apply to this person."""
        ratio = 1.0
        for band in cause.prior.age_odds_ratios:
            if band.min <= age < band.max:
                ratio *= band.value
        if sex is Sex.FEMALE:
            ratio *= cause.prior.sex_odds_ratios.female
        elif sex is Sex.MALE:
            ratio *= cause.prior.sex_odds_ratios.male
        return ratio

    def priors_for(self, age: int, sex: Sex) -> FloatArray:
        """P(cause active now) for this person: reference prior odds times the odds ratios."""
        out = np.empty(len(self.causes), dtype=np.float64)
        for i, c in enumerate(self.causes):
            p = c.prior.value
            odds = p / (1.0 - p) * self.prior_odds_ratio(c, age, sex)
            out[i] = odds / (1.0 + odds) if math.isfinite(odds) else 1.0 - 1e-12
        return out

    def children(self, cause_id: str) -> list[s.Link]:
        return [link for link in self.links if link.cause == cause_id]

    def parents(self, finding_id: str) -> list[s.Link]:
        return [link for link in self.links if link.finding == finding_id]
