"""The per-day and per-location sums the trend, trigger and progression views read.

They are written in the same transaction as the episodes they count (:func:`apply_stats`), so
they never disagree with them, and the views read a few thousand days instead of every episode.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.base import StoreBase, UserRef, audit_in
from twitchcheck.storage import models as m

STAT_COLUMNS = (
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
#: What the trend view reads per day: the day and its sums, in this order (see day_row).
DAY_COLUMNS = ("day", *STAT_COLUMNS)


def day_row(
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
    """One day of the trend view from the columns of :data:`DAY_COLUMNS`."""
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


def apply_stats(s: Session, user_id: int, rows: Sequence[m.Episode], sign: int) -> None:
    """Add (sign=+1) or remove (-1) ``rows`` from the per-day and per-location aggregates."""
    days: dict[dt.date, dict[str, float]] = defaultdict(lambda: dict.fromkeys(STAT_COLUMNS, 0.0))
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
            set_={c: getattr(m.DayStats, c) + getattr(stmt.excluded, c) for c in STAT_COLUMNS},
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


class AggregateReads(StoreBase):
    """The views' reads: grouped in SQL, one row per day or per location."""

    def day_rows(
        self, user: UserRef, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[ds.DayRow]:
        q = select(*(getattr(m.DayStats, c) for c in DAY_COLUMNS)).where(
            m.DayStats.user_id == user.id, m.DayStats.episodes > 0
        )
        if since:
            q = q.where(m.DayStats.day >= since)
        if until:
            q = q.where(m.DayStats.day <= until)
        with self._sessions.begin() as s:
            # Plain rows, no ORM objects: the trend and trigger views read thousands of days
            # for a long diary (benchmarks/bench_diary.py measures it).
            out = [day_row(*row) for row in s.execute(q.order_by(m.DayStats.day))]
            audit_in(s, user, "diary.trends", None)
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
