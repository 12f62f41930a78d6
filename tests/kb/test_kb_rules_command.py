"""``twitchcheck kb rules``: every triage rule with its level, kind and source, on one screen."""

from __future__ import annotations

import json

import pytest

from twitchcheck.interfaces.cli import main
from twitchcheck.kb import load_kb


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_kb_rules_json_lists_every_rule_with_level_kind_and_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "kb", "rules", "--json")
    assert code == 0
    rows = json.loads(out)
    kb = load_kb()
    assert [r["id"] for r in rows] == [r.id for r in kb.rules]
    by_id = {r["id"]: r for r in rows}
    swallowing = by_id["rf_difficulty_swallowing"]
    assert swallowing["level"] == "urgent" and swallowing["kind"] == "red_flag"
    assert swallowing["source"] == {
        "id": "nhs_dysphagia",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/swallowing-problems-dysphagia/",
    }
    assert by_id["rf_sudden_vision_problems"]["level"] == "emergency"
    for row in rows:
        assert row["level"] in {"emergency", "urgent", "soon", "routine", "self_care"}
        assert row["kind"] in {"red_flag", "combination", "time_course"}
        assert row["source"]["url"].startswith("http")
        assert row["sources"][0] == row["source"]["id"]


def test_kb_rules_table_has_one_line_per_rule_most_urgent_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out = run(capsys, "kb", "rules")
    assert code == 0
    kb = load_kb()
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    rows = [
        line.split()
        for line in lines
        if line.split()[:1] in (["emergency"], ["urgent"], ["soon"], ["routine"], ["self_care"])
    ]
    assert len(rows) == len(kb.rules)  # one line each: the list fits one screen's width
    order = ["emergency", "urgent", "soon", "routine", "self_care"]
    levels = [row[0] for row in rows]
    assert levels == sorted(levels, key=order.index)
    facial = next(row for row in rows if row[2] == "rf_facial_droop")
    assert facial[:2] == ["emergency", "red_flag"] and facial[3] == "nhs_stroke_symptoms"
