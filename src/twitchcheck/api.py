"""The Python API: the KB is loaded once, then :func:`assess` answers requests.

The work is done by the facade (:mod:`twitchcheck.facade`); this module is its public entry and
keeps the names other code imports (``Checker``, ``Request``, ``Data``, ``evidence_sets``).

(The module is ``api`` rather than ``assess`` so that importing it never shadows the package
attribute ``twitchcheck.assess``, the function.)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from twitchcheck import results as r
from twitchcheck.engine.inference import has_kernel
from twitchcheck.facade.checker import Checker
from twitchcheck.facade.request import Request, evidence_sets
from twitchcheck.kb import load_kb
from twitchcheck.results import Data
from twitchcheck.text import MAX_TEXT_CHARS

# has_kernel: whether the compiled engine kernel was built here (interfaces choose where to
# answer by it, and reach the engine only through this module).
__all__ = [
    "MAX_TEXT_CHARS",
    "Checker",
    "Data",
    "Request",
    "assess",
    "default_checker",
    "evidence_sets",
    "has_kernel",
    "parse",
]


@lru_cache(maxsize=1)
def default_checker() -> Checker:
    """The checker for the shipped KB (built once per process)."""
    return Checker(load_kb())


def assess(
    *,
    age: int,
    sex: str,
    present: Iterable[str] = (),
    absent: Iterable[str] = (),
    initial: Iterable[str] = (),
    concerns: Iterable[str] = (),
    text: str | None = None,
) -> r.Assessment:
    """Assess reported findings with the shipped KB: ranked causes, triage, advice, sources.

    Ids are finding ids of the KB (``twitchcheck kb show``). ``initial`` must be a subset of
    ``present``. ``text``: the person's own words (at most 5,000 characters), parsed and
    combined with the evidence, explicit evidence winning; the Assessment then has a ``parsed``
    block. Bad input raises a :class:`twitchcheck.errors.InputError` subclass.
    """
    return default_checker().assess(
        age=age,
        sex=sex,
        present=present,
        absent=absent,
        initial=initial,
        concerns=concerns,
        text=text,
    )


def parse(text: str) -> r.ParsedText:
    """Read free text into KB findings with the shipped KB (nothing is logged or kept)."""
    return default_checker().parse(text)
