"""Entries into table rows and rows into what the diary hands back; uids from content."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from twitchcheck.diary import schemas as ds
from twitchcheck.storage import models as m


def episode_row(user_id: int, entry: ds.EpisodeIn, uid: str | None = None) -> m.Episode:
    data = entry.model_dump(exclude={"uid"})
    return m.Episode(
        uid=uid or entry.uid or str(uuid.uuid4()),
        user_id=user_id,
        day=entry.occurred_at.date(),
        created_at=m.utcnow(),
        **data,
    )


def checkin_row(user_id: int, entry: ds.CheckInIn, uid: str) -> m.CheckIn:
    return m.CheckIn(
        uid=uid,
        user_id=user_id,
        on_date=entry.on_date,
        answers=dict(entry.answers),
        caffeine_cups=entry.caffeine_cups,
        sleep_hours=entry.sleep_hours,
        stress=entry.stress,
        note=entry.note,
        time_zone=entry.time_zone,
        created_at=m.utcnow(),
    )


def assessment_row(user_id: int, entry: ds.AssessmentIn, uid: str) -> m.AssessmentRecord:
    """The row of an assessment; its top cause and triage level are read from the result."""
    ranked = entry.result.get("causes") or []
    return m.AssessmentRecord(
        uid=uid,
        user_id=user_id,
        created_at=entry.created_at,
        origin=entry.origin,
        evidence=entry.evidence,
        result=entry.result,
        top_cause=ranked[0]["id"] if ranked else "",
        triage=(entry.result.get("triage") or {}).get("level", ""),
    )


def episode_public(row: m.Episode) -> ds.EpisodePublic:
    return ds.EpisodePublic.model_validate(row, from_attributes=True)


def checkin_public(row: m.CheckIn) -> ds.CheckInPublic:
    return ds.CheckInPublic.model_validate(row, from_attributes=True)


def assessment_public(row: m.AssessmentRecord) -> ds.AssessmentRecordPublic:
    return ds.AssessmentRecordPublic.model_validate(row, from_attributes=True)


def _digest(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "c2-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _content(entry: ds.EpisodeIn | ds.CheckInIn) -> dict[str, Any]:
    # No zone is left out rather than written as null, so an entry without one keeps the uid
    # releases before the zone was stored gave it (a re-import still finds it).
    skip = {"uid"} if entry.time_zone is not None else {"uid", "time_zone"}
    return entry.model_dump(mode="json", exclude=skip)


def content_uid(entry: ds.EpisodeIn) -> str:
    """A uid from an episode's whole content (every field but the uid): the same episode
    imported twice gets the same uid, and two episodes that differ in any field (intensity,
    note, a medicine ...) get different ones. Locations are a set: their order is not content.
    """
    data = _content(entry)
    data["locations"] = sorted(data["locations"])
    return _digest({"episode": data})


def checkin_uid(entry: ds.CheckInIn) -> str:
    """A uid from a check-in's whole content (every field but the uid, the note included)."""
    return _digest({"checkin": _content(entry)})


def legacy_content_uid(entry: ds.EpisodeIn) -> str:
    """The uid releases before issue 18 derived from part of an episode (time, places, side,
    duration). Only used to recognise entries imported by them: a row with this uid is a
    duplicate only if its whole content is equal too."""
    key = "|".join(
        [
            entry.occurred_at.isoformat(),
            ",".join(sorted(entry.locations)),
            entry.side,
            repr(entry.duration_seconds),
        ]
    )
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def legacy_checkin_uid(entry: ds.CheckInIn) -> str:
    """The check-in uid of releases before issue 18 (its note left out); see above."""
    key = "|".join(
        [
            entry.on_date.isoformat(),
            ",".join(f"{k}={int(v)}" for k, v in sorted(entry.answers.items())),
            repr(entry.caffeine_cups),
            repr(entry.sleep_hours),
            repr(entry.stress),
        ]
    )
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def episode_entry(row: m.Episode) -> ds.EpisodeIn:
    """A stored episode as the entry it was made from (to compare contents)."""
    data = episode_public(row).model_dump(exclude={"id", "created_at", "uid"})
    return ds.EpisodeIn.model_construct(**data)


def checkin_entry(row: m.CheckIn) -> ds.CheckInIn:
    data = checkin_public(row).model_dump(exclude={"id", "created_at", "uid"})
    return ds.CheckInIn.model_construct(**data)
