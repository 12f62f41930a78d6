"""Vignette files (shared/spec/vignettes.md, contracts.md §6): loading with line-and-field errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from twitchcheck.domain import MAX_AGE, MIN_AGE, LevelId
from twitchcheck.errors import EvaluationError


class Vignette(BaseModel):
    """One case. Fields the contract does not name are ignored (contracts.md §6)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1)
    source: str = ""
    age: int = Field(ge=MIN_AGE, le=MAX_AGE)
    sex: Literal["female", "male", "other", "unknown"]
    narrative: str = ""
    initial: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    gold_causes: tuple[str, ...] = Field(min_length=1)
    gold_triage: LevelId
    # Optional (required of new test cases by `vignettes check --test`). None means "not
    # carried", which differs from an empty list: the text modes skip cases without `stated`.
    stated: tuple[str, ...] | None = None
    triage_basis: str | None = None
    author: str | None = None
    brief_sha: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Vignette:
        problems = []
        stray = [f for f in self.initial if f not in self.present]
        if stray:
            problems.append(f"initial ids not in present: {', '.join(stray)}")
        both = sorted(set(self.present) & set(self.absent))
        if both:
            problems.append(f"ids both present and absent: {', '.join(both)}")
        if self.stated is not None:
            said = set(self.present) | set(self.absent)
            unstated = [f for f in self.stated if f not in said]
            if unstated:
                problems.append(f"stated ids in neither present nor absent: {', '.join(unstated)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@dataclass(frozen=True)
class Line:
    """A vignette and the line of the file it came from (1-based)."""

    number: int
    vignette: Vignette


@dataclass(frozen=True)
class ParsedFile:
    """Every case that parsed, and every problem as ``(line, message)``."""

    lines: tuple[Line, ...]
    problems: tuple[tuple[int, str], ...]


def read_text(path: str | Path) -> str:
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvaluationError(f"No vignette file at {file}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"Cannot read {file}: {exc}") from None


def parse_vignettes(text: str) -> ParsedFile:
    """Parse JSON Lines; a bad line becomes problems (one per field), never an exception."""
    lines: list[Line] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append((number, f"not valid JSON ({exc.msg})"))
            continue
        try:
            v = Vignette.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "(case)"
                message = str(err["msg"]).removeprefix("Value error, ")
                problems.append((number, f"{field}: {message}"))
            continue
        if v.id in seen:
            problems.append((number, f"id: duplicate id '{v.id}' (first on line {seen[v.id]})"))
        seen.setdefault(v.id, number)
        lines.append(Line(number, v))
    return ParsedFile(tuple(lines), tuple(problems))


def load_vignettes(path: str | Path) -> list[Vignette]:
    """Read a JSON Lines vignette file; every bad line is reported with its number and field."""
    file = Path(path)
    parsed = parse_vignettes(read_text(file))
    if parsed.problems:
        listed = [f"line {number}: {message}" for number, message in parsed.problems]
        raise EvaluationError(f"{file} has {len(listed)} problem(s):\n  " + "\n  ".join(listed))
    if not parsed.lines:
        raise EvaluationError(f"{file} holds no vignettes.")
    return [line.vignette for line in parsed.lines]
