"""What the diary accepts (``*In``) and what it hands back (``*Public``).

Field checks live here so that every interface (CLI, REST, web form, CSV import) refuses the same
bad value with the same message, naming the field. Knowledge-base ids (locations, check-in
findings) are checked against the KB by :mod:`twitchcheck.diary.service`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from twitchcheck.diary.time_zones import TimeZoneName
from twitchcheck.domain import MAX_AGE, MIN_AGE
from twitchcheck.errors import RecordError

EARLIEST = dt.date(1900, 1, 1)
#: A clock a little ahead (time zones, a phone set wrong) is tolerated; more is a typing error.
FUTURE_SLACK = dt.timedelta(days=1)

Uid = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
Side = Literal["left", "right", "both", "unknown"]
Score = Annotated[int, Field(ge=0, le=10)]
ZONE_HELP = (
    "The IANA time zone the entry was made in, e.g. Europe/Berlin (optional; an unknown name "
    "is refused). The FHIR export writes the time with that zone's offset on that date."
)
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _now() -> dt.datetime:
    return dt.datetime.now()


NUMBER_FIELDS = (
    "duration_seconds",
    "intensity",
    "caffeine_cups",
    "sleep_hours",
    "stress",
    "alcohol_units",
    "birth_year",
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_not_bools(cls, value: Any, info: ValidationInfo) -> Any:
        # Pydantic's lax mode reads true/false as 1/0; a yes/no in a number field is a mistake.
        if info.field_name in NUMBER_FIELDS and isinstance(value, bool):
            raise ValueError("must be a number, not true/false")
        # A NUL character is never text a person typed, and PostgreSQL cannot store it.
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise ValueError("must not contain a NUL character")
        return value


class EpisodeIn(_In):
    """One twitching episode as the person recorded it."""

    occurred_at: dt.datetime = Field(description="When it started (the person's local time).")
    locations: list[str] = Field(min_length=1, max_length=12, description="Location finding ids.")
    side: Side = "unknown"
    duration_seconds: float = Field(gt=0, le=86_400, description="How long it lasted, in seconds.")
    intensity: Score | None = Field(default=None, description="How strong, 0 (barely) to 10.")
    caffeine_cups: float | None = Field(default=None, ge=0, le=40)
    sleep_hours: float | None = Field(default=None, ge=0, le=24)
    stress: Score | None = None
    exercise: bool | None = None
    alcohol_units: float | None = Field(default=None, ge=0, le=100)
    medicines: list[ShortText] = Field(default_factory=list, max_length=20)
    medicine_changed: bool | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    time_zone: TimeZoneName | None = Field(default=None, description=ZONE_HELP)
    uid: Uid | None = None

    @field_validator("occurred_at")
    @classmethod
    def _plausible_time(cls, value: dt.datetime) -> dt.datetime:
        # The diary keeps wall-clock time: an offset given is dropped, its local time kept.
        value = value.replace(tzinfo=None)
        if value.date() < EARLIEST:
            raise ValueError(f"must be on or after {EARLIEST.isoformat()}")
        if value > _now() + FUTURE_SLACK:
            raise ValueError("must not be in the future")
        return value

    @field_validator("locations")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class EpisodeUpdate(_In):
    """A partial change to an episode: only the fields given change."""

    occurred_at: dt.datetime | None = None
    locations: list[str] | None = Field(default=None, min_length=1, max_length=12)
    side: Side | None = None
    duration_seconds: float | None = Field(default=None, gt=0, le=86_400)
    intensity: Score | None = None
    caffeine_cups: float | None = Field(default=None, ge=0, le=40)
    sleep_hours: float | None = Field(default=None, ge=0, le=24)
    stress: Score | None = None
    exercise: bool | None = None
    alcohol_units: float | None = Field(default=None, ge=0, le=100)
    medicines: list[ShortText] | None = Field(default=None, max_length=20)
    medicine_changed: bool | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    time_zone: TimeZoneName | None = None


class EpisodePublic(BaseModel):
    id: int
    uid: str
    occurred_at: dt.datetime
    locations: list[str]
    side: Side
    duration_seconds: float
    intensity: int | None
    caffeine_cups: float | None
    sleep_hours: float | None
    stress: int | None
    exercise: bool | None
    alcohol_units: float | None
    medicines: list[str]
    medicine_changed: bool | None
    note: str | None
    time_zone: str | None = None
    created_at: dt.datetime


class CheckInIn(_In):
    """Findings answered yes/no on one date, with that day's context (all optional)."""

    on_date: dt.date
    answers: dict[str, bool] = Field(default_factory=dict, max_length=120)
    caffeine_cups: float | None = Field(default=None, ge=0, le=40)
    sleep_hours: float | None = Field(default=None, ge=0, le=24)
    stress: Score | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    time_zone: TimeZoneName | None = Field(default=None, description=ZONE_HELP)
    uid: Uid | None = None

    @field_validator("on_date")
    @classmethod
    def _plausible_date(cls, value: dt.date) -> dt.date:
        if value < EARLIEST:
            raise ValueError(f"must be on or after {EARLIEST.isoformat()}")
        if value > (_now() + FUTURE_SLACK).date():
            raise ValueError("must not be in the future")
        return value


