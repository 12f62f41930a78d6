"""The base types of the knowledge-base schema: ids, strict models and provenance.

Split from :mod:`twitchcheck.kb.schema` (which re-exports every name) so that the priors'
schema (:mod:`twitchcheck.kb.schema_prior`) can build on them without an import cycle.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
# An open probability: 0 and 1 would make the noisy-OR model deterministic and break inference.
OpenProbability = Annotated[float, Field(gt=0.0, lt=1.0)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a KB file must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Strict):
    """Where a statement or number comes from: sources, an expert estimate, or both.

    ``estimate`` holds the reasoning when a number is not taken from a source directly.
    """

    sources: tuple[Id, ...] = ()
    estimate: str | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Provenance:
        if not self.sources and not (self.estimate and self.estimate.strip()):
            raise ValueError("needs 'sources' (source ids) or 'estimate' (the reasoning)")
        return self

    @property
    def is_estimate(self) -> bool:
        return self.estimate is not None
