"""Vignette files (shared/spec/vignettes.md): loading with line-and-field errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from twitchcheck.domain import MAX_AGE, MIN_AGE, LevelId
from twitchcheck.errors import EvaluationError


class Vignette(BaseModel):
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

    @model_validator(mode="after")
    def _consistent(self) -> Vignette:
        stray = [f for f in self.initial if f not in self.present]
        if stray:
            raise ValueError(f"initial ids not in present: {', '.join(stray)}")
        both = sorted(set(self.present) & set(self.absent))
        if both:
            raise ValueError(f"ids both present and absent: {', '.join(both)}")
        return self


def load_vignettes(path: str | Path) -> list[Vignette]:
    """Read a JSON Lines vignette file; every bad line is reported with its number and field."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvaluationError(f"No vignette file at {file}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"Cannot read {file}: {exc}") from None
    out: list[Vignette] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg})")
            continue
        try:
            v = Vignette.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "(case)"
                problems.append(f"line {number}: {field}: {err['msg']}")
            continue
        if v.id in seen:
            problems.append(f"line {number}: id: duplicate id '{v.id}'")
        seen.add(v.id)
        out.append(v)
    if problems:
        raise EvaluationError(f"{file} has {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    if not out:
        raise EvaluationError(f"{file} holds no vignettes.")
    return out
