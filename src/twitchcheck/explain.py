"""Why a cause ranks where it does: the effect of each answer on each cause's log-odds.

The weight of an answer is ``logit P(cause | all evidence) - logit P(cause | all evidence but
that answer)``: positive when the answer made the cause more likely, negative when less. The
left-out posteriors are exact (``engine.inference.leave_one_out``), so interactions such as
explaining away are reflected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

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


def _ranked_pairs(
    marginals: FloatArray, findings: Sequence[str], without: FloatArray
) -> tuple[list[int], list[int], FloatArray]:
    """``(cause, answer, change)`` of each answer-cause pair worth a sentence: by cause, then
    largest effect, then finding id; at most MAX_ITEMS per cause. ``findings[i]`` names answer
    ``i`` and ``without[i]`` holds the marginals with that answer left out."""
    n_causes = marginals.size
    rows = without.reshape(len(findings), n_causes)  # raises when the shapes do not match
    # delta[j, i]: the effect of answer i on cause j, all pairs at once (elementwise, so the
    # same numbers as one answer at a time).
    delta = (logit(marginals) - logit(rows)).T
    causes, moved_by = np.nonzero(np.abs(delta) >= MIN_EFFECT)
    changes = delta[causes, moved_by]
    # Rank the pairs by cause, then largest effect, then finding id (a stable sort, as the
    # per-cause sort it replaces), and keep the first MAX_ITEMS of each cause.
    by_id = sorted(range(len(findings)), key=lambda i: findings[i])
    id_rank = np.empty(len(findings), dtype=np.intp)
    id_rank[by_id] = np.arange(len(findings))
    order = np.lexsort((id_rank[moved_by], -np.abs(changes), causes))
    causes, moved_by, changes = causes[order], moved_by[order], changes[order]
    position = np.arange(causes.size) - np.searchsorted(causes, causes)  # within its cause
    kept = position < MAX_ITEMS
    return causes[kept].tolist(), moved_by[kept].tolist(), changes[kept]


class Answer(NamedTuple):
    """One answer as the explanations quote it."""

    finding: str
    label: str
    answer: str  # "present" or "absent"
    derived: bool  # it follows from other answers (evidence closure), not said


def explanations(
    marginals: FloatArray, answers: Sequence[Answer], without: FloatArray
) -> list[list[dict[str, Any]]]:
    """Every cause's explanation as result data (results.ExplanationItem's fields): for every
    cause, the answers that moved it, largest effect first (see _ranked_pairs), each with its
    effect rounded to 6 decimals (NumPy's rounding, all at once) and its
    :func:`effect_sentence`. ``without[i]`` holds the marginals with answer ``i`` left out.

    About a hundred items per assessment: the parts that depend only on the answer are built
    once per answer, and each sentence is its answer's opening plus a ready-made ending.
    """
    quoted = [(a.finding, a.label, a.answer, a.derived) for a in answers]
    openings = [f"{answer_phrase(a.label, a.answer, a.derived)}: this makes it " for a in answers]
    per_cause: list[list[dict[str, Any]]] = [[] for _ in range(marginals.size)]
    causes, moved_by, changes = _ranked_pairs(marginals, [a.finding for a in answers], without)
    for j, i, change, rounded in zip(
        causes, moved_by, changes.tolist(), np.round(changes, 6).tolist(), strict=True
    ):
        finding, label, answer, derived = quoted[i]
        per_cause[j].append(
            {
                "finding": finding,
                "label": label,
                "answer": answer,
                "derived": derived,
                "log_odds_change": rounded,
                "text": openings[i] + _ending(change),
            }
        )
    return per_cause


def answer_phrase(label: str, answer: str, derived: bool = False) -> str:
    """How an answer is quoted in :func:`effect_sentence` (the same for every cause it moved)."""
    if derived:
        return f"Your answers mean “{label}” is {'true' if answer == 'present' else 'not the case'}"
    return f"You said yes to “{label}”" if answer == "present" else f"You said no to “{label}”"


def effect_sentence(label: str, answer: str, change: float, derived: bool = False) -> str:
    """A plain sentence: which answer, which direction, and by how much (as an odds factor)."""
    return f"{answer_phrase(label, answer, derived)}: this makes it {_ending(change)}"


#: How a sentence ends, by direction: [less likely, more likely].
_TAILS = (" less likely (in odds).", " more likely (in odds).")
#: Every ending a sentence can have, by direction and by the odds factor in tenths (below 10)
#: or in whole numbers (10 to 100): about 400 strings, built once rather than ~100 per request.
_TENTHS = [[f"about {k // 10}.{k % 10} times{tail}" for k in range(101)] for tail in _TAILS]
_WHOLES = [[f"about {k} times{tail}" for k in range(101)] for tail in _TAILS]
_BEYOND = [f"more than 100 times{tail}" for tail in _TAILS]


def _ending(change: float) -> str:
    """The end of an effect sentence: the odds factor exp(|change|) in words, then the
    direction. The factor is rounded half up: one decimal below 10, whole numbers to 100."""
    factor = math.exp(abs(change))
    direction = 1 if change > 0 else 0
    if factor < 10:
        return _TENTHS[direction][int(factor * 10 + 0.5)]  # 9.95 and up: "about 10.0 times"
    if factor < 100:
        return _WHOLES[direction][int(factor + 0.5)]
    return _BEYOND[direction]
