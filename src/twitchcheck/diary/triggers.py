"""The trigger view: how twitch frequency goes with caffeine, sleep and stress.

For each factor a robust Poisson regression of the daily count on that factor
(:func:`~twitchcheck.diary.statistics.poisson_fit`); the effect is a rate ratio per unit with a
95% interval. It is an association, not a cause, and every sentence says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel

from twitchcheck.diary.schemas import CheckInPublic, DayRow
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.diary.statistics import poisson_fit
from twitchcheck.diary.windows import CHECKIN_LIMIT
from twitchcheck.diary.wording import ratio_text

MIN_TRIGGER_DAYS = 14  # no trigger claim from fewer days with the factor known

Factor = Literal["caffeine_cups", "sleep_hours", "stress"]


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
    #: The statistical method, for the docs and the JSON (not the person's view).
    method: str
    #: How to read the results, in lay words (what the CLI and the page show).
    explanation: str
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

TRIGGER_EXPLANATION = (
    "How to read this: for caffeine, sleep and stress in turn, the diary compares your days with "
    "more of it and your days with less, and says how many times as many twitches you logged for "
    "each extra cup, hour or point, with the range the true figure probably lies in. 1 means no "
    "difference, above 1 more twitches, below 1 fewer; when the range includes 1, the diary "
    "cannot tell. A link is not proof of a cause: other things that change on the same days can "
    "explain it. Only days with an entry count, and nothing is said from fewer than "
    f"{MIN_TRIGGER_DAYS} days."
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
        f"On days with {phrase} you logged {ratio_text(rr)} times as many twitches "
        f"(95% interval {ratio_text(low)} to {ratio_text(high)})."
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
    return TriggerView(
        min_days=MIN_TRIGGER_DAYS,
        method=TRIGGER_METHOD,
        explanation=TRIGGER_EXPLANATION,
        effects=effects,
    )
