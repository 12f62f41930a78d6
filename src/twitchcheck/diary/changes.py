"""What got worse: the last :data:`RECENT_DAYS` days against the :data:`BASELINE_DAYS` before.

Four kinds of change: a red-flag answer that turned yes, a new place, spreading (from the face
to the body, or to more places), and more episodes per day (the robust Poisson fit with "recent"
as its factor, claimed only when the whole 95% interval lies above 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel

from twitchcheck.diary.schemas import CheckInPublic
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.diary.statistics import poisson_fit
from twitchcheck.diary.windows import BASELINE_DAYS, MIN_BASELINE_DAYS, RECENT_DAYS, recent_start
from twitchcheck.diary.wording import label_of, ratio_text


class Change(BaseModel):
    kind: Literal["new_red_flag", "new_location", "spreading", "more_frequent"]
    finding: str | None
    detail: str
    since: dt.date | None


def latest_answers(
    checkins: Iterable[CheckInPublic], before: dt.date | None = None
) -> dict[str, tuple[bool, dt.date]]:
    """Each finding's latest answer (check-ins come oldest first)."""
    out: dict[str, tuple[bool, dt.date]] = {}
    for c in checkins:
        if before is not None and c.on_date >= before:
            continue
        for fid, yes in c.answers.items():
            out[fid] = (yes, c.on_date)
    return out


def find_changes(
    store: DiaryStore,
    user: UserRef,
    today: dt.date,
    checkins: Sequence[CheckInPublic],
) -> tuple[list[Change], set[str]]:
    """What changed recently, and the places that twitched in the last 42 days."""
    kb = store.kb
    r0 = recent_start(today)
    b0 = r0 - dt.timedelta(days=BASELINE_DAYS)
    changes: list[Change] = []
    diary_start = first_diary_day(store, user, checkins)
    # A diary begun within the recent window has nothing to compare with: everything in it is
    # "new", and none of that is a change.
    has_baseline = diary_start is not None and diary_start < r0

    # New red flags: yes recently, and not yes at the latest answer before the recent window.
    red = {f.id for f in kb.findings if f.red_flag}
    before = latest_answers(checkins, before=r0)
    flagged: set[str] = set()
    for c in checkins:
        if not r0 <= c.on_date <= today:
            continue
        for fid, yes in c.answers.items():
            if yes and fid in red and fid not in flagged:
                prior = before.get(fid)
                if (prior is None and has_baseline) or (prior is not None and not prior[0]):
                    flagged.add(fid)
                    was = "answered no before" if prior else "not asked before"
                    changes.append(
                        Change(
                            kind="new_red_flag",
                            finding=fid,
                            detail=f"{label_of(kb, fid)}: answered yes on {c.on_date.isoformat()}"
                            f" ({was}).",
                            since=c.on_date,
                        )
                    )

    # Locations: new ones, and spreading from the baseline's set to the recent one.
    first_seen = store.location_first_seen(user)
    rows = [r for r in store.location_days(user, since=b0) if r[0] <= today]
    recent_locs = {loc for day, loc, _ in rows if day >= r0}
    base_locs = {loc for day, loc, _ in rows if day < r0}
    for loc in sorted(recent_locs, key=lambda s: (first_seen.get(s, today), s)):
        first = first_seen.get(loc)
        if has_baseline and first is not None and first >= r0:
            changes.append(
                Change(
                    kind="new_location",
                    finding=loc,
                    detail=f"Twitching in a new place: {label_of(kb, loc)}, first on "
                    f"{first.isoformat()}.",
                    since=first,
                )
            )
    if base_locs:
        reached = [
            loc
            for loc in (*kb.roles.body_locations, *kb.roles.face_spread_locations)
            if loc in recent_locs and loc not in base_locs
        ]
        if reached:
            changes.append(
                Change(
                    kind="spreading",
                    finding=reached[0],
                    detail="The twitching has spread: now also "
                    + ", ".join(label_of(kb, x).lower() for x in reached)
                    + ", not seen in the "
                    f"{BASELINE_DAYS} days before.",
                    since=min(first_seen.get(x, r0) for x in reached),
                )
            )
        elif len(recent_locs) > len(base_locs) and recent_locs - base_locs:
            changes.append(
                Change(
                    kind="spreading",
                    finding=None,
                    detail=f"Twitching in more places: {len(recent_locs)} different places in "
                    f"the last {RECENT_DAYS} days against {len(base_locs)} in the "
                    f"{BASELINE_DAYS} days before.",
                    since=r0,
                )
            )

    # More frequent: episodes per calendar day, recent against baseline (robust Poisson).
    day_counts = {d.day: d.episodes for d in store.day_rows(user, since=b0, until=today)}
    if diary_start is not None:
        base_from = max(b0, diary_start)
        base_days = (r0 - base_from).days
        if base_days >= MIN_BASELINE_DAYS:
            xs: list[float] = []
            ys: list[float] = []
            day = base_from
            while day <= today:
                xs.append(1.0 if day >= r0 else 0.0)
                ys.append(float(day_counts.get(day, 0)))
                day += dt.timedelta(days=1)
            recent_n = sum(y for x, y in zip(xs, ys, strict=True) if x)
            base_n = sum(y for x, y in zip(xs, ys, strict=True) if not x)
            fit = poisson_fit(xs, ys) if recent_n > 0 and base_n > 0 else None
            if fit is not None:
                low, high = fit.interval
                if low > 1.0:
                    changes.append(
                        Change(
                            kind="more_frequent",
                            finding=None,
                            detail=f"More twitches per day: {recent_n / RECENT_DAYS:.1f} a day in "
                            f"the last {RECENT_DAYS} days against {base_n / base_days:.1f} in the "
                            f"{base_days} days before ({ratio_text(fit.rate_ratio)} times as many, 95% "
                            f"interval {ratio_text(low)} to {ratio_text(high)}). Days without entries are "
                            "taken as days without twitches.",
                            since=r0,
                        )
                    )
    window_locs = recent_locs | base_locs
    return changes, window_locs


def first_diary_day(
    store: DiaryStore, user: UserRef, checkins: Sequence[CheckInPublic]
) -> dt.date | None:
    """The diary's first day: its earliest place or its first check-in (oldest first)."""
    firsts = list(store.location_first_seen(user).values())
    firsts += [c.on_date for c in checkins[:1]]
    return min(firsts) if firsts else None
