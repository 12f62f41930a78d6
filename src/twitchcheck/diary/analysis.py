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
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from twitchcheck.api import Checker
from twitchcheck.diary.schemas import CheckInPublic, DayRow
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.domain import TriageLevel
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.results import Assessment

RECENT_DAYS = 14  # "recent" window for progression and new locations
BASELINE_DAYS = 28  # the window before it
MIN_TRIGGER_DAYS = 14  # no trigger claim from fewer days with the factor known
#: How far back a check-in answer still counts as the person's current answer.
CHECKIN_LOOKBACK_DAYS = 90
#: The baseline must cover at least this many diary days before "more frequent" is claimed.
MIN_BASELINE_DAYS = 7
#: Check-ins read at most (a daily check-in for 30 years; the views never page).
CHECKIN_LIMIT = 11_000
#: Twitch sites beyond the face: reaching them from the face is "spreading".
BODY_LOCATIONS = ("twitch_limbs_or_trunk", "twitch_widespread")
#: Face patterns that are themselves a spread over the face.
FACE_SPREAD_LOCATIONS = ("twitch_spreads_one_side_face", "twitch_both_sides_face")
DURATION_FINDINGS = (
    "duration_under_2_weeks",
    "duration_2_weeks_to_3_months",
    "duration_over_3_months",
)
Z95 = 1.959963984540054

FloatArray = npt.NDArray[np.float64]
Factor = Literal["caffeine_cups", "sleep_hours", "stress"]


# -- trends ------------------------------------------------------------------------------------


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


def recent_start(today: dt.date) -> dt.date:
    """The first day of the recent window (``today`` is its last day)."""
    return today - dt.timedelta(days=RECENT_DAYS - 1)


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
                new=new_from <= overall_first <= today,
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


def label_of(kb: KnowledgeBase, finding_id: str) -> str:
    index = kb.finding_index
    return kb.findings[index[finding_id]].label if finding_id in index else finding_id


# -- the estimator -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PoissonFit:
    """``log E[count] = a + b·x``: ``b`` with its robust standard error."""

    a: float
    b: float
    se_b: float
    n: int

    @property
    def rate_ratio(self) -> float:
        return math.exp(self.b)

    @property
    def interval(self) -> tuple[float, float]:
        return math.exp(self.b - Z95 * self.se_b), math.exp(self.b + Z95 * self.se_b)


