"""Inference and ranking: a person's priors, the posteriors for some evidence, the causes in
order, and the posteriors triage weighs (the evidence without its red-flag answers)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from twitchcheck.domain import Sex
from twitchcheck.engine.evidence import ClosedEvidence
from twitchcheck.engine.inference import Posterior, posteriors
from twitchcheck.engine.model import EngineModel
from twitchcheck.engine.numeric import FloatArray
from twitchcheck.kb import KnowledgeBase


class Inference:
    """Posteriors and rankings on one KB's network; deterministic and thread-safe."""

    def __init__(self, kb: KnowledgeBase, model: EngineModel) -> None:
        self.model = model
        #: The priors by (age, sex); ``typed`` keeps a plain "female" apart from Sex.FEMALE.
        self._priors = lru_cache(maxsize=1024, typed=True)(kb.priors_for)
        #: Each cause's place in id order: ties in probability are ranked by id.
        self._cause_id_rank = np.argsort(np.argsort(model.cause_ids, kind="stable"))

    def priors(self, age: int, sex: Sex) -> FloatArray:
        return self._priors(age, sex).copy()  # a copy: the cached table stays as computed

    def infer(self, priors: FloatArray, present: Iterable[str], absent: Iterable[str]) -> Posterior:
        index = self.model.finding_index
        return posteriors(
            self.model.network,
            sorted(index[f] for f in present),
            sorted(index[f] for f in absent),
            priors=priors,
        )

    def triage_probabilities(
        self, priors: FloatArray, closed: ClosedEvidence, full: FloatArray | None = None
    ) -> FloatArray:
        """Posteriors from the evidence without any red-flag finding (see engine.triage).

        ``full`` (the posteriors from all the evidence) is reused when no red flag was answered.
        """
        red_flags = self.model.red_flags
        present = [f for f in closed.present if f not in red_flags]
        absent = [f for f in closed.absent if f not in red_flags]
        if full is not None and len(present) + len(absent) == len(closed.present) + len(
            closed.absent
        ):
            return full
        return self.infer(priors, present, absent).marginals

    def ranking(self, marginals: FloatArray) -> list[int]:
        """Cause indices by probability, highest first, ties by cause id (contracts §1)."""
        order: list[int] = np.lexsort((self._cause_id_rank, -marginals)).tolist()
        return order
