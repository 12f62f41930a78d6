"""Check-ins: findings answered yes or no on a day, with that day's caffeine, sleep, stress."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.base import (
    Progress,
    StoreBase,
    UserRef,
    audit_in,
    serialise_imports,
)
from twitchcheck.diary.records.bulk_import import import_rows
from twitchcheck.diary.records.rows import (
    checkin_entry,
    checkin_public,
    checkin_row,
    checkin_uid,
    legacy_checkin_uid,
)
from twitchcheck.errors import RecordError, suggest
from twitchcheck.storage import models as m


class CheckInRecords(StoreBase):
    def check_checkin(self, entry: ds.CheckInIn, where: str = "") -> None:
        problems = []
        for fid in entry.answers:
            if fid not in self.checkin_ids:
                hint = suggest(fid, self.checkin_ids)
                extra = f" (did you mean {', '.join(hint)}?)" if hint else ""
                problems.append((f"{where}answers.{fid}", f"unknown finding '{fid}'{extra}"))
        if (
            not entry.answers
            and entry.caffeine_cups is None
            and entry.sleep_hours is None
            and (entry.stress is None)
        ):
            problems.append((f"{where}answers", "a check-in needs at least one answer or value"))
        if problems:
            raise RecordError(problems)

    def add_checkin(self, user: UserRef, entry: ds.CheckInIn) -> ds.CheckInPublic:
        self.check_checkin(entry)
        with self._sessions.begin() as s:
            row = checkin_row(user.id, entry, entry.uid or str(uuid.uuid4()))
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise RecordError([("uid", f"a check-in with uid '{entry.uid}' exists")]) from None
            audit_in(s, user, "checkin.create", f"checkin:{row.id}")
            return checkin_public(row)

    def get_checkin(self, user: UserRef, checkin_id: int) -> ds.CheckInPublic:
        return self._read(user, m.CheckIn, "checkin", checkin_id, checkin_public)

    def delete_checkin(self, user: UserRef, checkin_id: int) -> None:
        self._remove(user, m.CheckIn, "checkin", checkin_id)

    def list_checkins(
        self, user: UserRef, since: dt.date | None = None, limit: int = 1000
    ) -> list[ds.CheckInPublic]:
        """Oldest first (progression reads them in time order)."""
        q = select(m.CheckIn).where(m.CheckIn.user_id == user.id)
        if since:
            q = q.where(m.CheckIn.on_date >= since)
        q = q.order_by(m.CheckIn.on_date, m.CheckIn.id).limit(limit)
        with self._sessions.begin() as s:
            rows = [checkin_public(r) for r in s.scalars(q)]
            audit_in(s, user, "checkin.list", None)
            return rows

    def iter_checkins(self, user: UserRef, batch: int = 5_000) -> Iterator[ds.CheckInPublic]:
        """Every check-in, oldest first, in batches (for export)."""
        return self._iter_rows(user, m.CheckIn, checkin_public, "checkin", batch)

    def import_checkins(
        self,
        user: UserRef,
        entries: Iterable[ds.CheckInIn | RecordError],
        progress: Progress | None = None,
    ) -> ds.ImportReport:
        """Store check-ins in one transaction, skipping uids (or content) already in the diary.

        Like :meth:`~twitchcheck.diary.records.episodes.EpisodeRecords.import_episodes`: every
        problem is collected and, if there is any, nothing is stored. A check-in without a uid
        gets one from its content (:func:`~twitchcheck.diary.records.rows.checkin_uid`).
        """
        with self._sessions.begin() as s:
            serialise_imports(s, user)
            return self.import_checkins_in(s, user, entries, progress)

    def import_checkins_in(
        self,
        s: Session,
        user: UserRef,
        entries: Iterable[ds.CheckInIn | RecordError],
        progress: Progress | None = None,
    ) -> ds.ImportReport:
        """:meth:`import_checkins` inside the caller's transaction ``s``."""
        return import_rows(
            s,
            user,
            entries,
            progress,
            batch_size=self.import_batch,
            kind="checkin",
            model=m.CheckIn,
            check=self.check_checkin,
            uid_of=checkin_uid,
            legacy_uid_of=legacy_checkin_uid,
            as_entry=checkin_entry,
            make_row=checkin_row,
        )
