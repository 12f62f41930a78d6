"""Why a cause ranks where it does: the effect of each answer on each cause's log-odds.

The weight of an answer is ``logit P(cause | all evidence) - logit P(cause | all evidence but
that answer)``: positive when the answer made the cause more likely, negative when less. The
left-out posteriors are exact (``engine.inference.leave_one_out``), so interactions such as
explaining away are reflected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Effects smaller than this (in log-odds) are not worth a sentence.
MIN_EFFECT = 0.05
#: At most this many answers are listed per cause, largest effect first.
MAX_ITEMS = 6

_EPS = 1e-15


def logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, _EPS, 1.0 - _EPS)
    result: FloatArray = np.log(q) - np.log1p(-q)
    return result


@dataclass(frozen=True)
class Effect:
    finding: str
    answer: str  # "present" or "absent"
    log_odds_change: float


def answer_effects(
    marginals: FloatArray,
    answers: Sequence[tuple[str, str]],
    without: FloatArray,
) -> list[list[Effect]]:
    """For every cause, the answers that moved it, largest effect first.

    ``answers[i]`` is ``(finding, "present" | "absent")`` and ``without[i]`` the posterior
    marginals with that answer left out.
    """
    full = logit(marginals)
    per_cause: list[list[Effect]] = [[] for _ in range(marginals.size)]
    for (finding, answer), rest in zip(answers, without, strict=True):
        delta = full - logit(rest)
        for j in np.flatnonzero(np.abs(delta) >= MIN_EFFECT):
            per_cause[int(j)].append(Effect(finding, answer, float(delta[j])))
    for effects in per_cause:
        effects.sort(key=lambda e: (-abs(e.log_odds_change), e.finding))
        del effects[MAX_ITEMS:]
    return per_cause


def effect_sentence(label: str, answer: str, change: float, derived: bool = False) -> str:
    """A plain sentence: which answer, which direction, and by how much (as an odds factor)."""
    factor = math.exp(abs(change))
    if derived:
        said = f"Your answers mean “{label}” is {'true' if answer == 'present' else 'not the case'}"
    else:
        said = f"You said yes to “{label}”" if answer == "present" else f"You said no to “{label}”"
    if factor >= 100:
        size = "more than 100 times"
    elif factor >= 10:
        size = f"about {factor:.0f} times"
    else:
        size = f"about {factor:.1f} times"
    direction = "more likely" if change > 0 else "less likely"
    return f"{said}: this makes it {size} {direction} (in odds)."
