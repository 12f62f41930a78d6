"""How the diary's views name findings and write numbers in their sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this before it needs the knowledge base
    from twitchcheck.kb.model import KnowledgeBase


def label_of(kb: KnowledgeBase, finding_id: str) -> str:
    """The finding's label, or its id when the knowledge base does not know it."""
    index = kb.finding_index
    return kb.findings[index[finding_id]].label if finding_id in index else finding_id


def ratio_text(v: float) -> str:
    """A rate ratio or its interval's bounds: two decimals below 10, one from 10 on."""
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"