class CheckInPublic(BaseModel):
    id: int
    uid: str
    on_date: dt.date
    answers: dict[str, bool]
    caffeine_cups: float | None
    sleep_hours: float | None
    stress: int | None
    note: str | None
    time_zone: str | None = None
    created_at: dt.datetime


class AssessmentRecordPublic(BaseModel):
    id: int
    uid: str
    created_at: dt.datetime
    origin: Literal["manual", "diary"]
    evidence: dict[str, Any]
    top_cause: str
    triage: str
    result: dict[str, Any]


class AssessmentIn(_In):
    """A stored assessment as an export holds it (to import it back unchanged)."""

    uid: Uid
    created_at: dt.datetime
    origin: Literal["manual", "diary"]
    evidence: dict[str, Any]
    result: dict[str, Any]

    @field_validator("created_at")
    @classmethod
    def _utc_naive(cls, value: dt.datetime) -> dt.datetime:
        # Stored as naive UTC (models.utcnow); an offset given is converted, not dropped.
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        if value.date() < EARLIEST:
            raise ValueError(f"must be on or after {EARLIEST.isoformat()}")
        return value


class DayRow(BaseModel):
    """One day of the trend view (from the kept aggregates)."""

    day: dt.date
    episodes: int
    duration_seconds: float
    mean_intensity: float | None
    caffeine_cups: float | None
    sleep_hours: float | None
    stress: float | None


#: The sexes the checker takes (female, male, other; "unknown" is "prefer not to say").
ProfileSex = Literal["female", "male", "other", "unknown"]


def birth_years(today: dt.date | None = None) -> tuple[int, int]:
    """The first and last birth year the diary accepts: those whose age this year is within the
    engine's range (MIN_AGE to MAX_AGE in :mod:`twitchcheck.domain`), so that a profile the form
    takes can always be assessed (a birth year of 1900 once broke the diary's pages)."""
    year = (today or dt.date.today()).year
    return year - MAX_AGE, year - MIN_AGE


_FIRST_YEAR, _LAST_YEAR = birth_years()


class ProfileIn(_In):
    """Birth year and sex: what the diary's re-triage passes to the engine."""

    # The bounds in the schema are those of the day the program started; the check below uses
    # today's, so a server running across New Year stays right.
    birth_year: int = Field(ge=_FIRST_YEAR, le=_LAST_YEAR)
    sex: ProfileSex
    #: The zone the person lives in: the export's zone for entries stored without one. Left out
    #: of a change, the stored one is kept.
    time_zone: TimeZoneName | None = None

    @field_validator("birth_year")
    @classmethod
    def _assessable(cls, value: int) -> int:
        first, last = birth_years()
        if not first <= value <= last:
            raise ValueError(f"must be between {first} and {last} (ages {MIN_AGE} to {MAX_AGE})")
        return value


class ProfilePublic(BaseModel):
    birth_year: int | None
    sex: ProfileSex | None
    time_zone: str | None = None

    def age_on(self, day: dt.date) -> int | None:
        return None if self.birth_year is None else max(MIN_AGE, day.year - self.birth_year)

    def assessed_age(self, day: dt.date) -> int | None:
        """The age given to the engine on ``day``: :meth:`age_on` within the engine's range. A
        profile accepted years ago (or stored before the range was checked) may lie beyond it;
        the oldest age the engine knows is the nearest answer, never an error on the page."""
        age = self.age_on(day)
        return None if age is None else min(MAX_AGE, age)


