"""The schema of a cause's prior: its value, age and sex odds ratios, and the label of a value
fitted to cases (``twitchcheck kb fit``, docs/fitting.md). Re-exported by
:mod:`twitchcheck.kb.schema`.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Any

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from twitchcheck.domain import MAX_AGE, MIN_AGE
from twitchcheck.kb.schema_base import NonEmpty, OpenProbability, Provenance, Strict


class AgeOddsRatio(Strict):
    """Odds ratio for ages in the half-open band [min, max)."""

    min: Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)]
    max: Annotated[int, Field(ge=MIN_AGE + 1, le=MAX_AGE + 1)]
    value: Annotated[float, Field(gt=0.0)]

    @model_validator(mode="after")
    def _ordered(self) -> AgeOddsRatio:
        if self.min >= self.max:
            raise ValueError(f"age band [{self.min}, {self.max}) is empty")
        return self


class SexOddsRatios(Strict):
    """Odds ratios relative to the reference (sex ``unknown``); ``other`` and ``unknown`` take 1."""

    female: Annotated[float, Field(gt=0.0)] = 1.0
    male: Annotated[float, Field(gt=0.0)] = 1.0


#: A fitted prior's label (docs/fitting.md).
FITTED_FORM = "OLD -> NEW by 'twitchcheck kb fit ...' on DATA (sha256 HEX12), YYYY-MM-DD"
FITTED_LABEL = re.compile(
    r"^(?P<old>\d+(?:\.\d+)?) -> (?P<new>\d+(?:\.\d+)?) by '(?P<command>twitchcheck kb fit[^']*)'"
    r" on (?P<data>\S+) \(sha256 (?P<sha>[0-9a-f]{12})\), (?P<date>\d{4}-\d{2}-\d{2})$"
)


class Prior(Provenance):
    """P(cause active now) for the reference person, with age and sex odds-ratio modifiers.

    ``basis`` says how the number was derived, including any conversion from a lifetime or
    yearly figure to "active now". ``fitted`` (written only by ``kb fit --write``) labels a value
    fitted to cases: from what (still described by basis, sources, estimate), to what, by which
    command on which data. A value unlike its label's, or prose claiming a fit without one, is
    rejected: a reader can always tell a sourced number from a fitted one.
    """

    value: OpenProbability
    basis: NonEmpty
    age_odds_ratios: tuple[AgeOddsRatio, ...] = ()
    sex_odds_ratios: SexOddsRatios = SexOddsRatios()
    fitted: NonEmpty | None = None

    @model_validator(mode="after")
    def _fitted_labelled(self) -> Prior:
        if self.fitted is None:
            for name, text in (("basis", self.basis), ("estimate", self.estimate or "")):
                if text.lstrip().lower().startswith("fitted"):
                    raise ValueError(
                        f"{name} says the prior is fitted, but it has no 'fitted' label"
                    )
            return self
        match = FITTED_LABEL.match(self.fitted)
        if match is None:
            raise ValueError(f"'fitted' must read {FITTED_FORM!r}")
        old, new = float(match["old"]), float(match["new"])
        if not 0.0 < old < 1.0:
            raise ValueError(f"the fitted prior's old value {old} is not a probability")
        if new != self.value:
            raise ValueError(f"value {self.value} differs from the fitted label's {new}")
        return self

    @model_serializer(mode="wrap")
    def _without_empty_label(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # An unfitted prior serialises as before the label existed (exports, REST answers).
        data: dict[str, Any] = handler(self)
        if data.get("fitted", "") is None:
            del data["fitted"]
        return data

    @property
    def fitted_from(self) -> float | None:
        """The value before the fit (read from a source or estimated), or None if not fitted."""
        match = FITTED_LABEL.match(self.fitted) if self.fitted else None
        return float(match["old"]) if match else None

    @field_validator("age_odds_ratios")
    @classmethod
    def _bands_disjoint(cls, bands: tuple[AgeOddsRatio, ...]) -> tuple[AgeOddsRatio, ...]:
        ordered = sorted(bands, key=lambda b: b.min)
        for a, b in itertools.pairwise(ordered):
            if b.min < a.max:
                raise ValueError(f"age bands [{a.min}, {a.max}) and [{b.min}, {b.max}) overlap")
        return bands
