"""Opening the diary's database: one engine, the schema migrated, the store on top.

Every interface opens the store here, so none of them needs the storage layer itself.
"""

from __future__ import annotations

from twitchcheck.diary.service import DiaryStore
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.storage.db import make_engine, migrate


def open_store(url: str | None, kb: KnowledgeBase) -> DiaryStore:
    """One engine for ``url`` (None: the default database), with the schema migrated to the
    newest version."""
    engine = make_engine(url)
    migrate(engine)
    return DiaryStore(engine, kb)
