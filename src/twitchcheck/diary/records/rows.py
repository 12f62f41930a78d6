"""Entries into table rows and rows into what the diary hands back; uids from content."""

from __future__ import annotations

import hashlib
import uuid

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
        created_at=m.utcnow(),
    )


def episode_public(row: m.Episode) -> ds.EpisodePublic:
    return ds.EpisodePublic.model_validate(row, from_attributes=True)


def checkin_public(row: m.CheckIn) -> ds.CheckInPublic:
    return ds.CheckInPublic.model_validate(row, from_attributes=True)


def assessment_public(row: m.AssessmentRecord) -> ds.AssessmentRecordPublic:
    return ds.AssessmentRecordPublic.model_validate(row, from_attributes=True)


def content_uid(entry: ds.EpisodeIn) -> str:
    """A uid from an entry's content: the same episode imported twice gets the same uid."""
    key = "|".join(
        [
            entry.occurred_at.isoformat(),
            ",".join(sorted(entry.locations)),
            entry.side,
            repr(entry.duration_seconds),
        ]
    )
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def checkin_uid(entry: ds.CheckInIn) -> str:
    """A uid from a check-in's content: the same check-in imported twice gets the same uid."""
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
