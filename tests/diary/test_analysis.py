"""Trend, trigger and progression views, checked against independent computations."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from tests.helpers import add_user
from twitchcheck.api import Checker, default_checker
from twitchcheck.diary import analysis as an
from twitchcheck.diary.schemas import CheckInIn, ProfileIn, parse_episode
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.domain import TriageLevel

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return default_checker()


def _ep(day: dt.date, locations: list[str], hour: int = 9, **extra: object) -> dict[str, object]:
    return {
        "occurred_at": dt.datetime.combine(day, dt.time(hour, 0)).isoformat(),
        "locations": locations,
        "duration_seconds": extra.pop("duration_seconds", 5),
        **extra,
    }


def _add(store: DiaryStore, user: UserRef, rows: list[dict[str, object]]) -> None:
    store.import_episodes(user, (parse_episode(r) for r in rows))


def _days_back(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


# -- the estimator, against closed forms and by simulation -------------------------------------


def test_binary_factor_rate_ratio_and_robust_se_match_the_closed_form() -> None:
    rng = np.random.default_rng(7)
    x = np.array([0.0] * 25 + [1.0] * 35)
    y = rng.negative_binomial(3, 0.4, size=x.size).astype(float) + (x * 2)
    fit = an.poisson_fit(x, y)
    assert fit is not None
    y0, y1 = y[x == 0], y[x == 1]
    # Poisson MLE with a binary regressor: the rate ratio is the ratio of the group means.
    assert fit.rate_ratio == pytest.approx(y1.mean() / y0.mean(), rel=1e-9)
    # The sandwich variance of log(mean_g) is Σ(y - ȳ_g)² / (Σy_g)²; HC1 scales by n/(n-2).
    var = sum(((g - g.mean()) ** 2).sum() / g.sum() ** 2 for g in (y0, y1))
    assert fit.se_b == pytest.approx(math.sqrt(var * x.size / (x.size - 2)), rel=1e-7)


def test_continuous_factor_solves_the_score_equations() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 6, size=80)
    y = rng.poisson(np.exp(0.2 + 0.15 * x)).astype(float)
    fit = an.poisson_fit(x, y)
    assert fit is not None
    mu = np.exp(fit.a + fit.b * x)
    # At the maximum the Poisson score Σ(y-μ)·(1, x) is zero.
    assert abs(float((y - mu).sum())) < 1e-6
    assert abs(float(((y - mu) * x).sum())) < 1e-6


def test_interval_covers_the_true_rate_ratio_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(20261122)
    true_b = math.log(1.25)
    covered = fitted = 0
    for _ in range(300):
        x = rng.integers(0, 6, size=60).astype(float)
        mean = np.exp(0.3 + true_b * x)
        # Overdispersed counts (negative binomial, shape 4): a plain Poisson SE would undercover.
        y = rng.negative_binomial(4, 4 / (4 + mean)).astype(float)
        fit = an.poisson_fit(x, y)
        if fit is None:
            continue
        fitted += 1
        low, high = fit.interval
        covered += low <= math.exp(true_b) <= high
    assert fitted == 300
    assert 0.90 <= covered / fitted <= 0.99


def test_no_fit_when_the_factor_never_varies_or_there_are_no_twitches() -> None:
    assert an.poisson_fit([2.0] * 20, list(range(20))) is None
    assert an.poisson_fit(list(range(20)), [0.0] * 20) is None


def test_effect_says_nothing_below_the_minimum_days() -> None:
    eff = an.effect_for("caffeine_cups", [1.0, 2.0, 3.0] * 3, [1.0, 2.0, 4.0] * 3)
    assert not eff.enough_data
    assert eff.rate_ratio is None and eff.ci_low is None
    assert "9 of 14" in eff.summary


# -- trends ------------------------------------------------------------------------------------


def test_trends_match_a_recount_of_the_episodes(store: DiaryStore) -> None:
    user = store.local_user()
    rows = []
    for i in range(40):
        day = _days_back(i)
        for k in range(i % 4):
            rows.append(_ep(day, ["twitch_eyelid"], hour=8 + k, intensity=(i + k) % 11))
    rows.append(_ep(_days_back(3), ["twitch_nose", "twitch_cheek_mouth"], duration_seconds=12))
    _add(store, user, rows)
    view = an.trends(store, user, today=TODAY)

    per_week: Counter[dt.date] = Counter()
    per_week_int: dict[dt.date, list[int]] = defaultdict(list)
    for ep in store.iter_episodes(user):
        monday = ep.occurred_at.date() - dt.timedelta(days=ep.occurred_at.weekday())
        per_week[monday] += 1
        if ep.intensity is not None:
            per_week_int[monday].append(ep.intensity)
    assert {w.week_start: w.episodes for w in view.weeks} == dict(per_week)
    assert all(w.week_start.weekday() == 0 for w in view.weeks)
    # Every eyelid episode has an intensity, and the one nose day shares a week with eyelid days:
    # that week's mean is not exact (the nose episode has none); the others are.
    for w in view.weeks:
        if w.week_start != _days_back(3) - dt.timedelta(days=_days_back(3).weekday()):
            ints = per_week_int[w.week_start]
            assert w.mean_intensity == pytest.approx(sum(ints) / len(ints))
    assert view.total_episodes == len(rows)
    locs = {s.location: s for s in view.locations}
    assert locs["twitch_eyelid"].new is False  # first seen 39 days ago
    assert locs["twitch_nose"].new is True and locs["twitch_nose"].first_seen == _days_back(3)
    assert locs["twitch_nose"].label == "Nose twitch"
    assert locs["twitch_eyelid"].episodes == sum(i % 4 for i in range(40))


# -- triggers ----------------------------------------------------------------------------------


def test_triggers_use_checkin_values_first_and_count_checkin_only_days_as_zero(
    store: DiaryStore,
) -> None:
    user = store.local_user()
    rng = np.random.default_rng(11)
    rows = []
    expected: dict[dt.date, tuple[float, float]] = {}
    for i in range(30):
        day = _days_back(i)
        cups = float(i % 5)
        n = int(rng.poisson(math.exp(0.1 + 0.3 * cups)))
        for k in range(n):
            # Episodes carry a wrong caffeine value on check-in days: the check-in must win.
            rows.append(_ep(day, ["twitch_nose"], hour=6 + k % 15, caffeine_cups=cups + 7))
        if i % 3 == 0 or n == 0:
            store.add_checkin(user, CheckInIn(on_date=day, caffeine_cups=cups))
            expected[day] = (cups, float(n))
        elif n:
            expected[day] = (cups + 7, float(n))
    _add(store, user, rows)
    view = an.triggers(store, user)
    caffeine = next(e for e in view.effects if e.factor == "caffeine_cups")
    xs = [v[0] for v in expected.values()]
    ys = [v[1] for v in expected.values()]
    fit = an.poisson_fit(xs, ys)
    assert fit is not None and caffeine.enough_data
    assert caffeine.days == len(expected)
    assert caffeine.rate_ratio == pytest.approx(fit.rate_ratio)
    assert (caffeine.ci_low, caffeine.ci_high) == pytest.approx(fit.interval)
    assert "times as many twitches" in caffeine.summary and "95% interval" in caffeine.summary
    sleep = next(e for e in view.effects if e.factor == "sleep_hours")
    assert not sleep.enough_data and sleep.days == 0
    assert "association, not a cause" in view.method


# -- progression -------------------------------------------------------------------------------


def _benign_diary(store: DiaryStore, user: UserRef, days: int = 60) -> None:
    rows = [
        _ep(_days_back(i), ["twitch_nose"], hour=9 + k, caffeine_cups=3, intensity=2)
        for i in range(days)
        for k in range(1 + i % 2)
    ]
    _add(store, user, rows)
    store.add_checkin(
        user,
        CheckInIn(
            on_date=_days_back(30),
            answers={"muscle_weakness": False, "difficulty_swallowing": False},
        ),
    )


def _level(view: an.ProgressionView) -> int:
    assert view.triage_level is not None
    return TriageLevel(view.triage_level).rank


def test_needs_profile_without_birth_year_and_sex(store: DiaryStore, checker: Checker) -> None:
    user = store.local_user()
    _benign_diary(store, user)
    view = an.progression(store, user, checker, today=TODAY)
    assert view.needs_profile and view.assessment is None and view.record_id is None
    assert "birth year" in view.reason


def test_stable_benign_diary_stays_low_and_is_recorded(store: DiaryStore, checker: Checker) -> None:
    user = store.local_user()
    store.set_profile(user, ProfileIn(birth_year=1990, sex="female"))
    _benign_diary(store, user)
    view = an.progression(store, user, checker, today=TODAY)
    assert view.changes == [] and not view.worsening
    assert _level(view) <= TriageLevel.ROUTINE.rank
    assert "twitch_nose" in view.present and "duration_2_weeks_to_3_months" in view.present
    assert "muscle_weakness" in view.absent and "getting_worse" not in view.present
    assert view.record_id is not None
    rec = store.get_assessment(user, view.record_id)
    assert rec.origin == "diary" and rec.triage == view.triage_level
    assert rec.evidence["present"] == view.present


def test_weakness_and_spreading_raise_the_level(store: DiaryStore, checker: Checker) -> None:
    user = store.local_user()
    store.set_profile(user, ProfileIn(birth_year=1990, sex="male"))
    _benign_diary(store, user)
    before = an.progression(store, user, checker, today=TODAY, record=False)

    # The same diary, then: twitching spreads to the body and tongue, weakness appears.
    _add(
        store,
        user,
        [_ep(_days_back(i), ["twitch_limbs_or_trunk", "twitch_tongue"], hour=20) for i in range(6)],
    )
    store.add_checkin(
        user,
        CheckInIn(
            on_date=_days_back(2),
            answers={"muscle_weakness": True, "progressive_weakness": True},
        ),
    )
    after = an.progression(store, user, checker, today=TODAY, record=False)
    kinds = {c.kind for c in after.changes}
    assert {"new_red_flag", "new_location", "spreading"} <= kinds
    # The places "Has anything changed?" calls new are the ones Trends marks new, and only those.
    changed = {c.finding for c in after.changes if c.kind == "new_location"}
    marked = {loc.location for loc in an.trends(store, user, today=TODAY).locations if loc.new}
    assert changed == marked == {"twitch_limbs_or_trunk", "twitch_tongue"}
    assert after.worsening and "getting_worse" in after.present
    assert _level(after) > _level(before)
    # The older "no" to weakness gives way to the recent "yes".
    assert "muscle_weakness" in after.present and "muscle_weakness" not in after.absent
    assert "Weakness getting worse" in after.reason or "weak" in after.reason.lower()


def test_more_frequent_needs_an_interval_above_one(store: DiaryStore, checker: Checker) -> None:
    user = store.local_user()
    rows = [_ep(_days_back(i), ["twitch_eyelid"]) for i in range(14, 42)]
    rows += [_ep(_days_back(i), ["twitch_eyelid"], hour=h) for i in range(14) for h in range(8, 14)]
    _add(store, user, rows)
    view = an.progression(store, user, checker, today=TODAY, record=False)
    more = [c for c in view.changes if c.kind == "more_frequent"]
    assert len(more) == 1
    assert "Days without entries are taken as days without twitches" in more[0].detail


def test_same_rate_is_not_more_frequent(store: DiaryStore, checker: Checker) -> None:
    user = store.local_user()
    _add(store, user, [_ep(_days_back(i), ["twitch_eyelid"]) for i in range(42)])
    view = an.progression(store, user, checker, today=TODAY, record=False)
    assert [c.kind for c in view.changes] == []


def test_adding_any_red_flag_yes_never_lowers_the_level(
    store: DiaryStore, checker: Checker
) -> None:
    # Exhaustive over every red-flag finding of the shipped KB (stronger than sampling them).
    user = store.local_user()
    store.set_profile(user, ProfileIn(birth_year=1975, sex="female"))
    _benign_diary(store, user)
    base = _level(an.progression(store, user, checker, today=TODAY, record=False))
    red = [f.id for f in store.kb.findings if f.red_flag and f.category != "location"]
    assert len(red) > 20
    for fid in red:
        c = store.add_checkin(user, CheckInIn(on_date=_days_back(1), answers={fid: True}))
        view = an.progression(store, user, checker, today=TODAY, record=False)
        assert _level(view) >= base, fid
        assert any(ch.kind == "new_red_flag" and ch.finding == fid for ch in view.changes), fid
        store.delete_checkin(user, c.id)


def test_a_factor_that_never_varies_is_not_estimated() -> None:
    eff = an.effect_for("sleep_hours", [7.0] * 20, [float(i % 3) for i in range(20)])
    assert not eff.enough_data and eff.rate_ratio is None
    assert "same on every recorded day" in eff.summary


def test_views_see_only_the_users_own_entries(store: DiaryStore, checker: Checker) -> None:
    me = store.local_user()
    other = add_user(store, "someone")
    _benign_diary(store, me)
    assert an.trends(store, other, today=TODAY).total_episodes == 0
    assert all(e.days == 0 for e in an.triggers(store, other).effects)
    view = an.progression(store, other, checker, today=TODAY)
    assert view.present == [] and view.absent == [] and view.changes == []


def test_a_diary_begun_recently_shows_no_change(store: DiaryStore, checker: Checker) -> None:
    # Five days of entries: every place is "first seen" recently, but nothing has changed.
    user = store.local_user()
    store.set_profile(user, ProfileIn(birth_year=1990, sex="female"))
    _add(store, user, [_ep(_days_back(i), ["twitch_eyelid", "twitch_nose"]) for i in range(5)])
    store.add_checkin(user, CheckInIn(on_date=_days_back(1), answers={"muscle_weakness": True}))
    view = an.progression(store, user, checker, today=TODAY, record=False)
    assert view.changes == [] and not view.worsening
    # Trends agree with "Has anything changed?": no place is marked new (issue 19).
    assert not any(loc.new for loc in an.trends(store, user, today=TODAY).locations)
    assert "getting_worse" not in view.present and "duration_under_2_weeks" in view.present
    # The warning sign still counts in the triage, it just is not called a change.
    assert "muscle_weakness" in view.present
    assert view.assessment is not None
    assert any(r.id == "rf_muscle_weakness" for r in view.assessment.triage.reasons)
