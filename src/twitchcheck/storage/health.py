"""Whether the diary's database answers: the readiness check behind ``GET /readyz``."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from twitchcheck.errors import StorageError
from twitchcheck.storage.db import plain_storage_message


def database_answers(engine: Engine) -> None:
    """Run the cheapest statement there is (``SELECT 1``) on a connection of ``engine``; raise
    :class:`StorageError` with a plain message when the database does not answer.

    The engine's own error hook already turns most failures into a StorageError; a failure to
    connect that reaches here as a driver error is turned into one as well.
    """
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar_one()
    except DBAPIError as exc:
        raise StorageError(plain_storage_message(exc)) from None