def poisson_fit(
    x: Sequence[float] | FloatArray, y: Sequence[float] | FloatArray, *, max_iter: int = 100
) -> PoissonFit | None:
    """Fit a two-parameter Poisson regression by IRLS; ``None`` when it has no finite answer.

    The standard error is the sandwich (HC1) estimate ``n/(n-2) · B⁻¹ M B⁻¹`` with
    ``B = Σ μ x xᵀ`` and ``M = Σ (y-μ)² x xᵀ``: valid when counts are overdispersed, which
    daily twitch counts are. No answer when ``x`` does not vary, there are fewer than three
    days, there are no counts at all, or the fit runs away (e.g. every twitch on one side of a
    threshold, where the maximum likelihood is at infinity).
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    n = xs.size
    if n < 3 or ys.sum() <= 0 or float(np.ptp(xs)) == 0.0:
        return None
    # Centring x keeps IRLS well conditioned; the slope is unchanged.
    xc = xs - xs.mean()
    design = np.column_stack([np.ones(n), xc])
    beta = np.array([math.log(ys.mean()), 0.0])
    converged = False
    for _ in range(max_iter):
        eta = design @ beta
        if np.max(np.abs(eta)) > 50:
            return None
        mu = np.exp(eta)
        z = eta + (ys - mu) / mu
        wx = design * mu[:, None]
        try:
            new = np.linalg.solve(design.T @ wx, wx.T @ z)
        except np.linalg.LinAlgError:
            return None
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            converged = True
            break
        beta = new
    if not converged or not np.all(np.isfinite(beta)):
        return None
    mu = np.exp(design @ beta)
    bread = design.T @ (design * mu[:, None])
    meat = design.T @ (design * ((ys - mu) ** 2)[:, None])
    try:
        inv = np.linalg.inv(bread)
    except np.linalg.LinAlgError:
        return None
    cov = inv @ meat @ inv * (n / (n - 2))
    se = math.sqrt(max(float(cov[1, 1]), 0.0))
    a = float(beta[0] - beta[1] * xs.mean())
    if not math.isfinite(se) or se == 0.0:
        return None
    return PoissonFit(a=a, b=float(beta[1]), se_b=se, n=n)


# -- triggers ----------------------------------------------------------------------------------


class TriggerEffect(BaseModel):
    factor: Factor
    label: str
    unit: str
    days: int
    enough_data: bool
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    summary: str


class TriggerView(BaseModel):
    min_days: int
    method: str
    effects: list[TriggerEffect]


#: factor -> (label, unit, "on days with one more …" phrase)
FACTORS: dict[Factor, tuple[str, str, str]] = {
    "caffeine_cups": ("Caffeine", "cup", "one more cup of coffee (or other caffeine)"),
    "sleep_hours": ("Sleep", "hour", "one more hour of sleep"),
    "stress": ("Stress", "point", "one point more stress on the 0-10 scale"),
}

TRIGGER_METHOD = (
    "For each factor, a Poisson regression of the number of twitches per day on that factor "
    "(log-linear, fitted by iteratively reweighted least squares), with robust (sandwich) "
    "standard errors because twitch counts vary more from day to day than the model assumes. "
    "The result is a rate ratio per unit with a 95% interval: 1 means no link, above 1 more "
    "twitches, below 1 fewer. This shows an association, not a cause: other things that change "
    "on the same days can explain it. A day's value is that day's check-in if there is one, "
    "otherwise the average of that day's episodes. Only days with an entry count (a check-in "
    "day without episodes counts as zero twitches); days without any entry are left out, so a "
    f"diary kept only on twitchy days cannot show triggers well. No claim is made from fewer "
    f"than {MIN_TRIGGER_DAYS} days with the factor known."
)


def daily_table(
    days: Sequence[DayRow], checkins: Sequence[CheckInPublic]
) -> dict[dt.date, tuple[int, dict[Factor, float | None]]]:
    """Per day: the episode count and each factor's value (check-in first, else episode mean)."""
    table: dict[dt.date, tuple[int, dict[Factor, float | None]]] = {}
    for d in days:
        table[d.day] = (
            d.episodes,
            {"caffeine_cups": d.caffeine_cups, "sleep_hours": d.sleep_hours, "stress": d.stress},
        )
    by_day: dict[dt.date, list[CheckInPublic]] = defaultdict(list)
    for c in checkins:
        by_day[c.on_date].append(c)
    for day, items in by_day.items():
        count, values = table.get(day, (0, dict.fromkeys(FACTORS)))
        values = dict(values)
        for factor in FACTORS:
            given = [v for c in items if (v := getattr(c, factor)) is not None]
            if given:
                values[factor] = float(sum(given)) / len(given)
        table[day] = (count, values)
    return table


def _fmt(v: float) -> str:
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"


def effect_for(factor: Factor, xs: list[float], ys: list[float]) -> TriggerEffect:
    label, unit, phrase = FACTORS[factor]
    n = len(xs)
    base = {"factor": factor, "label": label, "unit": unit, "days": n}
    if n < MIN_TRIGGER_DAYS:
        return TriggerEffect(
            **base,
            enough_data=False,
            rate_ratio=None,
            ci_low=None,
            ci_high=None,
            summary=f"Not enough data yet: {n} of {MIN_TRIGGER_DAYS} days with {label.lower()} "
            "recorded.",
        )
    if len(set(xs)) < 2:
        return TriggerEffect(
            **base,
            enough_data=False,
            rate_ratio=None,
            ci_low=None,
            ci_high=None,
            summary=f"{label} was the same on every recorded day, so its link with twitching "
            "cannot be measured.",
        )
    fit = poisson_fit(xs, ys)
    if fit is None:
        return TriggerEffect(
            **base,
            enough_data=False,
            rate_ratio=None,
            ci_low=None,
            ci_high=None,
            summary=f"The link with {label.lower()} cannot be estimated from these days "
            "(for example, too few twitches, or all of them on one kind of day).",
        )
    low, high = fit.interval
    rr = fit.rate_ratio
    text = (
        f"On days with {phrase} you logged {_fmt(rr)} times as many twitches "
        f"(95% interval {_fmt(low)} to {_fmt(high)})."
    )
    if low <= 1.0 <= high:
        text += " The interval includes 1, so this diary shows no clear link."
    elif low > 1.0:
        text += " More twitches went with more of it (an association, not proof of a cause)."
    else:
        text += " Fewer twitches went with more of it (an association, not proof of a cause)."
    return TriggerEffect(
        **base, enough_data=True, rate_ratio=rr, ci_low=low, ci_high=high, summary=text
    )


