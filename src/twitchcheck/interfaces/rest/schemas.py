"""The bodies the REST API reads and the documents it sends that are not results models.

Requests (``...In``) are strict: unknown fields are refused. Assessments and interview steps are
sent as :mod:`twitchcheck.results` models; errors as :class:`Problem` documents (RFC 9457).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from twitchcheck import results as r
from twitchcheck.api import MAX_TEXT_CHARS, Checker, Data, evidence_sets, has_kernel
from twitchcheck.diary.service import LOCAL_USERNAME
from twitchcheck.domain import (
    DEFAULT_MAX_QUESTIONS,
    MAX_AGE,
    MAX_QUESTIONS_LIMIT,
    MIN_AGE,
    Sex,
)


def _whole_number(value: object) -> object:
    """JSON integers only: no booleans, no strings; 30.0 counts (JSON Schema says so)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


def _is_none(value: object) -> bool:
    """An optional field left out of a stored body when not given (the diary keeps bodies)."""
    return value is None


#: Bodies with at most this many "yes" answers are answered on the event loop, where the
#: compiled engine answers them quickly. Many present findings that share most causes can take
#: far longer, so those bodies go to the thread pool, where they never stall other requests.
INLINE_MAX_YES = 6


class AssessIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "age": 30,
                    "sex": "female",
                    "evidence": [
                        {"id": "twitch_nose", "choice": "present", "initial": True},
                        {"id": "muscle_weakness", "choice": "absent"},
                    ],
                }
            ]
        },
    )

    age: WholeNumber = Field(ge=MIN_AGE, le=MAX_AGE, description="Age in whole years.")
    sex: Sex
    evidence: list[r.EvidenceItem] = Field(default_factory=list, max_length=300)
    concerns: list[str] = Field(default_factory=list, max_length=5, description="e.g. ['als']")
    text: str | None = Field(
        default=None,
        max_length=MAX_TEXT_CHARS,
        exclude_if=_is_none,
        description="The person's own words (at most 5,000 characters): parsed and combined with "
        "the evidence, explicit evidence winning; never logged.",
    )

    def run(self, checker: Checker) -> r.Assessment:
        """The assessment this body asks for (the diary's stored assessments)."""
        return r.Assessment.model_validate(self.run_data(checker))

    def run_data(self, checker: Checker) -> Data:
        """The same assessment as plain JSON data (POST /assess sends it as it is)."""
        present, absent, _unknown, initial = evidence_sets(self.evidence)
        if self.text is not None:
            return checker.text_assessment_data(
                self.text,
                age=self.age,
                sex=self.sex,
                present=present,
                absent=absent,
                initial=initial,
                concerns=self.concerns,
            )
        req = checker.request(
            age=self.age,
            sex=self.sex,
            present=present,
            absent=absent,
            initial=initial,
            concerns=self.concerns,
        )
        return checker.assessment_data(req)

    def answers_quickly(self) -> bool:
        """Whether this body is cheap enough to answer on the event loop (see INLINE_MAX_YES)."""
        if not has_kernel() or self.text is not None:
            return False
        return sum(1 for item in self.evidence if item.choice == "present") <= INLINE_MAX_YES


class ParseIn(BaseModel):
    """``POST /api/v1/parse``: free text; an age or sex given here is accepted, never used."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "My nostril twitches since Tuesday, no weakness"}]
        },
    )

    text: str = Field(max_length=MAX_TEXT_CHARS, description="At most 5,000 characters.")
    age: WholeNumber | None = Field(default=None, ge=MIN_AGE, le=MAX_AGE)
    sex: Sex | None = None


class InterviewIn(AssessIn):
    max_questions: WholeNumber = Field(default=DEFAULT_MAX_QUESTIONS, ge=1, le=MAX_QUESTIONS_LIMIT)


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    suggestions: list[str] = Field(default_factory=list)


class KbCause(BaseModel):
    id: str
    name: str
    description: str
    category: str
    urgency: str
    sources: list[str]


class KbFinding(BaseModel):
    id: str
    label: str
    question: str
    category: str
    red_flag: bool


# -- accounts -----------------------------------------------------------------------------------
MIN_PASSWORD = 10

Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{3,64}$"),
    AfterValidator(str.lower),  # names are not case-sensitive
]


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username = Field(
        description="3 to 64 letters, digits, '.', '_' or '-' (not case-sensitive)."
    )
    password: str = Field(
        max_length=1024,
        description=f"At least {MIN_PASSWORD} characters.",
        json_schema_extra={"minLength": MIN_PASSWORD},
    )

    @field_validator("password")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < MIN_PASSWORD:
            raise ValueError(
                f"must be at least {MIN_PASSWORD} characters long; a few unrelated words "
                "make a strong password that is easy to remember"
            )
        return value

    @field_validator("username")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == LOCAL_USERNAME:
            raise ValueError(f"'{LOCAL_USERNAME}' is reserved; please choose another name")
        return value


class LoginIn(BaseModel):
    # Any length is accepted: a malformed name or a short password is simply wrong, never a hint.
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class SessionPublic(BaseModel):
    username: str
    token: str = Field(description="Send as 'Authorization: Bearer <token>' (API clients).")
    csrf_token: str = Field(description="Send as 'X-CSRF-Token' with cookie-signed-in writes.")
    expires_at: dt.datetime


class MePublic(BaseModel):
    username: str
    multi_user: bool
    csrf_token: str | None = Field(
        default=None, description="The session's CSRF token (cookie sign-in only)."
    )


class AccountDeleted(BaseModel):
    username: str
    episodes: int
    checkins: int
    assessments: int
