"""evaluate --mode text and text_interview (contracts §6): every key of the other modes plus the
parse metrics, on a few dev cases and on made-up cases with ``stated``."""

from __future__ import annotations

from pathlib import Path

from twitchcheck.api import default_checker
from twitchcheck.evaluation.runner import evaluate
from twitchcheck.evaluation.text_modes import parse_metrics, parse_record
from twitchcheck.evaluation.vignettes import Vignette, load_vignettes

DEV = Path(__file__).resolve().parents[2] / "vignettes" / "dev.jsonl"


def test_text_modes_report_every_key() -> None:
    checker = default_checker()
    cases = load_vignettes(DEV)[:6]
    structured = evaluate(checker, cases, "structured")
    for mode in ("text", "text_interview"):
        report = evaluate(checker, cases, mode)
        assert set(structured) - {"mean_questions", "max_questions", "mean_items"} <= set(report)
        for key in ("parse_precision", "stated_recall", "contradictions", "red_flags_missed"):
            assert key in report
        assert report["stated_cases"] == sum(c.stated is not None for c in cases)
        ci = report["ci95"]
        assert isinstance(ci, dict) and {"parse_precision", "contradictions"} <= set(ci)
    assert "mean_questions" in evaluate(checker, cases, "text_interview")


def _case(narrative: str, present: list[str], absent: list[str], stated: list[str]) -> Vignette:
    return Vignette.model_validate(
        {
            "id": "t1",
            "age": 40,
            "sex": "female",
            "narrative": narrative,
            "present": present,
            "absent": absent,
            "stated": stated,
            "gold_causes": ["stress_anxiety"],
            "gold_triage": "self_care",
        }
    )


def test_parse_metrics_follow_the_contract() -> None:
    checker = default_checker()
    v = _case(
        "my nostril twitches, no weakness, my face dropped",
        present=[
            "twitch_nose_side",
            "twitch_nose",
            "muscle_weakness",
            "facial_droop",
            "sudden_speech_difficulty",
        ],
        absent=[],
        stated=["twitch_nose_side", "muscle_weakness", "facial_droop", "sudden_speech_difficulty"],
    )
    v2 = _case("I slur my words", ["slurred_speech"], [], ["slurred_speech"])
    records = [parse_record(checker, v), parse_record(checker, v2)]
    m = parse_metrics(records, checker.red_flags)
    # parsed: nose_side and the nose it names present (agree), weakness absent (disagrees),
    # droop present (agrees), slurred present (agrees): precision 4/5, contradictions 1/5
    assert m["parse_precision"] == 0.8 and m["contradictions"] == 0.2
    # stated: nose_side yes, weakness no (wrong choice), droop yes, speech no; slurred yes
    assert m["stated_recall"] == 0.6
    assert m["stated_cases"] == 2
    missed = ["muscle_weakness", "sudden_speech_difficulty"]  # both red flags
    assert m["red_flags_missed"] == [{"id": "t1", "findings": missed}]