def triggers(
    store: DiaryStore,
    user: UserRef,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> TriggerView:
    """How twitch frequency goes with caffeine, sleep and stress (see :data:`TRIGGER_METHOD`)."""
    days = store.day_rows(user, since, until)
    checkins = [
        c
        for c in store.list_checkins(user, since=since, limit=CHECKIN_LIMIT)
        if until is None or c.on_date <= until
    ]
    table = daily_table(days, checkins)
    effects = []
    for factor in FACTORS:
        xs: list[float] = []
        ys: list[float] = []
        for count, values in table.values():
            v = values[factor]
            if v is not None:
                xs.append(v)
                ys.append(float(count))
        effects.append(effect_for(factor, xs, ys))
    return TriggerView(min_days=MIN_TRIGGER_DAYS, method=TRIGGER_METHOD, effects=effects)


# -- progression -------------------------------------------------------------------------------


class Change(BaseModel):
    kind: Literal["new_red_flag", "new_location", "spreading", "more_frequent"]
    finding: str | None
    detail: str
    since: dt.date | None


class ProgressionView(BaseModel):
    checked_on: dt.date
    changes: list[Change]
    worsening: bool
    present: list[str]
    absent: list[str]
    needs_profile: bool  # True when birth year / sex are unknown: no assessment then
    triage_level: str | None
    reason: str
    assessment: Assessment | None
    record_id: int | None


def _latest_answers(
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


def _duration_finding(first_day: dt.date, today: dt.date) -> str:
    span = (today - first_day).days
    if span < 14:
        return "duration_under_2_weeks"
    if span < 91:  # three months
        return "duration_2_weeks_to_3_months"
    return "duration_over_3_months"


def _implied_by(kb: KnowledgeBase, present: set[str]) -> set[str]:
    """Everything ``present`` implies (the KB's implications, followed to the end)."""
    pairs = [(i.if_, i.then) for i in kb.structure.implications]
    out = set(present)
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            if a in out and b not in out:
                out.add(b)
                changed = True
    return out


def _changes(
    store: DiaryStore,
    user: UserRef,
    today: dt.date,
    checkins: Sequence[CheckInPublic],
) -> tuple[list[Change], set[str], dt.date | None]:
    """What changed recently; also the locations of the last 42 days and the diary's first day."""
    kb = store.kb
    r0 = recent_start(today)
    b0 = r0 - dt.timedelta(days=BASELINE_DAYS)
    changes: list[Change] = []
    diary_start = _diary_start(store, user, checkins)
    # A diary begun within the recent window has nothing to compare with: everything in it is
    # "new", and none of that is a change.
    has_baseline = diary_start is not None and diary_start < r0

    # New red flags: yes recently, and not yes at the latest answer before the recent window.
    red = {f.id for f in kb.findings if f.red_flag}
    before = _latest_answers(checkins, before=r0)
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
            for loc in (*BODY_LOCATIONS, *FACE_SPREAD_LOCATIONS)
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
                            f"{base_days} days before ({_fmt(fit.rate_ratio)} times as many, 95% "
                            f"interval {_fmt(low)} to {_fmt(high)}). Days without entries are "
                            "taken as days without twitches.",
                            since=r0,
                        )
                    )
    window_locs = recent_locs | base_locs
    return changes, window_locs, diary_start


def _diary_start(
    store: DiaryStore, user: UserRef, checkins: Sequence[CheckInPublic]
) -> dt.date | None:
    firsts = list(store.location_first_seen(user).values())
    firsts += [c.on_date for c in checkins[:1]]
    return min(firsts) if firsts else None


