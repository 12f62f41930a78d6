"""What every part of the diary's store shares: its sessions, the audit log, and reading,
removing or paging through rows that must belong to the acting user.

Rows of other users are invisible: an id that belongs to someone else is answered exactly like
an id that does not exist, and the refusal is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from twitchcheck.errors import NotFoundError
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.storage import models as m
from twitchcheck.storage.db import session_factory
from twitchcheck.storage.health import database_answers

LOCAL_USERNAME = "local"
#: Entries an import checks, de-duplicates and flushes together (a store may set its own).
IMPORT_BATCH = 5_000

T = TypeVar("T")
P = TypeVar("P")
#: The tables whose rows belong to one user and carry a stable uid.
Owned = TypeVar("Owned", m.Episode, m.CheckIn, m.AssessmentRecord)
#: Called with the number of rows handled since its last call (drives a progress bar).
Progress = Callable[[int], None]


@dataclass(frozen=True)
class UserRef:
    """The acting user: its row id and its name (the name goes into the audit log)."""

    id: int
    username: str


def audit_in(s: Session, user: UserRef, action: str, target: str | None) -> None:
    """Leave an audit record inside the transaction ``s`` (it commits or rolls back with it)."""
    s.add(m.AuditEvent(actor=user.username, action=action, target=target, outcome="ok"))


def serialise_imports(s: Session, user: UserRef) -> None:
    """Make concurrent imports of one user wait for each other, for the rest of ``s``.

    Without it two imports of the same rows both find the rows missing and both insert them:
    one ends in a unique-key error. PostgreSQL: a row lock on the user (FOR NO KEY UPDATE,
    which other writes of the user's entries do not wait for). SQLite: a first, empty write,
    which takes the database's write lock before the import reads what is already stored.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.execute(select(m.User.id).where(m.User.id == user.id).with_for_update(key_share=True))
    else:
        s.execute(update(m.User).where(m.User.id == user.id).values(id=m.User.id))


class StoreBase:
    """One database, checked against one knowledge base."""

    import_batch: int = IMPORT_BATCH

    def __init__(self, engine: Engine, kb: KnowledgeBase) -> None:
        self.engine = engine
        self.kb = kb
        self._sessions = session_factory(engine)
        self.location_ids = tuple(f.id for f in kb.findings if f.category == "location")
        self.checkin_ids = tuple(f.id for f in kb.findings if f.category != "location")

    def ping(self) -> None:
        """Raise :class:`~twitchcheck.errors.StorageError` unless the database answers now."""
        database_answers(self.engine)

    # -- audit -----------------------------------------------------------------------------

    def audit(self, actor: str, action: str, target: str | None, outcome: str = "ok") -> None:
        with self._sessions.begin() as s:
            s.add(m.AuditEvent(actor=actor, action=action, target=target, outcome=outcome))

    def audit_events(self, limit: int = 1000) -> list[m.AuditEvent]:
        with self._sessions() as s:
            rows = s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc()).limit(limit))
            return list(rows)

    def _refuse(self, user: UserRef, kind: str, ident: int) -> NotFoundError:
        # Someone else's id and a missing id get the same answer: existence is not revealed.
        self.audit(user.username, f"{kind}.read", f"{kind}:{ident}", outcome="refused")
        return NotFoundError(kind, str(ident), ())

    # -- one user's rows -------------------------------------------------------------------

    def _read(
        self,
        user: UserRef,
        model: type[Owned],
        kind: str,
        ident: int,
        public: Callable[[Owned], P],
    ) -> P:
        with self._sessions.begin() as s:
            row = self._own(s, model, user, ident)
            if row is None:
                raise self._refuse(user, kind, ident)
            audit_in(s, user, f"{kind}.read", f"{kind}:{ident}")
            return public(row)

    def _remove(
        self,
        user: UserRef,
        model: type[Owned],
        kind: str,
        ident: int,
        before: Callable[[Session, Owned], None] | None = None,
    ) -> None:
        with self._sessions.begin() as s:
            row = self._own(s, model, user, ident)
            if row is None:
                raise self._refuse(user, kind, ident)
            if before:
                before(s, row)
            s.delete(row)
            audit_in(s, user, f"{kind}.delete", f"{kind}:{ident}")

    def _own(self, s: Session, model: type[T], user: UserRef, ident: int) -> T | None:
        row = s.get(model, ident)
        if row is None or getattr(row, "user_id", None) != user.id:
            return None
        return row

    def _iter_rows(
        self,
        user: UserRef,
        model: type[Owned],
        public: Callable[[Owned], P],
        kind: str,
        batch: int,
    ) -> Iterator[P]:
        """Keyset paging by id over one user's rows (never OFFSET; never all rows at once)."""
        self.audit(user.username, f"{kind}.export", None)
        last = 0
        while True:
            with self._sessions() as s:
                q = select(model).where(model.user_id == user.id, model.id > last)
                rows = list(s.scalars(q.order_by(model.id).limit(batch)))
            if not rows:
                return
            for row in rows:
                yield public(row)
            last = rows[-1].id
