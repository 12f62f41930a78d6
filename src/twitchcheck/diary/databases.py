"""Which database the diary uses, for the interfaces (which do not reach into storage)."""

from __future__ import annotations

from twitchcheck.storage.db import database_url


def diary_database_url(url: str | None = None) -> str:
    """The database URL in force: ``url``, else ``$TWITCHCHECK_DATABASE_URL``, else the SQLite
    file in the user's data folder (normalised: ``postgresql+psycopg://`` for PostgreSQL)."""
    return database_url(url)
