"""The command line, run in-process through its entry point (exit codes, JSON shapes, errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MINI_KB, VIGNETTES
from twitchcheck.interfaces.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_json_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "assess",
        "--age",
        "34",
        "--sex",
        "female",
        "--yes",
        "twitch_nose,high_caffeine_intake",
        "--no",
        "muscle_weakness",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert {"kb_version", "causes", "triage", "red_flags"} <= data.keys()
    probs = [c["probability"] for c in data["causes"]]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert {"id", "name", "probability", "explanation"} <= data["causes"][0].keys()
    assert data["triage"]["level"] in {"emergency", "urgent", "soon", "routine", "self_care"}
    assert {"level", "advice", "reasons", "safety_net"} <= data["triage"].keys()


def test_assess_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "assess", "--age", "34", "--yes", "twitch_nose")
    assert code == 0
    assert "What to do" in out and "Likely causes" in out and "sources — --sources" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["assess", "--age", "34", "--yes", "twitch_nosee"], "twitch_nose"),  # suggestion
        (
            ["assess", "--age", "34", "--yes", "twitch_nose", "--no", "twitch_nose"],
            "both present and absent",
        ),
        (["assess", "--age", "130", "--yes", "twitch_nose"], "between 0 and 120"),
        (["assess", "--age", "30", "--sex", "robot", "--yes", "twitch_nose"], "Sex must be one of"),
        (
            ["assess", "--age", "30", "--yes", "duration_under_2_weeks,duration_over_3_months"],
            "Only one answer",
        ),
    ],
)
def test_bad_input_is_exit_2_without_traceback(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err.replace("\n", " ")
    assert "Traceback" not in err + out


def test_usage_error_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "assess", "--age", "thirty")
    assert code == 2 and "Traceback" not in err


def test_kb_show_json_has_every_model_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "show", "--json")
    assert code == 0
    data = json.loads(out)
    assert all(isinstance(c["prior"], float) and "age_odds_ratios" in c for c in data["causes"])
    assert all(isinstance(f["leak"], float) for f in data["findings"])
    assert all({"cause", "finding", "probability"} <= link.keys() for link in data["links"])
    assert data["exclusive_groups"] and data["implications"] and data["rules"]


def test_kb_show_one_entry_and_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "show", "als")
    assert code == 0 and "als" in out
    code, _, err = run(capsys, "kb", "show", "alss")
    assert code == 2 and "als" in err


def test_kb_sources_and_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "sources", "--json")
    assert code == 0 and len(json.loads(out)) > 20
    code, out, _ = run(capsys, "kb", "validate")
    assert code == 0 and out.startswith("OK")
    code, out, _ = run(capsys, "kb", "validate", str(MINI_KB))
    assert code == 0 and "mini_kb" in out


def test_kb_validate_broken_folder_lists_problems(
    capsys: pytest.CaptureFixture[str], mini_kb_copy
) -> None:  # type: ignore[no-untyped-def]
    (mini_kb_copy / "links.yaml").write_text(
        "- {cause: nobody, finding: twitch, p: 2, estimate: x}\n"
    )
    code, _, err = run(capsys, "kb", "validate", str(mini_kb_copy))
    assert code == 3
    assert "links.yaml" in err and "Traceback" not in err


def test_evaluate_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "evaluate", str(VIGNETTES), "--json")
    assert code == 0
    report = json.loads(out)
    for key in (
        "n",
        "mode",
        "top1",
        "top3",
        "top5",
        "any_gold_top3",
        "triage_exact",
        "under_triage",
        "over_triage",
        "under_triaged_urgent_ids",
        "brier",
        "by_level",
        "failures",
    ):
        assert key in report
    assert report["n"] >= 60 and report["mode"] == "structured"
    assert all(0.0 <= report[k] <= 1.0 for k in ("top1", "top3", "top5", "triage_exact", "brier"))
    # contracts.md §6
    for key in ("ci95", "confusion", "calibration", "ece", "ece_ci95", "safe_advice"):
        assert key in report
    for key in ("top1", "top3", "top5", "any_gold_top3", "triage_exact", "under_triage"):
        lo, hi = report["ci95"][key]
        assert 0.0 <= lo <= report[key] <= hi <= 1.0
    for level, row in report["by_level"].items():
        for rate in ("triage_exact", "under_triage", "over_triage"):
            lo, hi = report["ci95"][f"{level}.{rate}"]
            assert lo <= row[rate] <= hi
    levels = ["emergency", "urgent", "soon", "routine", "self_care"]
    assert list(report["confusion"]) == levels
    assert sum(sum(row.values()) for row in report["confusion"].values()) == report["n"]
    assert [b["bin"] for b in report["calibration"]] == list(range(10))
    assert sum(b["n"] for b in report["calibration"]) == report["n"]
    assert report["safe_advice"] == pytest.approx(1 - report["under_triage"], abs=1e-6)


def test_evaluate_interview_json_has_items_per_screen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    few = tmp_path / "few.jsonl"
    few.write_text("".join(VIGNETTES.read_text(encoding="utf-8").splitlines(True)[:3]))
    code, out, _ = run(capsys, "evaluate", str(few), "--mode", "interview", "--json")
    assert code == 0
    report = json.loads(out)  # stdout holds the JSON and nothing else
    assert report["mean_questions"] > 0 and report["mean_items"] >= 1


def test_evaluate_readable_shows_confusion_and_intervals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    few = tmp_path / "few.jsonl"
    few.write_text("".join(VIGNETTES.read_text(encoding="utf-8").splitlines(True)[:5]))
    code, out, _ = run(capsys, "evaluate", str(few))
    assert code == 0
    assert "95% interval" in out and "gold level (rows)" in out and "Calibration" in out


def test_vignettes_check_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mini_kb_copy: Path
) -> None:
    case = {
        "id": "m1",
        "source": "https://example.org/a",  # the mini KB's one source
        "age": 30,
        "sex": "male",
        "narrative": "twitching",
        "initial": ["twitch"],
        "present": ["twitch"],
        "absent": [],
        "gold_causes": ["common_thing"],
        "gold_triage": "self_care",
    }
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({**case, "source": "https://cases.example/1"}) + "\n")
    code, out, _ = run(capsys, "vignettes", "check", str(path), "--kb", str(mini_kb_copy))
    assert code == 0 and out.startswith("OK")
    path.write_text(
        json.dumps(case)
        + "\n"
        + json.dumps({**case, "present": ["twitch_sub"], "initial": []})
        + "\n"
    )
    code, out, err = run(capsys, "vignettes", "check", str(path), "--kb", str(mini_kb_copy))
    assert code == 2 and "Traceback" not in out + err
    assert f"{path}:1: m1: source: names what the KB cites as src_a" in out
    assert f"{path}:2: id: duplicate id 'm1'" in out
    assert f"{path}:2: m1: closure: 'twitch_sub' is present" in out
    assert "problem(s)" in err
    code, out, _ = run(capsys, "vignettes", "check", str(path), "--test", "--kb", str(mini_kb_copy))
    assert code == 2 and f"{path}: coverage: no female case" in out


def test_evaluate_bad_file(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "x", "age": -1, "sex": "female", "gold_causes": ["als"], "gold_triage": "soon"}\nnot json\n'
    )
    code, _, err = run(capsys, "evaluate", str(bad))
    assert code == 2
    assert "line 1: age" in err and "line 2: not valid JSON" in err
