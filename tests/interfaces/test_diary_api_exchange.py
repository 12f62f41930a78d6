"""Issue 18 #6 over REST: the export zip carries assessments and the profile, and importing it
into an emptied diary brings them back."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient

from twitchcheck.diary.service import DiaryStore
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

D = "/api/v1/diary"


def test_export_zip_import_brings_assessments_and_profile_back(store: DiaryStore) -> None:
    client = TestClient(create_app(Settings(rate_limit_per_minute=100_000), store=store))
    client.put(f"{D}/profile", json={"birth_year": 1980, "sex": "male"})
    made = client.post(
        f"{D}/assessments",
        json={"age": 45, "sex": "male", "evidence": [{"id": "twitch_nose", "choice": "present"}]},
    )
    assert made.status_code == 201, made.text
    before = client.get(f"{D}/assessments").json()
    exported = client.get(f"{D}/export/csv").content
    with zipfile.ZipFile(io.BytesIO(exported)) as zf:
        assert {"assessments.csv", "profile.csv"} <= set(zf.namelist())
    assert client.delete(D).json()["assessments"] == 1
    back = client.post(f"{D}/import", files={"file": ("diary.zip", exported)})
    assert back.status_code == 200, back.text
    assert back.json()["added"] == 1
    after = client.get(f"{D}/assessments").json()
    assert [{k: v for k, v in a.items() if k != "id"} for a in after] == [
        {k: v for k, v in a.items() if k != "id"} for a in before
    ]
    assert client.get(f"{D}/profile").json() == {
        "birth_year": 1980,
        "sex": "male",
        "time_zone": None,
    }
