"""Everything in the diary out as CSV and as a FHIR R4B Bundle, and back in from CSV.

The formats live apart: :mod:`.csv_exchange` (export, the column lists), :mod:`.csv_import` and
:mod:`.fhir_export` (the Bundle and the checks ``fhir.resources`` does not make). This module is
their front door.
"""

from __future__ import annotations

from twitchcheck.diary.csv_exchange import (
    ASSESSMENT_COLUMNS,
    CHECKIN_COLUMNS,
    EPISODE_COLUMNS,
    PROFILE_COLUMNS,
    export_csv,
)
from twitchcheck.diary.csv_import import CsvImportReport, import_csv
from twitchcheck.diary.fhir_export import check_bundle, export_fhir

__all__ = [
    "ASSESSMENT_COLUMNS",
    "CHECKIN_COLUMNS",
    "EPISODE_COLUMNS",
    "PROFILE_COLUMNS",
    "CsvImportReport",
    "check_bundle",
    "export_csv",
    "export_fhir",
    "import_csv",
]
