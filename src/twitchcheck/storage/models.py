"""The diary's tables (SQLAlchemy 2 declarative models).

Times are the person's own wall-clock times (naive): a diary is about *their* days, and the trend
views count episodes per calendar day as they lived it. Each entry also keeps the IANA name of
the zone it was made in (``time_zone``, NULL for entries older than migration 0003 or when the
zone was not known), and the profile may hold one for those: an export then says which instant
was meant without guessing from the exporting machine's clock. ``day_stats`` and ``location_days`` are
aggregates kept in the same transaction as the episodes they count, so the trend and trigger
views read a few thousand rows even when the diary holds a million episodes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: None for the built-in local user of single-user mode (no password, no sign-in).
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    #: The profile the diary's re-triage needs (the engine's priors depend on age and sex).
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(8), nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WebSession(Base):
    """A signed-in browser or API client; only a hash of the token is stored."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Episode(Base):
    __tablename__ = "episodes"
    __table_args__ = (
        UniqueConstraint("user_id", "uid", name="uq_episode_uid"),
        Index("ix_episode_user_day", "user_id", "day"),
        # The timeline lists newest first: without this index every page sorts the whole diary.
        Index("ix_episode_user_time", "user_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Stable id across export and import (import skips a uid the diary already has).
    uid: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    day: Mapped[dt.date] = mapped_column(Date)
    locations: Mapped[list[str]] = mapped_column(JSON)
    side: Mapped[str] = mapped_column(String(8))
    duration_seconds: Mapped[float] = mapped_column(Float)
    intensity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    caffeine_cups: Mapped[float | None] = mapped_column(Float, nullable=True)
    sleep_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    stress: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exercise: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    alcohol_units: Mapped[float | None] = mapped_column(Float, nullable=True)
    medicines: Mapped[list[str]] = mapped_column(JSON, default=list)
    medicine_changed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CheckIn(Base):
    """Red-flag and associated findings answered yes/no on one date, and that day's context."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("user_id", "uid", name="uq_checkin_uid"),
        Index("ix_checkin_user_date", "user_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date)
    #: finding id -> True (yes) / False (no); findings not asked are absent from the map.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    caffeine_cups: Mapped[float | None] = mapped_column(Float, nullable=True)
    sleep_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    stress: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AssessmentRecord(Base):
    """An assessment the person ran, with the evidence it used and its result."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("user_id", "uid", name="uq_assessment_uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: "manual" (the person ran it) or "diary" (a re-triage from the diary's progression check).
    origin: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    top_cause: Mapped[str] = mapped_column(String(64))
    triage: Mapped[str] = mapped_column(String(16))


class DayStats(Base):
    """Per-day sums of one user's episodes (kept with every write; see the module note)."""

    __tablename__ = "day_stats"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    episodes: Mapped[int] = mapped_column(Integer, default=0)
    duration_sum: Mapped[float] = mapped_column(Float, default=0.0)
    intensity_sum: Mapped[float] = mapped_column(Float, default=0.0)
    intensity_n: Mapped[int] = mapped_column(Integer, default=0)
    caffeine_sum: Mapped[float] = mapped_column(Float, default=0.0)
    caffeine_n: Mapped[int] = mapped_column(Integer, default=0)
    sleep_sum: Mapped[float] = mapped_column(Float, default=0.0)
    sleep_n: Mapped[int] = mapped_column(Integer, default=0)
    stress_sum: Mapped[float] = mapped_column(Float, default=0.0)
    stress_n: Mapped[int] = mapped_column(Integer, default=0)


class LocationDay(Base):
    """Episodes per user, day and location (for "new locations" and spreading)."""

    __tablename__ = "location_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    location: Mapped[str] = mapped_column(String(64), primary_key=True)
    episodes: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Who did what to diary data, when, and whether it was allowed: never the health content.

    Kept when a user deletes their data (it holds no health content), so refused and performed
    deletions stay visible.
    """

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str | None] = mapped_column(String(96), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))
