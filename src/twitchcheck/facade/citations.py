"""The sources a result cites: a catalogue of the KB's sources, and an accumulator that collects
the ids a result cites while it is built, in the order they are first cited."""

from __future__ import annotations

from collections.abc import Iterable

from twitchcheck.kb import KnowledgeBase
from twitchcheck.results import Data


class SourceCatalogue:
    """Every source of a KB as results cite it (:class:`twitchcheck.results.SourceRef`'s data).

    Each result gets copies, so that a caller changing its result can never change another's.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self._refs: dict[str, Data] = {
            src.id: {
                "id": src.id,
                "title": src.title,
                "publisher": src.publisher,
                "url": src.url,
                "tier": src.tier,
            }
            for src in kb.sources.values()
        }

    def refs(self, ids: Iterable[str]) -> list[Data]:
        """Fresh copies of the sources ``ids`` name, in that order."""
        return [dict(self._refs[s_id]) for s_id in ids]


class Citations:
    """The source ids a result cites, each once, in the order first cited."""

    def __init__(self) -> None:
        self._ids: dict[str, None] = {}

    def cite(self, ids: Iterable[str]) -> None:
        for s_id in ids:
            self._ids.setdefault(s_id, None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ids)
