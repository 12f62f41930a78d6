"""The time windows the diary's views compare, and how much they read."""

from __future__ import annotations

import datetime as dt

RECENT_DAYS = 14  # "recent" window for progression and new locations
BASELINE_DAYS = 28  # the window before it
#: How far back a check-in answer still counts as the person's current answer.
CHECKIN_LOOKBACK_DAYS = 90
#: The baseline must cover at least this many diary days before "more frequent" is claimed.
MIN_BASELINE_DAYS = 7
#: Days of diary below which each duration answer of the KB but the last holds (two weeks; three
#: months): the KB's ``roles.duration_findings`` are in the same order, shortest first.
DURATION_BOUNDS_DAYS = (14, 91)
#: Check-ins read at most (a daily check-in for 30 years; the views never page).
CHECKIN_LIMIT = 11_000


def recent_start(today: dt.date) -> dt.date:
    """The first day of the recent window (``today`` is its last day)."""
    return today - dt.timedelta(days=RECENT_DAYS - 1)