class ImportReport(BaseModel):
    rows: int
    added: int
    skipped_duplicates: int


class FolderImport(BaseModel):
    """What one import stored, per kind (None: the import held no such part)."""

    episodes: ImportReport
    checkins: ImportReport | None
    assessments: ImportReport | None
    #: "set" (the diary had none), "same", "kept" (the diary's own differs and is kept), or None.
    profile: Literal["set", "same", "kept"] | None


class DeleteReport(BaseModel):
    episodes: int
    checkins: int
    assessments: int


#: What a person reads for a field that is missing or an empty list, by field (else "This is
#: needed." / "Choose at least N."): never the validator's own words.
_NEEDED = {"locations": "Choose at least one place.", "answers": "Answer at least one question."}


def _number(value: Any) -> str:
    """0 rather than 0.0 in a message."""
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def plain_message(err: Mapping[str, Any]) -> str:
    """One validation error in plain words ("Choose at least one place", "Enter a number of 0 or
    more"), not the validator's text ("List should have at least 1 item after validation")."""
    kind, ctx = err["type"], err.get("ctx") or {}
    field = str(err["loc"][0]) if err["loc"] else ""
    if kind in {"missing", "too_short"} and field in _NEEDED:
        return _NEEDED[field]
    words = {
        "missing": "This is needed.",
        "too_short": f"Choose at least {ctx.get('min_length')}.",
        "too_long": f"Choose at most {ctx.get('max_length')}.",
        "string_too_short": "This cannot be empty.",
        "string_too_long": f"Use at most {ctx.get('max_length')} characters.",
        "greater_than": f"Enter a number above {_number(ctx.get('gt'))}.",
        "greater_than_equal": f"Enter a number of {_number(ctx.get('ge'))} or more.",
        "less_than": f"Enter a number below {_number(ctx.get('lt'))}.",
        "less_than_equal": f"Enter a number of {_number(ctx.get('le'))} or less.",
        "float_parsing": "Enter a number.",
        "float_type": "Enter a number.",
        "int_parsing": "Enter a whole number.",
        "int_from_float": "Enter a whole number.",
        "int_type": "Enter a whole number.",
        "bool_parsing": "Answer yes or no.",
        "date_parsing": "Enter a date (YYYY-MM-DD).",
        "date_from_datetime_parsing": "Enter a date (YYYY-MM-DD).",
        "datetime_parsing": "Enter a date and time (YYYY-MM-DD HH:MM).",
        "datetime_from_date_parsing": "Enter a date and time (YYYY-MM-DD HH:MM).",
        "literal_error": f"Choose one of: {ctx.get('expected', '').replace(chr(39), '')}.",
        "extra_forbidden": "This is not a field of this entry.",
    }
    if kind in words:
        return words[kind]
    return str(err["msg"]).removeprefix("Value error, ")  # our own validators speak plainly


def problems_of(exc: ValidationError, where: str = "") -> list[tuple[str, str]]:
    """Pydantic's errors as ``(field, message)`` pairs in plain words (:func:`plain_message`),
    prefixed with ``where`` (e.g. a CSV row)."""
    out = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "entry"
        out.append((f"{where}{field}", plain_message(err)))
    return out


#: Any entry model the diary reads (episode, check-in, assessment, profile).
_Entry = TypeVar("_Entry", bound=_In)


def _parse(model: type[_Entry], data: Any, where: str) -> _Entry:
    """``data`` read as ``model``, or a RecordError naming every problem in plain words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordError(problems_of(exc, where)) from None


def parse_episode(data: Any, where: str = "") -> EpisodeIn:
    return _parse(EpisodeIn, data, where)


def parse_checkin(data: Any, where: str = "") -> CheckInIn:
    return _parse(CheckInIn, data, where)


def parse_assessment(data: Any, where: str = "") -> AssessmentIn:
    return _parse(AssessmentIn, data, where)


def parse_profile(data: Any, where: str = "") -> ProfileIn:
    return _parse(ProfileIn, data, where)
