"""Progression: what changed recently, then a fresh triage of what the diary shows.

The evidence is the places of the last six weeks, each finding's latest check-in answer, the
time course from the diary's own span, and "getting worse" when something worsened; with the
profile's age and sex the engine triages it, and the result can be kept as an assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel

from twitchcheck.api import Checker
from twitchcheck.diary.changes import Change, find_changes, latest_answers
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.diary.windows import (
    BASELINE_DAYS,
    CHECKIN_LIMIT,
    CHECKIN_LOOKBACK_DAYS,
    DURATION_BOUNDS_DAYS,
    RECENT_DAYS,
    recent_start,
)
from twitchcheck.domain import TriageLevel
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.results import Assessment


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


def _duration_finding(durations: tuple[str, ...], first_day: dt.date, today: dt.date) -> str:
    """The KB's duration answer (shortest first) that the diary's span gives."""
    span = (today - first_day).days
    for bound, finding in zip(DURATION_BOUNDS_DAYS, durations, strict=False):
        if span < bound:
            return finding
    return durations[-1]


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
    changes, window_locs = find_changes(store, user, today, checkins)
    worsening = bool(changes)

    # The evidence: recent locations, the latest check-in answers, and the diary's time course.
    latest = latest_answers(checkins)
    present = set(window_locs) | {f for f, (yes, _) in latest.items() if yes}
    absent = {f for f, (yes, _) in latest.items() if not yes}
    # The diary's own span replaces any duration answer given in a check-in.
    durations = kb.roles.duration_findings
    present -= set(durations)
    absent -= set(durations)
    r0 = recent_start(today)
    twitches_recently = any(d.episodes > 0 for d in store.day_rows(user, since=r0, until=today))
    first_ep = store.location_first_seen(user)
    if twitches_recently and first_ep and durations:
        present.add(_duration_finding(durations, min(first_ep.values()), today))
    if worsening and kb.roles.worsening:
        present.add(kb.roles.worsening)
    # Answers given on different days can disagree under the KB's implications (a "yes" to
    # getting weaker and an older "no" to weakness): the "yes" wins, it is the warning sign.
    absent -= _implied_by(kb, present)
    present_l, absent_l = sorted(present), sorted(absent)

    profile = store.profile(user)
    age = profile.assessed_age(today)
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
