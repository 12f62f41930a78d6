"""The import loop shared by episodes and check-ins: one transaction, all problems or nothing.

``entries`` is consumed once, in batches, so a million rows never sit in memory at once. A
parser may hand in a :class:`RecordError` for a row it could not read: every problem is
collected, and if there is any all of them are raised together and the caller's transaction
rolls back, so nothing is half-imported. The caller owns the transaction, so an import of
episodes and check-ins together (a folder) is one transaction. Uids already in the diary (or
earlier in the same import) are skipped; an entry without a uid gets one from its whole
content, so only an entry equal in every field is a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.records.base import Owned, Progress, UserRef, audit_in
from twitchcheck.errors import RecordError

T = TypeVar("T")
Entry = TypeVar("Entry", ds.EpisodeIn, ds.CheckInIn, ds.AssessmentIn)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_rows(
    s: Session,
    user: UserRef,
    entries: Iterable[Entry | RecordError],
    progress: Progress | None,
    *,
    batch_size: int,
    kind: str,
    model: type[Owned],
    check: Callable[[Entry, str], None],
    uid_of: Callable[[Entry], str],
    make_row: Callable[[int, Entry, str], Owned],
    legacy_uid_of: Callable[[Entry], str] | None = None,
    as_entry: Callable[[Owned], Entry] | None = None,
    after_flush: Callable[[Session, list[Owned]], None] | None = None,
) -> ds.ImportReport:
    """Store ``entries`` of one ``kind`` for ``user`` inside the caller's transaction ``s``.

    Raises :class:`RecordError` with every problem found; the caller's transaction then rolls
    back, so nothing of the import (of any kind it holds) is stored.
    """
    problems: list[tuple[str, str]] = []
    added = skipped = rows_seen = 0
    seen: set[str] = set()
    for chunk in batches(entries, batch_size):
        good: list[Entry] = []
        for offset, entry in enumerate(chunk, start=rows_seen + 1):
            if isinstance(entry, RecordError):
                problems.extend(entry.problems)
                continue
            try:
                check(entry, f"row {offset}: ")
            except RecordError as exc:
                problems.extend(exc.problems)
                continue
            good.append(entry)
        rows_seen += len(chunk)
        if progress:
            progress(len(chunk))
        if problems:  # keep reading to report every bad row, but store nothing more
            continue
        uids = [e.uid or uid_of(e) for e in good]
        existing = set(
            s.scalars(select(model.uid).where(model.user_id == user.id, model.uid.in_(uids)))
        )
        if legacy_uid_of and as_entry:
            existing |= _legacy_duplicates(s, user, model, good, uid_of, legacy_uid_of, as_entry)
        rows: list[Owned] = []
        for entry, uid in zip(good, uids, strict=True):
            if uid in existing or uid in seen:
                skipped += 1
                continue
            seen.add(uid)
            rows.append(make_row(user.id, entry, uid))
        if rows:
            s.add_all(rows)
            s.flush()
            if after_flush:
                after_flush(s, rows)
            s.expunge_all()  # keep the session small on big imports
            added += len(rows)
    if problems:
        raise RecordError(problems)
    audit_in(s, user, f"{kind}.import", f"{kind}s:{added}")
    return ds.ImportReport(rows=rows_seen, added=added, skipped_duplicates=skipped)


def _legacy_duplicates(
    s: Session,
    user: UserRef,
    model: type[Owned],
    good: list[Entry],
    uid_of: Callable[[Entry], str],
    legacy_uid_of: Callable[[Entry], str],
    as_entry: Callable[[Owned], Entry],
) -> set[str]:
    """Content uids of rows that releases before issue 18 stored under a uid made from part of
    their content: such a row is a duplicate only of an entry whose whole content is equal."""
    legacy = [legacy_uid_of(e) for e in good if not e.uid]
    if not legacy:
        return set()
    old = s.scalars(select(model).where(model.user_id == user.id, model.uid.in_(legacy)))
    return {uid_of(as_entry(row)) for row in old}
