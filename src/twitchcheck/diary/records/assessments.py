"""Assessments kept in the diary: the evidence given and the full result, as they were."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.base import StoreBase, UserRef, audit_in
from twitchcheck.diary.records.bulk_import import import_rows
from twitchcheck.diary.records.rows import assessment_public, assessment_row
from twitchcheck.storage import models as m


class AssessmentRecords(StoreBase):
    def record_assessment(
        self,
        user: UserRef,
        evidence: dict[str, Any],
        result: dict[str, Any],
        origin: Literal["manual", "diary"] = "manual",
    ) -> ds.AssessmentRecordPublic:
        """Keep an assessment's evidence and result (``result`` is ``Assessment.model_dump``)."""
        entry = ds.AssessmentIn.model_construct(
            uid=str(uuid.uuid4()),
            created_at=m.utcnow(),
            origin=origin,
            evidence=evidence,
            result=result,
        )
        with self._sessions.begin() as s:
            row = assessment_row(user.id, entry, entry.uid)
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

    def import_assessments_in(
        self, s: Session, user: UserRef, entries: Iterable[ds.AssessmentIn]
    ) -> ds.ImportReport:
        """Exported assessments back, as they were (uid, time, evidence, result), inside the
        import's transaction; uids already in the diary are skipped."""
        return import_rows(
            s,
            user,
            entries,
            None,
            batch_size=self.import_batch,
            kind="assessment",
            model=m.AssessmentRecord,
            check=lambda _entry, _where: None,  # the schema checked it; nothing KB-bound
            uid_of=lambda entry: entry.uid,  # always given (the export writes it)
            make_row=assessment_row,
        )
