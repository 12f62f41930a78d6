"""Issue 20: the diary's FHIR export writes each time in the zone the person entered it in.

The offsets expected below are facts about the zones (Berlin is UTC+1 in winter and UTC+2 in
summer, changing on the last Sundays of March and October), not values the code computed.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.diary.test_fhir_export import JSON, NOW, _episode, _episodes_by_uid
from twitchcheck.diary.exchange import export_fhir
from twitchcheck.diary.schemas import CheckInIn, ProfileIn
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.kb import coding as c


def _effective(store: DiaryStore, user: UserRef, entry: Any) -> str:
    uid = store.add_episode(user, entry).uid
    return str(_episodes_by_uid(export_fhir(store, user, store.kb, NOW))[uid]["effectiveDateTime"])


# -- 1. times ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-01-15T09:00", "2026-01-15T09:00:00+01:00"),  # winter time
        ("2026-07-15T09:00", "2026-07-15T09:00:00+02:00"),  # summer time
        # The spring night: 02:00-03:00 does not exist; the time written is kept, with the
        # offset in force before the change (fold=0), not moved to 03:30 or 01:30.
        ("2026-03-29T02:30", "2026-03-29T02:30:00+01:00"),
        ("2026-03-29T03:30", "2026-03-29T03:30:00+02:00"),
        # The autumn night: 02:30 happens twice; the first pass (summer time) is chosen.
        ("2026-10-25T02:30", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25T03:30", "2026-10-25T03:30:00+01:00"),
    ],
)
def test_an_entry_made_in_berlin_exports_with_the_offset_of_its_date(
    store: DiaryStore, when: str, expected: str
) -> None:
    user = store.local_user()
    assert _effective(store, user, _episode(when, "Europe/Berlin")) == expected


def _under_machine_zone(zone: str, run: Callable[[], JSON]) -> JSON:
    """``run`` with the process's local time zone set to ``zone`` (TZ and tzset)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        return run()
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_the_export_is_the_same_whatever_the_machine_zone(store: DiaryStore) -> None:
    user = store.local_user()
    store.add_episode(user, _episode("2026-10-25T02:30", "Europe/Berlin"))
    store.add_episode(user, _episode("2026-06-01T23:30", "Asia/Tokyo"))
    store.add_episode(user, _episode("2026-06-02T07:10"))  # no zone, no profile zone
    store.add_checkin(user, CheckInIn(on_date=dt.date(2026, 6, 2), stress=3))

    def export() -> JSON:
        return export_fhir(store, user, store.kb)  # the default clock, too

    utc = _under_machine_zone("UTC", export)
    new_york = _under_machine_zone("America/New_York", export)
    assert utc["entry"] == new_york["entry"]
    assert utc["timestamp"].endswith("Z") and new_york["timestamp"].endswith("Z")
    # And the wall-clock time the person entered is never shifted.
    times = sorted(str(r["effectiveDateTime"]) for r in _episodes_by_uid(utc).values())
    assert times == ["2026-06-01T23:30:00+09:00", "2026-06-02", "2026-10-25T02:30:00+02:00"]


def test_entries_without_a_zone_use_the_profile_zone_else_their_date_only(
    store: DiaryStore,
) -> None:
    user = store.local_user()
    uid = store.add_episode(user, _episode("2026-07-15T08:15")).uid

    alone = _episodes_by_uid(export_fhir(store, user, store.kb, NOW))[uid]
    assert alone["effectiveDateTime"] == "2026-07-15"
    assert {"url": c.DIARY_WALL_CLOCK_EXTENSION, "valueTime": "08:15:00"} in alone["extension"]
    assert "2026-07-15 08:15" in alone["text"]["div"]
    assert "not recorded" in alone["text"]["div"]

    store.set_profile(user, ProfileIn(birth_year=1980, sex="male", time_zone="Europe/Berlin"))
    profiled = _episodes_by_uid(export_fhir(store, user, store.kb, NOW))[uid]
    assert profiled["effectiveDateTime"] == "2026-07-15T08:15:00+02:00"
    zone_ext = {"url": c.DIARY_TIME_ZONE_EXTENSION, "valueCode": "Europe/Berlin"}
    assert zone_ext in profiled["extension"]
    # The entry's own zone wins over the profile's.
    own = store.add_episode(user, _episode("2026-07-15T08:15", "America/New_York")).uid
    bundle = export_fhir(store, user, store.kb, NOW)
    assert _episodes_by_uid(bundle)[own]["effectiveDateTime"] == "2026-07-15T08:15:00-04:00"


def test_an_unknown_zone_is_refused_by_the_schema() -> None:
    from twitchcheck.errors import RecordError

    with pytest.raises(RecordError) as err:
        _episode("2026-07-15T08:15", "Mars/Olympus_Mons")
    assert err.value.problems[0][0] == "time_zone"
    assert "Europe/Berlin" in err.value.problems[0][1]
    with pytest.raises(RecordError):
        _episode("2026-07-15T08:15", "localtime")  # a file in the zone folder, not a zone
