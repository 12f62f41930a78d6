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

from twitchcheck.engine import numeric

try:  # the compiled item builder (setup.py builds it; optional: Python builds the same items)
    from twitchcheck import _explain
except ImportError:  # pragma: no cover - exercised only where no C compiler was available
    _explain = None  # type: ignore[assignment]

FloatArray = npt.NDArray[np.float64]

#: Effects smaller than this (in log-odds) are not worth a sentence.
MIN_EFFECT = 0.05
#: At most this many answers are listed per cause, largest effect first.
MAX_ITEMS = 6

#: Probabilities are held within [EPS, 1 - EPS] before their log-odds are taken, so that a
#: certain cause (0 or 1) still gets a finite effect.
EPS = 1e-15


def logit(p: FloatArray) -> FloatArray:
    """The log-odds the explanations compare (:func:`twitchcheck.engine.numeric.logit`)."""
    return numeric.logit(p, EPS, 1.0 - EPS)


def _effects(marginals: FloatArray, n_answers: int, without: FloatArray) -> FloatArray:
    """``delta[i, j]``: the effect of answer ``i`` on cause ``j`` in log-odds, all pairs at once
    (elementwise, so the same numbers as one answer at a time)."""
    rows = without.reshape(n_answers, marginals.size)  # raises when the shapes do not match
    delta: FloatArray = logit(marginals) - logit(rows)
    return delta


def _ranked_pairs(
    marginals: FloatArray, findings: Sequence[str], without: FloatArray
) -> tuple[list[int], list[int], FloatArray]:
    """``(cause, answer, change)`` of each answer-cause pair worth a sentence: by cause, then
    largest effect, then finding id; at most MAX_ITEMS per cause. ``findings[i]`` names answer
    ``i`` and ``without[i]`` holds the marginals with that answer left out."""
    delta = _effects(marginals, len(findings), without).T  # delta[j, i]: answer i on cause j
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
    once per answer, and each sentence is its answer's opening plus a ready-made ending. The
    compiled builder (``_explain.c``) picks and builds the items where it was built; otherwise
    :func:`_python_items` does, with the same result (tested).
    """
    openings = [f"{answer_phrase(a.label, a.answer, a.derived)}: this makes it " for a in answers]
    if _explain is not None:
        delta = _effects(marginals, len(answers), without)
        return _explain.items(
            delta, marginals.size, list(answers), openings, _ENDINGS, MIN_EFFECT, MAX_ITEMS
        )
    return _python_items(marginals, answers, without, openings)


def _python_items(
    marginals: FloatArray, answers: Sequence[Answer], without: FloatArray, openings: list[str]
) -> list[list[dict[str, Any]]]:
    """What the compiled builder (``_explain.c``) returns, in Python: the reference for it and
    the fallback where it was not built."""
    quoted = [(a.finding, a.label, a.answer, a.derived) for a in answers]
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
#: Every ending a sentence can have, built once rather than ~100 per request: per direction
#: (less likely first), the odds factor in tenths from 0.0 to 10.0, then in whole numbers from 0
#: to 100, then "more than 100" (203 strings each; ``_explain.c`` indexes the same layout).
_ENDINGS = tuple(
    ending
    for tail in _TAILS
    for ending in (
        *(f"about {k // 10}.{k % 10} times{tail}" for k in range(101)),
        *(f"about {k} times{tail}" for k in range(101)),
        f"more than 100 times{tail}",
    )
)
_WHOLES_AT, _BEYOND_AT, _PER_DIRECTION = 101, 202, 203  # offsets within a direction


def _ending(change: float) -> str:
    """The end of an effect sentence: the odds factor exp(|change|) in words, then the
    direction. The factor is rounded half up: one decimal below 10, whole numbers to 100.

    It is first rounded to 6 decimals, so that a factor meant to sit on a boundary (a likelihood
    ratio of exactly 10: 9.9999999999 or 10.0000000001 depending on the NumPy build) always gets
    the same words. ``_explain.c`` rounds the same way (``rint``: half to even, as ``round``)."""
    factor = round(math.exp(abs(change)) * 1e6) / 1e6
    row = _PER_DIRECTION if change > 0 else 0
    if factor < 10:
        return _ENDINGS[row + int(factor * 10 + 0.5)]  # 9.95 and up: "about 10.0 times"
    if factor < 100:
        return _ENDINGS[row + _WHOLES_AT + int(factor + 0.5)]
    return _ENDINGS[row + _BEYOND_AT]
