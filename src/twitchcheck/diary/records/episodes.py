"""Twitching episodes: each write updates the kept aggregates in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.aggregates import apply_stats
from twitchcheck.diary.records.base import (
    Progress,
    StoreBase,
    UserRef,
    audit_in,
    serialise_imports,
)
from twitchcheck.diary.records.bulk_import import import_rows
from twitchcheck.diary.records.rows import (
    content_uid,
    episode_entry,
    episode_public,
    episode_row,
    legacy_content_uid,
)
from twitchcheck.errors import RecordError, suggest
from twitchcheck.storage import models as m


class EpisodeRecords(StoreBase):
    def check_episode(self, entry: ds.EpisodeIn, where: str = "") -> None:
        bad = [loc for loc in entry.locations if loc not in self.location_ids]
        if bad:
            hints = {b: suggest(b, self.location_ids) for b in bad}
            msg = "; ".join(
                f"unknown location '{b}'"
                + (f" (did you mean {', '.join(h)}?)" if (h := hints[b]) else "")
                for b in bad
            )
            raise RecordError([(f"{where}locations", msg)])

    def add_episode(self, user: UserRef, entry: ds.EpisodeIn) -> ds.EpisodePublic:
        self.check_episode(entry)
        with self._sessions.begin() as s:
            row = episode_row(user.id, entry)
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise RecordError([("uid", f"an episode with uid '{entry.uid}' exists")]) from None
            apply_stats(s, user.id, [row], +1)
            audit_in(s, user, "episode.create", f"episode:{row.id}")
            return episode_public(row)

    def get_episode(self, user: UserRef, episode_id: int) -> ds.EpisodePublic:
        return self._read(user, m.Episode, "episode", episode_id, episode_public)

    def update_episode(
        self, user: UserRef, episode_id: int, change: ds.EpisodeUpdate
    ) -> ds.EpisodePublic:
        with self._sessions.begin() as s:
            row = self._own(s, m.Episode, user, episode_id)
            if row is None:
                raise self._refuse(user, "episode", episode_id)
            merged = episode_public(row).model_dump(
                exclude={"id", "created_at"}
            ) | change.model_dump(exclude_unset=True)
            entry = ds.parse_episode(merged)
            self.check_episode(entry)
            apply_stats(s, user.id, [row], -1)
            for key, value in entry.model_dump(exclude={"uid"}).items():
                setattr(row, key, value)
            row.day = entry.occurred_at.date()
            apply_stats(s, user.id, [row], +1)
            audit_in(s, user, "episode.update", f"episode:{episode_id}")
            return episode_public(row)

    def delete_episode(self, user: UserRef, episode_id: int) -> None:
        def uncount(s: Session, row: m.Episode) -> None:
            apply_stats(s, user.id, [row], -1)

        self._remove(user, m.Episode, "episode", episode_id, before=uncount)

    def list_episodes(
        self,
        user: UserRef,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ds.EpisodePublic]:
        """Newest first; ``since``/``until`` are inclusive days."""
        q = select(m.Episode).where(m.Episode.user_id == user.id)
        if since:
            q = q.where(m.Episode.day >= since)
        if until:
            q = q.where(m.Episode.day <= until)
        q = (
            q.order_by(m.Episode.occurred_at.desc(), m.Episode.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._sessions.begin() as s:
            rows = [episode_public(r) for r in s.scalars(q)]
            audit_in(s, user, "episode.list", None)
            return rows

    def count_episodes(self, user: UserRef) -> int:
        with self._sessions() as s:
            total = s.scalar(
                select(func.coalesce(func.sum(m.DayStats.episodes), 0)).where(
                    m.DayStats.user_id == user.id
                )
            )
            return int(total or 0)

    def iter_episodes(self, user: UserRef, batch: int = 10_000) -> Iterator[ds.EpisodePublic]:
        """Every episode, oldest first, in batches (for export): keyset paging, low memory."""
        return self._iter_rows(user, m.Episode, episode_public, "episode", batch)

    def import_episodes(
        self,
        user: UserRef,
        entries: Iterable[ds.EpisodeIn | RecordError],
        progress: Progress | None = None,
    ) -> ds.ImportReport:
        """Store ``entries`` in one transaction, skipping uids already in the diary.

        Every problem is collected and, if there is any, nothing is stored (see
        :mod:`~twitchcheck.diary.records.bulk_import`). Entries without a uid get one derived
        from their content: importing the same file twice adds nothing the second time.
        """
        with self._sessions.begin() as s:
            serialise_imports(s, user)
            return self.import_episodes_in(s, user, entries, progress)

    def import_episodes_in(
        self,
        s: Session,
        user: UserRef,
        entries: Iterable[ds.EpisodeIn | RecordError],
        progress: Progress | None = None,
    ) -> ds.ImportReport:
        """:meth:`import_episodes` inside the caller's transaction ``s``."""
        return import_rows(
            s,
            user,
            entries,
            progress,
            batch_size=self.import_batch,
            kind="episode",
            model=m.Episode,
            check=self.check_episode,
            uid_of=content_uid,
            legacy_uid_of=legacy_content_uid,
            as_entry=episode_entry,
            make_row=episode_row,
            after_flush=lambda s, rows: apply_stats(s, user.id, rows, +1),
        )
