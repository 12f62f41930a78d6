"""What the diary shows: trends, possible triggers and progression with a fresh triage.

Every view reads the kept per-day and per-location aggregates (``day_stats``, ``location_days``)
and the check-ins, never the episodes one by one, so the views stay fast at a million episodes.

The statistics are deliberately simple and stated in plain words:

- **Triggers**: a Poisson log-linear regression of the daily count on one factor at a time,
  fitted by iteratively reweighted least squares, with robust (sandwich) standard errors because
  daily twitch counts vary more than a Poisson model allows. The effect is a rate ratio per unit
  with a 95% interval. It is an association, not a cause.
- **Progression**: the last :data:`RECENT_DAYS` days against the :data:`BASELINE_DAYS` before:
  new red-flag answers, new or spreading locations, and more episodes per day (the same robust
  Poisson fit with "recent" as the factor). Then the engine triages the diary's evidence afresh.

This module is the views' front door; each lives in its own module: :mod:`.trends`,
:mod:`.triggers`, :mod:`.changes` and :mod:`.progression`, with the estimator in
:mod:`.statistics` and the windows in :mod:`.windows`. The finding ids the analysis gives a part
to (body locations, spreads over the face, the duration answers, "getting worse") are the
knowledge base's ``roles``.
"""

from __future__ import annotations

from twitchcheck.diary.changes import Change
from twitchcheck.diary.progression import ProgressionView, progression
from twitchcheck.diary.statistics import Z95, FloatArray, PoissonFit, poisson_fit
from twitchcheck.diary.trends import LocationSeen, TrendView, WeekRow, trends, weekly
from twitchcheck.diary.triggers import (
    FACTORS,
    MIN_TRIGGER_DAYS,
    TRIGGER_METHOD,
    Factor,
    TriggerEffect,
    TriggerView,
    daily_table,
    effect_for,
    triggers,
)
from twitchcheck.diary.windows import (
    BASELINE_DAYS,
    CHECKIN_LIMIT,
    CHECKIN_LOOKBACK_DAYS,
    MIN_BASELINE_DAYS,
    RECENT_DAYS,
    recent_start,
)
from twitchcheck.diary.wording import label_of

__all__ = [
    "BASELINE_DAYS",
    "CHECKIN_LIMIT",
    "CHECKIN_LOOKBACK_DAYS",
    "FACTORS",
    "MIN_BASELINE_DAYS",
    "MIN_TRIGGER_DAYS",
    "RECENT_DAYS",
    "TRIGGER_METHOD",
    "Z95",
    "Change",
    "Factor",
    "FloatArray",
    "LocationSeen",
    "PoissonFit",
    "ProgressionView",
    "TrendView",
    "TriggerEffect",
    "TriggerView",
    "WeekRow",
    "daily_table",
    "effect_for",
    "label_of",
    "poisson_fit",
    "progression",
    "recent_start",
    "trends",
    "triggers",
    "weekly",
]
