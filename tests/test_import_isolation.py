"""Importing the engine or the Python API must not pull in any interface stack."""

from __future__ import annotations

import json
import subprocess
import sys

INTERFACE_PACKAGES = {
    "fastapi",
    "starlette",
    "uvicorn",
    "typer",
    "click",
    "rich",
    "sqlalchemy",
    "jinja2",
    "matplotlib",
    "fhir",
    "argon2",
    "psycopg",
    "alembic",
}


def _modules_after(statement: str) -> set[str]:
    """Every module (full dotted names) loaded in a fresh interpreter after ``statement``."""
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def _imported_after(statement: str) -> set[str]:
    """The top-level packages loaded after ``statement``."""
    return {m.split(".")[0] for m in _modules_after(statement)}


def test_engine_and_api_import_no_interface_stack() -> None:
    loaded = _imported_after(
        "import twitchcheck.engine.inference, twitchcheck.engine.triage, twitchcheck.api"
    )
    assert not (loaded & INTERFACE_PACKAGES), loaded & INTERFACE_PACKAGES


def test_the_text_parser_loads_spacy_only_on_first_use() -> None:
    loaded = _imported_after("import twitchcheck.api; twitchcheck.api.default_checker()")
    assert not (loaded & {"spacy", "negspacy", "thinc"}), loaded & {"spacy", "negspacy"}
    parsed = _imported_after("import twitchcheck.api; twitchcheck.api.parse('no weakness')")
    assert {"spacy", "negspacy"} <= parsed


def test_importing_the_package_is_cheap_and_side_effect_free() -> None:
    loaded = _modules_after("import twitchcheck")
    assert "numpy" not in loaded
    assert {m for m in loaded if m.startswith("twitchcheck.")} == set(), loaded


def test_the_diary_analysis_needs_its_database_layer_but_no_web_or_chart_stack() -> None:
    loaded = _imported_after("import twitchcheck.diary.analysis, twitchcheck.diary.service")
    assert "sqlalchemy" in loaded  # the store it reads
    assert not (loaded & (INTERFACE_PACKAGES - {"sqlalchemy"})), loaded & INTERFACE_PACKAGES
