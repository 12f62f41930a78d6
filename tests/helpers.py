"""Small helpers shared by the diary tests."""

from __future__ import annotations

from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.storage import models as m


def add_user(store: DiaryStore, name: str) -> UserRef:
    """A second diary user (no password: the store's tests need no sign-in)."""
    with store._sessions.begin() as s:
        row = m.User(username=name, password_hash="x")
        s.add(row)
        s.flush()
        return UserRef(row.id, row.username)
