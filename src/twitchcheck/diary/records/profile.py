"""The diary's users as the store sees them: the local user, and each user's profile."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.base import LOCAL_USERNAME, StoreBase, UserRef, audit_in
from twitchcheck.errors import NotFoundError
from twitchcheck.storage import models as m


class ProfileRecords(StoreBase):
    def local_user(self) -> UserRef:
        """The single user of single-user mode (created on first use)."""
        with self._sessions.begin() as s:
            row = s.scalar(select(m.User).where(m.User.username == LOCAL_USERNAME))
            if row is None:
                row = m.User(username=LOCAL_USERNAME, password_hash=None)
                s.add(row)
                try:
                    s.flush()
                except IntegrityError:  # created by a concurrent first use
                    s.rollback()
                    return self.local_user()
            return UserRef(row.id, row.username)

    def profile(self, user: UserRef) -> ds.ProfilePublic:
        with self._sessions.begin() as s:
            row = s.get(m.User, user.id)
            audit_in(s, user, "profile.read", None)
            if row is None:
                return ds.ProfilePublic(birth_year=None, sex=None)
            return ds.ProfilePublic.model_validate(row, from_attributes=True)

    def set_profile(self, user: UserRef, profile: ds.ProfileIn) -> ds.ProfilePublic:
        with self._sessions.begin() as s:
            row = s.get(m.User, user.id)
            if row is None:
                raise NotFoundError("user", user.username, ())
            row.birth_year = profile.birth_year
            row.sex = profile.sex
            if "time_zone" in profile.model_fields_set:  # left out: the stored zone is kept
                row.time_zone = profile.time_zone
            audit_in(s, user, "profile.update", None)
            return ds.ProfilePublic.model_validate(row, from_attributes=True)

    def import_profile_in(
        self, s: Session, user: UserRef, profile: ds.ProfileIn
    ) -> Literal["set", "same", "kept"]:
        """An imported profile, inside the import's transaction: set only when the diary has
        none (an import never overwrites what the person entered here)."""
        row = s.get(m.User, user.id)
        if row is None:
            raise NotFoundError("user", user.username, ())
        if row.birth_year is None and row.sex is None:
            row.birth_year, row.sex = profile.birth_year, profile.sex
            row.time_zone = row.time_zone or profile.time_zone
            audit_in(s, user, "profile.import", None)
            return "set"
        return "same" if (row.birth_year, row.sex) == (profile.birth_year, profile.sex) else "kept"

    def account_created(self, user: UserRef) -> dt.datetime | None:
        """When the account was made: with its name, a stable pseudonym for its exports."""
        with self._sessions() as s:
            row = s.get(m.User, user.id)
            return None if row is None else row.created_at
