"""The trend view: episodes per day and per ISO week, and every place that has twitched.

It reads the kept per-day and per-location aggregates, never the episodes one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel

from twitchcheck.diary.changes import first_diary_day
from twitchcheck.diary.schemas import DayRow
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.diary.windows import recent_start
from twitchcheck.diary.wording import label_of


class WeekRow(BaseModel):
    week_start: dt.date
    episodes: int
    duration_seconds: float
    #: Episode-weighted mean of the daily mean intensities (exact when every episode has one).
    mean_intensity: float | None


class LocationSeen(BaseModel):
    location: str
    label: str
    first_seen: dt.date
    last_seen: dt.date
    episodes: int
    new: bool


class TrendView(BaseModel):
    days: list[DayRow]
    weeks: list[WeekRow]
    locations: list[LocationSeen]
    total_episodes: int
    first_day: dt.date | None
    last_day: dt.date | None


def trends(
    store: DiaryStore,
    user: UserRef,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> TrendView:
    """Episodes per day and per ISO week, and where the twitching has been, from the aggregates."""
    today = today or dt.date.today()
    days = store.day_rows(user, since, until)
    weeks = weekly(days)
    first_seen = store.location_first_seen(user)
    new_from = recent_start(today)
    # "New" means what "Has anything changed?" (changes.find_changes) calls a new place: first
    # seen in the recent window of a diary begun before it. In a diary begun within it every
    # place would be "new", and the two views would disagree.
    start = first_diary_day(store, user, store.list_checkins(user, limit=1))
    has_baseline = start is not None and start < new_from
    locations = []
    for loc, first, last, n in store.location_summary(user, since, until):
        overall_first = first_seen.get(loc, first)
        locations.append(
            LocationSeen(
                location=loc,
                label=label_of(store.kb, loc),
                first_seen=overall_first,
                last_seen=last,
                episodes=n,
                new=has_baseline and new_from <= overall_first <= today,
            )
        )
    locations.sort(key=lambda s: (s.first_seen, s.location))
    return TrendView(
        days=days,
        weeks=weeks,
        locations=locations,
        total_episodes=sum(d.episodes for d in days),
        first_day=days[0].day if days else None,
        last_day=days[-1].day if days else None,
    )


def weekly(days: Iterable[DayRow]) -> list[WeekRow]:
    """Sum day rows into ISO weeks (Monday start); weeks without episodes are left out."""
    acc: dict[dt.date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for d in days:
        w = acc[d.day - dt.timedelta(days=d.day.weekday())]
        w[0] += d.episodes
        w[1] += d.duration_seconds
        if d.mean_intensity is not None:
            w[2] += d.mean_intensity * d.episodes
            w[3] += d.episodes
    return [
        WeekRow(
            week_start=start,
            episodes=int(n),
            duration_seconds=dur,
            mean_intensity=(isum / iw) if iw else None,
        )
        for start, (n, dur, isum, iw) in sorted(acc.items())
    ]
