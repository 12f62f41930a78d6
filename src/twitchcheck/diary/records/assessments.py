"""Assessments kept in the diary: the evidence given and the full result, as they were."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.base import StoreBase, UserRef, audit_in
from twitchcheck.diary.records.rows import assessment_public
from twitchcheck.storage import models as m


class AssessmentRecords(StoreBase):
    def record_assessment(
        self,
        user: UserRef,
        evidence: dict[str, Any],
        result: dict[str, Any],
        origin: str = "manual",
    ) -> ds.AssessmentRecordPublic:
        """Keep an assessment's evidence and result (``result`` is ``Assessment.model_dump``)."""
        ranked = result.get("causes") or []
        top = ranked[0]["id"] if ranked else ""
        triage = result.get("triage", {}).get("level", "")
        with self._sessions.begin() as s:
            row = m.AssessmentRecord(
                uid=str(uuid.uuid4()),
                user_id=user.id,
                origin=origin,
                evidence=evidence,
                result=result,
                top_cause=top,
                triage=triage,
            )
            s.add(row)
            s.flush()
            audit_in(s, user, "assessment.create", f"assessment:{row.id}")
            return assessment_public(row)

    def get_assessment(self, user: UserRef, record_id: int) -> ds.AssessmentRecordPublic:
        return self._read(user, m.AssessmentRecord, "assessment", record_id, assessment_public)

    def delete_assessment(self, user: UserRef, record_id: int) -> None:
        self._remove(user, m.AssessmentRecord, "assessment", record_id)

    def list_assessments(self, user: UserRef, limit: int = 100) -> list[ds.AssessmentRecordPublic]:
        q = (
            select(m.AssessmentRecord)
            .where(m.AssessmentRecord.user_id == user.id)
            .order_by(m.AssessmentRecord.created_at.desc(), m.AssessmentRecord.id.desc())
            .limit(limit)
        )
        with self._sessions.begin() as s:
            rows = [assessment_public(r) for r in s.scalars(q)]
            audit_in(s, user, "assessment.list", None)
            return rows

    def iter_assessments(
        self, user: UserRef, batch: int = 1_000
    ) -> Iterator[ds.AssessmentRecordPublic]:
        """Every stored assessment, oldest first, in batches (for export)."""
        return self._iter_rows(user, m.AssessmentRecord, assessment_public, "assessment", batch)
