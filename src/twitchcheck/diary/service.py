"""The diary's operations: every read and write of diary data goes through :class:`DiaryStore`.

Each method is one transaction: an entry is stored whole with its aggregates, or not at all.
Every method takes the acting user; rows of other users are invisible (an id that belongs to
someone else is answered exactly like an id that does not exist) and the refusal is audited.
Every read and write leaves an audit record: who, when, what, never the health content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.errors import NotFoundError, RecordError, suggest
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.storage import models as m
from twitchcheck.storage.db import session_factory

LOCAL_USERNAME = "local"
IMPORT_BATCH = 5_000

T = TypeVar("T")
P = TypeVar("P")
#: The tables whose rows belong to one user and carry a stable uid.
Owned = TypeVar("Owned", m.Episode, m.CheckIn, m.AssessmentRecord)
Entry = TypeVar("Entry", ds.EpisodeIn, ds.CheckInIn)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class UserRef:
    """The acting user: its row id and its name (the name goes into the audit log)."""

    id: int
    username: str


class DiaryStore:
    """Diary operations on one database, checked against one knowledge base."""

    def __init__(self, engine: Engine, kb: KnowledgeBase) -> None:
        self.engine = engine
        self.kb = kb
        self._sessions = session_factory(engine)
        self.location_ids = tuple(f.id for f in kb.findings if f.category == "location")
        self.checkin_ids = tuple(f.id for f in kb.findings if f.category != "location")

    # -- users and audit -------------------------------------------------------------------

    def local_user(self) -> UserRef:
        """The single user of single-user mode (created on first use)."""
        with self._sessions.begin() as s:
            row = s.scalar(select(m.User).where(m.User.username == LOCAL_USERNAME))
            if row is None:
                row = m.User(username=LOCAL_USERNAME, password_hash=None)
                s.add(row)
                try:
                    s.flush()
                except IntegrityError:  # created by a concurrent first use
                    s.rollback()
                    return self.local_user()
            return UserRef(row.id, row.username)

    def profile(self, user: UserRef) -> ds.ProfilePublic:
        with self._sessions.begin() as s:
            row = s.get(m.User, user.id)
            self._audit(s, user, "profile.read", None)
            if row is None:
                return ds.ProfilePublic(birth_year=None, sex=None)
            return ds.ProfilePublic.model_validate(row, from_attributes=True)

    def set_profile(self, user: UserRef, profile: ds.ProfileIn) -> ds.ProfilePublic:
        with self._sessions.begin() as s:
            row = s.get(m.User, user.id)
            if row is None:
                raise NotFoundError("user", user.username, ())
            row.birth_year = profile.birth_year
            row.sex = profile.sex
            self._audit(s, user, "profile.update", None)
            return ds.ProfilePublic.model_validate(row, from_attributes=True)

    def audit(self, actor: str, action: str, target: str | None, outcome: str = "ok") -> None:
        with self._sessions.begin() as s:
            s.add(m.AuditEvent(actor=actor, action=action, target=target, outcome=outcome))

    def audit_events(self, limit: int = 1000) -> list[m.AuditEvent]:
        with self._sessions() as s:
            rows = s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc()).limit(limit))
            return list(rows)

    def _audit(self, s: Session, user: UserRef, action: str, target: str | None) -> None:
        s.add(m.AuditEvent(actor=user.username, action=action, target=target, outcome="ok"))

    def _refuse(self, user: UserRef, kind: str, ident: int) -> NotFoundError:
        # Someone else's id and a missing id get the same answer: existence is not revealed.
        self.audit(user.username, f"{kind}.read", f"{kind}:{ident}", outcome="refused")
        return NotFoundError(kind, str(ident), ())

    # -- episodes --------------------------------------------------------------------------

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
            row = _episode_row(user.id, entry)
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise RecordError([("uid", f"an episode with uid '{entry.uid}' exists")]) from None
            _apply_stats(s, user.id, [row], +1)
            self._audit(s, user, "episode.create", f"episode:{row.id}")
            return _episode_public(row)

    def get_episode(self, user: UserRef, episode_id: int) -> ds.EpisodePublic:
        return self._read(user, m.Episode, "episode", episode_id, _episode_public)

    def update_episode(
        self, user: UserRef, episode_id: int, change: ds.EpisodeUpdate
    ) -> ds.EpisodePublic:
        with self._sessions.begin() as s:
            row = self._own(s, m.Episode, user, episode_id)
            if row is None:
                raise self._refuse(user, "episode", episode_id)
            merged = _episode_public(row).model_dump(
                exclude={"id", "created_at"}
            ) | change.model_dump(exclude_unset=True)
            entry = ds.parse_episode(merged)
            self.check_episode(entry)
            _apply_stats(s, user.id, [row], -1)
            for key, value in entry.model_dump(exclude={"uid"}).items():
                setattr(row, key, value)
            row.day = entry.occurred_at.date()
            _apply_stats(s, user.id, [row], +1)
            self._audit(s, user, "episode.update", f"episode:{episode_id}")
            return _episode_public(row)

    def delete_episode(self, user: UserRef, episode_id: int) -> None:
        def uncount(s: Session, row: m.Episode) -> None:
            _apply_stats(s, user.id, [row], -1)

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
            rows = [_episode_public(r) for r in s.scalars(q)]
            self._audit(s, user, "episode.list", None)
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
        return self._iter_rows(user, m.Episode, _episode_public, "episode", batch)

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

    def import_episodes(
        self,
        user: UserRef,
        entries: Iterable[ds.EpisodeIn | RecordError],
        progress: Progress | None = None,
    ) -> ds.ImportReport:
        """Store ``entries`` in one transaction, skipping uids already in the diary.

        ``entries`` is consumed once, in batches, so a million rows never sit in memory at once.
        A parser may hand in a :class:`RecordError` for a row it could not read: every problem
        is collected, and if there is any the transaction is rolled back and all of them are
        raised together, so nothing is half-imported. Entries without a uid get one derived
        from their content: importing the same file twice adds nothing the second time.
        """
        return self._import_rows(
            user,
            entries,
            progress,
            kind="episode",
            model=m.Episode,
            check=self.check_episode,
            uid_of=content_uid,
            make_row=_episode_row,
            after_flush=lambda s, rows: _apply_stats(s, user.id, rows, +1),
        )

    def _import_rows(
        self,
        user: UserRef,
        entries: Iterable[Entry | RecordError],
        progress: Progress | None,
        *,
        kind: str,
        model: type[Owned],
        check: Callable[[Entry, str], None],
        uid_of: Callable[[Entry], str],
        make_row: Callable[[int, Entry, str], Owned],
        after_flush: Callable[[Session, list[Owned]], None] | None = None,
    ) -> ds.ImportReport:
        """The import loop shared by episodes and check-ins (see :meth:`import_episodes`)."""
        problems: list[tuple[str, str]] = []
        added = skipped = rows_seen = 0
        seen: set[str] = set()
        with self._sessions() as s, s.begin():
            for chunk in _batches(entries, IMPORT_BATCH):
                good: list[Entry] = []
                for offset, entry in enumerate(chunk, start=rows_seen + 1):
                    if isinstance(entry, RecordError):
                        problems.extend(entry.problems)
                        continue
                    try:
                        check(entry, f"row {offset}: ")
                    except RecordError as exc:
                        problems.extend(exc.problems)
                        continue
                    good.append(entry)
                rows_seen += len(chunk)
                if progress:
                    progress(len(chunk))
                if problems:  # keep reading to report every bad row, but store nothing more
                    continue
                uids = [e.uid or uid_of(e) for e in good]
                existing = set(
                    s.scalars(
                        select(model.uid).where(model.user_id == user.id, model.uid.in_(uids))
                    )
                )
                rows: list[Owned] = []
                for entry, uid in zip(good, uids, strict=True):
                    if uid in existing or uid in seen:
                        skipped += 1
                        continue
                    seen.add(uid)
                    rows.append(make_row(user.id, entry, uid))
                if rows:
                    s.add_all(rows)
                    s.flush()
                    if after_flush:
                        after_flush(s, rows)
                    s.expunge_all()  # keep the session small on big imports
                    added += len(rows)
            if problems:
                s.rollback()
                raise RecordError(problems)
            self._audit(s, user, f"{kind}.import", f"{kind}s:{added}")
        return ds.ImportReport(rows=rows_seen, added=added, skipped_duplicates=skipped)

    # -- check-ins -------------------------------------------------------------------------

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
            row = _checkin_row(user.id, entry, entry.uid or str(uuid.uuid4()))
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise RecordError([("uid", f"a check-in with uid '{entry.uid}' exists")]) from None
            self._audit(s, user, "checkin.create", f"checkin:{row.id}")
            return _checkin_public(row)

    def get_checkin(self, user: UserRef, checkin_id: int) -> ds.CheckInPublic:
        return self._read(user, m.CheckIn, "checkin", checkin_id, _checkin_public)

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
            rows = [_checkin_public(r) for r in s.scalars(q)]
            self._audit(s, user, "checkin.list", None)
            return rows

    # -- assessments -----------------------------------------------------------------------

    def record_assessment(
        self,
        user: UserRef,
        evidence: dict[str, Any],
        result: dict[str, Any],
        origin: str = "manual",
    ) -> ds.AssessmentRecordPublic:
        """Keep an assessment's evidence and result (``result`` is ``Assessment.model_dump``)."""
        ranked = result.get("causes") or []
        top = ranked[0]["id"] if ranked else ""
        triage = result.get("triage", {}).get("level", "")
        with self._sessions.begin() as s:
            row = m.AssessmentRecord(
                uid=str(uuid.uuid4()),
                user_id=user.id,
                origin=origin,
                evidence=evidence,
                result=result,
                top_cause=top,
                triage=triage,
            )
            s.add(row)
            s.flush()
            self._audit(s, user, "assessment.create", f"assessment:{row.id}")
            return _assessment_public(row)

    def get_assessment(self, user: UserRef, record_id: int) -> ds.AssessmentRecordPublic:
        return self._read(user, m.AssessmentRecord, "assessment", record_id, _assessment_public)

    def delete_assessment(self, user: UserRef, record_id: int) -> None:
        self._remove(user, m.AssessmentRecord, "assessment", record_id)

    def list_assessments(self, user: UserRef, limit: int = 100) -> list[ds.AssessmentRecordPublic]:
        q = (
            select(m.AssessmentRecord)
            .where(m.AssessmentRecord.user_id == user.id)
            .order_by(m.AssessmentRecord.created_at.desc(), m.AssessmentRecord.id.desc())
            .limit(limit)
        )
        with self._sessions.begin() as s:
            rows = [_assessment_public(r) for r in s.scalars(q)]
            self._audit(s, user, "assessment.list", None)
            return rows

    # -- aggregates (the trend and trigger views read these) ------------------------------

    def day_rows(
        self, user: UserRef, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[ds.DayRow]:
        q = select(*(getattr(m.DayStats, c) for c in _DAY_COLUMNS)).where(
            m.DayStats.user_id == user.id, m.DayStats.episodes > 0
        )
        if since:
            q = q.where(m.DayStats.day >= since)
        if until:
            q = q.where(m.DayStats.day <= until)
        with self._sessions.begin() as s:
            # Plain rows, no ORM objects: this is the hot path of the trend and trigger views
            # (thousands of days for a long diary; see benchmarks/bench_diary.py).
            out = [_day_row_fast(*row) for row in s.execute(q.order_by(m.DayStats.day))]
            self._audit(s, user, "diary.trends", None)
            return out

    def location_summary(
        self, user: UserRef, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[tuple[str, dt.date, dt.date, int]]:
        """Per location: first day, last day and episodes within the period, grouped in SQL."""
        q = select(
            m.LocationDay.location,
            func.min(m.LocationDay.day),
            func.max(m.LocationDay.day),
            func.sum(m.LocationDay.episodes),
        ).where(m.LocationDay.user_id == user.id, m.LocationDay.episodes > 0)
        if since:
            q = q.where(m.LocationDay.day >= since)
        if until:
            q = q.where(m.LocationDay.day <= until)
        q = q.group_by(m.LocationDay.location).order_by(m.LocationDay.location)
        with self._sessions() as s:
            return [(loc, lo, hi, int(n)) for loc, lo, hi, n in s.execute(q)]

    def location_first_seen(self, user: UserRef) -> dict[str, dt.date]:
        """Each location's first day in the diary (for "new locations" and spreading)."""
        q = (
            select(m.LocationDay.location, func.min(m.LocationDay.day))
            .where(m.LocationDay.user_id == user.id, m.LocationDay.episodes > 0)
            .group_by(m.LocationDay.location)
        )
        with self._sessions() as s:
            return {loc: day for loc, day in s.execute(q)}

    def location_days(
        self, user: UserRef, since: dt.date | None = None
    ) -> list[tuple[dt.date, str, int]]:
        q = select(m.LocationDay.day, m.LocationDay.location, m.LocationDay.episodes).where(
            m.LocationDay.user_id == user.id, m.LocationDay.episodes > 0
        )
        if since:
            q = q.where(m.LocationDay.day >= since)
        with self._sessions() as s:
            return [(d, loc, n) for d, loc, n in s.execute(q.order_by(m.LocationDay.day))]

    # -- everything at once ----------------------------------------------------------------

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
            self._audit(s, user, "diary.delete_all", None)
        return ds.DeleteReport(**counts)

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
            self._audit(s, user, f"{kind}.read", f"{kind}:{ident}")
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
            self._audit(s, user, f"{kind}.delete", f"{kind}:{ident}")

    def _own(self, s: Session, model: type[T], user: UserRef, ident: int) -> T | None:
        row = s.get(model, ident)
        if row is None or getattr(row, "user_id", None) != user.id:
            return None
        return row

    # -- export and import of check-ins and assessments (added for diary.exchange) -----------

    def iter_checkins(self, user: UserRef, batch: int = 5_000) -> Iterator[ds.CheckInPublic]:
        """Every check-in, oldest first, in batches (for export)."""
        return self._iter_rows(user, m.CheckIn, _checkin_public, "checkin", batch)

    def iter_assessments(
        self, user: UserRef, batch: int = 1_000
    ) -> Iterator[ds.AssessmentRecordPublic]:
        """Every stored assessment, oldest first, in batches (for export)."""
        return self._iter_rows(user, m.AssessmentRecord, _assessment_public, "assessment", batch)

    def import_checkins(
        self,
        user: UserRef,
        entries: Iterable[ds.CheckInIn | RecordError],
        progress: Progress | None = None,
    ) -> ds.ImportReport:
        """Store check-ins in one transaction, skipping uids (or content) already in the diary.

        Like :meth:`import_episodes`: every problem is collected and, if there is any, nothing
        is stored. A check-in without a uid gets one from its content (:func:`checkin_uid`).
        """
        return self._import_rows(
            user,
            entries,
            progress,
            kind="checkin",
            model=m.CheckIn,
            check=self.check_checkin,
            uid_of=checkin_uid,
            make_row=_checkin_row,
        )


# -- helpers ---------------------------------------------------------------------------------


def content_uid(entry: ds.EpisodeIn) -> str:
    """A uid from an entry's content: the same episode imported twice gets the same uid."""
    key = "|".join(
        [
            entry.occurred_at.isoformat(),
            ",".join(sorted(entry.locations)),
            entry.side,
            repr(entry.duration_seconds),
        ]
    )
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _episode_row(user_id: int, entry: ds.EpisodeIn, uid: str | None = None) -> m.Episode:
    data = entry.model_dump(exclude={"uid"})
    return m.Episode(
        uid=uid or entry.uid or str(uuid.uuid4()),
        user_id=user_id,
        day=entry.occurred_at.date(),
        created_at=m.utcnow(),
        **data,
    )


def _checkin_row(user_id: int, entry: ds.CheckInIn, uid: str) -> m.CheckIn:
    return m.CheckIn(
        uid=uid,
        user_id=user_id,
        on_date=entry.on_date,
        answers=dict(entry.answers),
        caffeine_cups=entry.caffeine_cups,
        sleep_hours=entry.sleep_hours,
        stress=entry.stress,
        note=entry.note,
        created_at=m.utcnow(),
    )


def _episode_public(row: m.Episode) -> ds.EpisodePublic:
    return ds.EpisodePublic.model_validate(row, from_attributes=True)


def _checkin_public(row: m.CheckIn) -> ds.CheckInPublic:
    return ds.CheckInPublic.model_validate(row, from_attributes=True)


def _assessment_public(row: m.AssessmentRecord) -> ds.AssessmentRecordPublic:
    return ds.AssessmentRecordPublic.model_validate(row, from_attributes=True)


_STAT_COLUMNS = (
    "episodes",
    "duration_sum",
    "intensity_sum",
    "intensity_n",
    "caffeine_sum",
    "caffeine_n",
    "sleep_sum",
    "sleep_n",
    "stress_sum",
    "stress_n",
)
#: What the trend view reads per day: the day and its sums, in this order (see _day_row_fast).
_DAY_COLUMNS = ("day", *_STAT_COLUMNS)


def _day_row_fast(
    day: dt.date,
    episodes: int,
    duration: float,
    i_sum: float,
    i_n: int,
    c_sum: float,
    c_n: int,
    s_sum: float,
    s_n: int,
    t_sum: float,
    t_n: int,
) -> ds.DayRow:
    # model_construct skips validation: every value comes from our own aggregate columns.
    return ds.DayRow.model_construct(
        day=day,
        episodes=int(episodes),
        duration_seconds=float(duration),
        mean_intensity=i_sum / i_n if i_n else None,
        caffeine_cups=c_sum / c_n if c_n else None,
        sleep_hours=s_sum / s_n if s_n else None,
        stress=t_sum / t_n if t_n else None,
    )


def _apply_stats(s: Session, user_id: int, rows: Sequence[m.Episode], sign: int) -> None:
    """Add (sign=+1) or remove (-1) ``rows`` from the per-day and per-location aggregates."""
    days: dict[dt.date, dict[str, float]] = defaultdict(lambda: dict.fromkeys(_STAT_COLUMNS, 0.0))
    places: dict[tuple[dt.date, str], int] = defaultdict(int)
    for row in rows:
        d = days[row.day]
        d["episodes"] += sign
        d["duration_sum"] += sign * row.duration_seconds
        for value, total, n in (
            (row.intensity, "intensity_sum", "intensity_n"),
            (row.caffeine_cups, "caffeine_sum", "caffeine_n"),
            (row.sleep_hours, "sleep_sum", "sleep_n"),
            (row.stress, "stress_sum", "stress_n"),
        ):
            if value is not None:
                d[total] += sign * value
                d[n] += sign
        for loc in row.locations:
            places[(row.day, loc)] += sign
    insert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
    if days:
        stmt = insert(m.DayStats)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "day"],
            set_={c: getattr(m.DayStats, c) + getattr(stmt.excluded, c) for c in _STAT_COLUMNS},
        )
        s.execute(
            stmt,
            [
                {"user_id": user_id, "day": day, **{k: _num(k, v) for k, v in vals.items()}}
                for day, vals in sorted(days.items())
            ],
        )
    if places:
        lstmt = insert(m.LocationDay)
        lstmt = lstmt.on_conflict_do_update(
            index_elements=["user_id", "day", "location"],
            set_={"episodes": m.LocationDay.episodes + lstmt.excluded.episodes},
        )
        s.execute(
            lstmt,
            [
                {"user_id": user_id, "day": day, "location": loc, "episodes": n}
                for (day, loc), n in sorted(places.items())
            ],
        )


def _num(column: str, value: float) -> float | int:
    return int(value) if column in ("episodes",) or column.endswith("_n") else value


def checkin_uid(entry: ds.CheckInIn) -> str:
    """A uid from a check-in's content: the same check-in imported twice gets the same uid."""
    key = "|".join(
        [
            entry.on_date.isoformat(),
            ",".join(f"{k}={int(v)}" for k, v in sorted(entry.answers.items())),
            repr(entry.caffeine_cups),
            repr(entry.sleep_hours),
            repr(entry.stress),
        ]
    )
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:32]
