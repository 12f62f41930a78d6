"""What the product emits today, through the checker: the diary's FHIR export, fetched the way
the REST tests fetch it (GET /api/v1/diary/export/fhir) from a diary with a profile, an episode,
a check-in and a stored assessment, and written by the CLI (twitchcheck diary export --fhir)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fhir_check import assert_valid, check
from twitchcheck.diary.service import DiaryStore, open_store
from twitchcheck.interfaces.cli import main
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.loader import load_kb

pytestmark = pytest.mark.usefixtures("fhir_definitions")
D = "/api/v1/diary"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One diary, exported once for the module's tests (they only read the export)."""
    folder = tmp_path_factory.mktemp("diary")
    store = open_store(f"sqlite:///{folder / 'diary.sqlite3'}", load_kb())
    try:
        yield _export(store)
    finally:
        store.engine.dispose()


def _export(store: DiaryStore) -> dict[str, Any]:
    client = TestClient(create_app(Settings(rate_limit_per_minute=100_000), store=store))
    writes = [
        client.put(f"{D}/profile", json={"birth_year": 1985, "sex": "female"}),
        client.post(
            f"{D}/episodes",
            json={
                "occurred_at": "2026-04-01T10:00",
                "locations": ["twitch_nose", "twitch_eyelid"],
                "duration_seconds": 12.5,
                "intensity": 4,
                "side": "left",
            },
        ),
        client.post(
            f"{D}/checkins",
            json={
                "on_date": "2026-04-01",
                "answers": {"muscle_weakness": False, "difficulty_swallowing": True},
                "stress": 3,
            },
        ),
        client.post(
            f"{D}/assessments",
            json={
                "age": 40,
                "sex": "female",
                "evidence": [{"id": "twitch_nose", "choice": "present", "initial": True}],
            },
        ),
    ]
    assert [res.status_code for res in writes] == [200, 201, 201, 201], [r.text for r in writes]
    res = client.get(f"{D}/export/fhir")
    assert res.status_code == 200
    body: dict[str, Any] = res.json()
    return body


def test_the_diary_export_bundle_is_valid_r4b(exported: dict[str, Any]) -> None:
    assert exported["resourceType"] == "Bundle" and len(exported["entry"]) >= 4
    assert_valid(exported)


def test_each_exported_resource_is_valid_on_its_own(exported: dict[str, Any]) -> None:
    for entry in exported["entry"]:
        assert_valid(entry["resource"])


def test_the_export_ran_the_invariants_it_should(exported: dict[str, Any]) -> None:
    report = check(exported)
    # Bundle, Observation and Reference rules all ran, and nothing that applied was skipped.
    assert {"bdl-7", "obs-6", "ref-1", "ele-1"} <= report.evaluated
    assert report.skipped == {}
    assert report.summary().startswith("0 errors, ")


def test_the_cli_export_is_valid_r4b(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWITCHCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TWITCHCHECK_DATABASE_URL", raising=False)
    diary = ["diary", "--database-url", f"sqlite:///{tmp_path / 'cli.sqlite3'}"]
    added = [
        main(
            [
                *diary,
                "add",
                "--when",
                "2026-03-20 07:15",
                "--where",
                "twitch_eyelid",
                "--seconds",
                "4",
            ]
        ),
        main([*diary, "checkin", "--date", "2026-03-20", "--no", "muscle_weakness"]),
        main([*diary, "export", "--fhir", str(tmp_path / "diary.fhir.json")]),
    ]
    assert added == [0, 0, 0]
    bundle = json.loads((tmp_path / "diary.fhir.json").read_text(encoding="utf-8"))
    assert len(bundle["entry"]) >= 2
    assert_valid(bundle)
