"""The diary's operations: every read and write of diary data goes through :class:`DiaryStore`.

Each method is one transaction: an entry is stored whole with its aggregates, or not at all.
Every method takes the acting user; rows of other users are invisible (an id that belongs to
someone else is answered exactly like an id that does not exist) and the refusal is audited.
Every read and write leaves an audit record: who, when, what, never the health content.

The store is put together from one part per kind of record (:mod:`twitchcheck.diary.records`);
this module is where the rest of the code takes it from.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.aggregates import AggregateReads
from twitchcheck.diary.records.assessments import AssessmentRecords
from twitchcheck.diary.records.base import (
    IMPORT_BATCH,
    LOCAL_USERNAME,
    Progress,
    UserRef,
    audit_in,
    serialise_imports,
)
from twitchcheck.diary.records.checkins import CheckInRecords
from twitchcheck.diary.records.episodes import EpisodeRecords
from twitchcheck.diary.records.profile import ProfileRecords
from twitchcheck.diary.records.rows import checkin_uid, content_uid
from twitchcheck.errors import RecordError
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.storage import models as m
from twitchcheck.storage.db import make_engine, migrate

__all__ = [
    "IMPORT_BATCH",
    "LOCAL_USERNAME",
    "DiaryStore",
    "Progress",
    "UserRef",
    "checkin_uid",
    "content_uid",
    "open_store",
]


class DiaryStore(ProfileRecords, EpisodeRecords, CheckInRecords, AssessmentRecords, AggregateReads):
    """Diary operations on one database, checked against one knowledge base."""

    def import_entries(
        self,
        user: UserRef,
        episodes: Iterable[ds.EpisodeIn | RecordError],
        checkins: Iterable[ds.CheckInIn | RecordError] | None,
        progress: Progress | None = None,
        *,
        assessments: Iterable[ds.AssessmentIn] | None = None,
        profile: ds.ProfileIn | None = None,
    ) -> ds.FolderImport:
        """Every part of one import (a folder) in ONE transaction: a failure or a crash
        anywhere in it stores nothing of any part; see :meth:`import_episodes`."""
        with self._sessions.begin() as s:
            serialise_imports(s, user)  # a second import of the same rows waits, then skips them
            return ds.FolderImport(
                episodes=self.import_episodes_in(s, user, episodes, progress),
                checkins=None if checkins is None else self.import_checkins_in(s, user, checkins),
                assessments=None
                if assessments is None
                else self.import_assessments_in(s, user, assessments),
                profile=None if profile is None else self.import_profile_in(s, user, profile),
            )

    def delete_all(self, user: UserRef) -> ds.DeleteReport:
        """Delete every entry of ``user`` (the account itself is kept; see the auth module)."""
        with self._sessions.begin() as s:
            counts = {}
            for name, model in (
                ("episodes", m.Episode),
                ("checkins", m.CheckIn),
                ("assessments", m.AssessmentRecord),
            ):
                counts[name] = s.execute(delete(model).where(model.user_id == user.id)).rowcount  # type: ignore[attr-defined]
            s.execute(delete(m.DayStats).where(m.DayStats.user_id == user.id))
            s.execute(delete(m.LocationDay).where(m.LocationDay.user_id == user.id))
            audit_in(s, user, "diary.delete_all", None)
        return ds.DeleteReport(**counts)


def open_store(url: str | None, kb: KnowledgeBase) -> DiaryStore:
    """A store on the database at ``url`` (see :func:`twitchcheck.storage.db.database_url`),
    its schema migrated to the newest version first."""
    engine = make_engine(url)
    migrate(engine)
    return DiaryStore(engine, kb)
