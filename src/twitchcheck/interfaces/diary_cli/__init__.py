"""``twitchcheck diary ...``: the twitch diary on the command line.

Thin wrappers over :class:`twitchcheck.diary.service.DiaryStore` and the analysis, report and
exchange modules. Single user (the store's local user). The database is ``--database-url``, else
``$TWITCHCHECK_DATABASE_URL``, else SQLite in the user's data folder (``$TWITCHCHECK_DATA_DIR``).
Errors are raised as :class:`~twitchcheck.errors.TwitchcheckError` and turned into exit codes by
``twitchcheck.interfaces.cli.main`` (bad input: exit 2, one line, nothing stored).

:mod:`.common` holds the group, its database option and what every command shares; the
commands are in :mod:`.entry_commands` (add, checkin, profile), :mod:`.view_commands` (list,
status, report) and :mod:`.data_commands` (export, import, delete). They are registered below,
in the order ``--help`` lists them.
"""

from __future__ import annotations

from twitchcheck.interfaces.diary_cli.common import DiaryContext, diary_app
from twitchcheck.interfaces.diary_cli.data_commands import delete_cmd, export_cmd, import_cmd
from twitchcheck.interfaces.diary_cli.entry_commands import add_cmd, checkin_cmd, profile_cmd
from twitchcheck.interfaces.diary_cli.view_commands import list_cmd, report_cmd, status_cmd

__all__ = ["DiaryContext", "diary_app"]

for _name, _command in (
    ("add", add_cmd),
    ("checkin", checkin_cmd),
    ("profile", profile_cmd),
    ("list", list_cmd),
    ("status", status_cmd),
    ("report", report_cmd),
    ("export", export_cmd),
    ("import", import_cmd),
    ("delete", delete_cmd),
):
    diary_app.command(_name)(_command)
