"""The parts of :class:`twitchcheck.diary.service.DiaryStore`, one module per kind of record.

``base`` holds what every part shares (sessions, the acting user, the audit log, the owner
check); ``profile``, ``episodes``, ``checkins`` and ``assessments`` are the records;
``aggregates`` keeps and reads the per-day sums the views use; ``bulk_import`` is the import
loop; ``rows`` turns entries into table rows and back.
"""