def progression(
    store: DiaryStore,
    user: UserRef,
    checker: Checker,
    *,
    today: dt.date | None = None,
    record: bool = True,
) -> ProgressionView:
    """Compare the recent weeks with the ones before, then triage the diary's evidence afresh."""
    kb = store.kb
    today = today or dt.date.today()
    lookback = today - dt.timedelta(days=CHECKIN_LOOKBACK_DAYS)
    checkins = [
        c
        for c in store.list_checkins(user, since=lookback, limit=CHECKIN_LIMIT)
        if c.on_date <= today
    ]
    changes, window_locs, _ = _changes(store, user, today, checkins)
    worsening = bool(changes)

    # The evidence: recent locations, the latest check-in answers, and the diary's time course.
    latest = _latest_answers(checkins)
    present = set(window_locs) | {f for f, (yes, _) in latest.items() if yes}
    absent = {f for f, (yes, _) in latest.items() if not yes}
    # The diary's own span replaces any duration answer given in a check-in.
    present -= set(DURATION_FINDINGS)
    absent -= set(DURATION_FINDINGS)
    r0 = recent_start(today)
    twitches_recently = any(d.episodes > 0 for d in store.day_rows(user, since=r0, until=today))
    first_ep = store.location_first_seen(user)
    if twitches_recently and first_ep:
        present.add(_duration_finding(min(first_ep.values()), today))
    if worsening:
        present.add("getting_worse")
    # Answers given on different days can disagree under the KB's implications (a "yes" to
    # getting weaker and an older "no" to weakness): the "yes" wins, it is the warning sign.
    absent -= _implied_by(kb, present)
    present_l, absent_l = sorted(present), sorted(absent)

    profile = store.profile(user)
    age = profile.age_on(today)
    base = {
        "checked_on": today,
        "changes": changes,
        "worsening": worsening,
        "present": present_l,
        "absent": absent_l,
    }
    if age is None or profile.sex is None:
        return ProgressionView(
            **base,
            needs_profile=True,
            triage_level=None,
            reason=_change_text(changes)
            + " Add your birth year and sex to the diary's profile to get a fresh triage: "
            "how likely each cause is depends on them.",
            assessment=None,
            record_id=None,
        )
    if not present_l and not absent_l:
        return ProgressionView(
            **base,
            needs_profile=False,
            triage_level=None,
            reason="There are no entries in the last "
            f"{BASELINE_DAYS + RECENT_DAYS} days to assess.",
            assessment=None,
            record_id=None,
        )
    assessment = checker.assess(age=age, sex=profile.sex, present=present_l, absent=absent_l)
    level = assessment.triage.level
    record_id = None
    if record:
        evidence = {
            "source": "diary",
            "checked_on": today.isoformat(),
            "age": age,
            "sex": profile.sex,
            "present": present_l,
            "absent": absent_l,
        }
        rec = store.record_assessment(
            user, evidence, assessment.model_dump(mode="json"), origin="diary"
        )
        record_id = rec.id
    return ProgressionView(
        **base,
        needs_profile=False,
        triage_level=level.value,
        reason=_reason(changes, assessment),
        assessment=assessment,
        record_id=record_id,
    )


def _change_text(changes: Sequence[Change]) -> str:
    if not changes:
        return (
            f"Nothing has got worse in the last {RECENT_DAYS} days compared with the "
            f"{BASELINE_DAYS} days before: no new warning signs, no new places, no rise in "
            "how often."
        )
    return "What changed: " + " ".join(c.detail for c in changes)


def _reason(changes: Sequence[Change], assessment: Assessment) -> str:
    triage = assessment.triage
    why = [r.text for r in triage.reasons]
    level_text = f"Fresh triage: {triage.name} ({triage.level.value.replace('_', ' ')})."
    if why:
        level_text += " Because: " + " ".join(why)
    elif triage.level == TriageLevel.SELF_CARE:
        level_text += " No warning sign or pattern in the diary calls for a doctor now."
    return f"{_change_text(changes)} {level_text} {triage.advice}".strip()
