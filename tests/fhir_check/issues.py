"""What the checker reports: one Issue per problem, and a Report with the invariant counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
#: Which check found it: the JSON Schema, the StructureDefinitions' cardinalities and element
#: names, a required binding, a FHIRPath invariant, or an SDC rule written for this checker.
Source = Literal["schema", "structure", "binding", "invariant", "sdc"]


@dataclass(frozen=True)
class Issue:
    severity: Severity
    source: Source
    #: Where, as a FHIRPath-like location in the checked resource (e.g. "Questionnaire.item[2]").
    location: str
    message: str
    #: The invariant or rule key (e.g. "que-2", "sdc-next-1"), when there is one.
    key: str | None = None

    def __str__(self) -> str:
        key = f" [{self.key}]" if self.key else ""
        return f"{self.severity} {self.source}{key} at {self.location}: {self.message}"


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)
    #: Invariant keys evaluated on at least one element of the resource.
    evaluated: set[str] = field(default_factory=set)
    #: Invariant keys that applied but could not be evaluated, with the reason.
    skipped: dict[str, str] = field(default_factory=dict)
    #: Required bindings whose value set could not be expanded from the package, with the reason.
    unexpanded: dict[str, str] = field(default_factory=dict)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    def summary(self) -> str:
        """One line: errors, warnings, invariants evaluated and skipped, bindings not expanded."""
        warnings = len(self.issues) - len(self.errors)
        skipped = "; ".join(f"{key}: {why}" for key, why in sorted(self.skipped.items()))
        return (
            f"{len(self.errors)} errors, {warnings} warnings; {len(self.evaluated)} invariants "
            f"evaluated, {len(self.skipped)} skipped{f' ({skipped})' if skipped else ''}; "
            f"{len(self.unexpanded)} required bindings not expandable offline"
        )
