"""``twitchcheck kb audit``: tiers over every (item, source) pair, items on tier C alone, sourced
versus estimated numbers, unused sources, and the sensitivity run (issue 16 §1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from twitchcheck.evaluation.sensitivity import (
    Parameter,
    _hits,
    perturbed,
    scale_odds,
    sensitivity,
)
from twitchcheck.evaluation.vignettes import Vignette
from twitchcheck.interfaces.cli import main
from twitchcheck.kb import load_kb_from_path
from twitchcheck.kb.audit import audit_evidence
from twitchcheck.kb.export import kb_to_json


def _edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _with_more_sources(folder: Path) -> None:
    def add(sources: list[dict[str, object]]) -> None:
        base = {"title": "T", "publisher": "P"}
        sources.append(base | {"id": "src_b", "url": "https://doi.org/10.1/b", "tier": "A"})
        sources.append(base | {"id": "src_unused", "url": "https://example.org/u", "tier": "B"})

    def cite(statements: list[dict[str, object]]) -> None:
        statements[0]["sources"] = ["src_a", "src_b"]

    _edit(folder, "sources.yaml", add)
    _edit(folder, "statements.yaml", cite)


def test_tiers_are_counted_over_every_item_source_pair(mini_kb_copy: Path) -> None:
    _with_more_sources(mini_kb_copy)
    kb = load_kb_from_path(mini_kb_copy)
    audit = audit_evidence(kb)
    # Counted independently from `kb show --json`: sources, prior_sources, leak_sources.
    data = kb_to_json(kb)
    tier = {s["id"]: s["tier"] for s in data["sources"]}
    expected = {"A": 0, "B": 0, "C": 0}
    for kind in ("causes", "findings", "links", "rules", "anatomy", "treatments", "workup"):
        for entry in data[kind]:
            for key in ("sources", "prior_sources", "leak_sources"):
                for ref in entry.get(key) or []:
                    expected[tier[ref]] += 1
    expected["A"] += 1
    expected["C"] += 1  # the statement cites src_a and src_b
    assert audit.tiers == expected
    assert audit.pairs == sum(expected.values())
    assert audit.share_ab == pytest.approx(expected["A"] / audit.pairs)
    assert audit.unused_sources == ("src_unused",)


def test_items_on_tier_c_alone_are_listed_by_kind(mini_kb_copy: Path) -> None:
    _with_more_sources(mini_kb_copy)
    audit = audit_evidence(load_kb_from_path(mini_kb_copy))
    by_kind = audit.c_alone_by_kind()
    # The statement now also cites a tier A source; everything else rests on src_a (tier C).
    assert by_kind["statements"] == 0
    assert by_kind["rules"] == 1 and by_kind["treatments"] == 1 and by_kind["workup"] == 1
    assert by_kind["causes"] == 2 and by_kind["links"] == 1 and by_kind["anatomy"] == 1
    assert audit.links_c_alone_by_cause() == {"rare_thing": 1}
    items = {(x.kind, x.item) for x in audit.tier_c_alone}
    assert ("links", "rare_thing->weakness") in items and ("rules", "rf_weakness") in items


def test_numbers_are_labelled_sourced_estimated_or_fitted(mini_kb_copy: Path) -> None:
    def fit(links: list[dict[str, object]]) -> None:
        links[0]["estimate"] = "fitted: MAP on dev from 0.7 to 0.8 (test)"

    _edit(mini_kb_copy, "links.yaml", fit)
    numbers = audit_evidence(load_kb_from_path(mini_kb_copy)).numbers
    assert numbers["priors"] == {"sourced": 0, "estimated": 2, "fitted": 0}
    assert numbers["leaks"] == {"sourced": 0, "estimated": 5, "fitted": 0}
    assert numbers["links"] == {"sourced": 1, "estimated": 3, "fitted": 1}


def test_scaling_is_in_odds() -> None:
    assert scale_odds(0.5, 2.0) == pytest.approx(2 / 3)
    assert scale_odds(0.5, 0.5) == pytest.approx(1 / 3)
    assert 0.0 < scale_odds(0.999999, 2.0) < 1.0


CASES = [
    Vignette(id="c1", age=30, sex="female", present=("twitch", "short"), absent=("weakness",),
             gold_causes=("common_thing",), gold_triage="self_care"),
    Vignette(id="c2", age=70, sex="male", present=("twitch", "weakness"),
             gold_causes=("rare_thing",), gold_triage="soon"),
    Vignette(id="c3", age=45, sex="unknown", present=("short",), absent=("weakness",),
             gold_causes=("common_thing",), gold_triage="self_care"),
]  # fmt: skip


def test_sensitivity_tries_what_can_change_an_answer_and_matches_a_full_rerun(
    mini_kb_copy: Path,
) -> None:
    kb = load_kb_from_path(mini_kb_copy)
    report = sensitivity(kb, CASES)
    # No case reports twitch_sub (present or absent, after closure): its leak cannot change an
    # answer and is not tried. Every prior is.
    names = {i.parameter.name for i in report.ranked}
    assert "leak twitch_sub" not in names and "prior rare_thing" in names
    assert report.tried == len(names) and report.unreported >= 1
    base = _hits(kb, CASES)
    for influence in report.ranked:
        for factor, (d_top3, d_triage) in influence.deltas.items():
            full = _hits(perturbed(kb, influence.parameter, factor), CASES)
            assert d_top3 == sum(a for a, _ in full) - sum(a for a, _ in base)
            assert d_triage == sum(b for _, b in full) - sum(b for _, b in base)
    scores = [i.score for i in report.ranked]
    assert scores == sorted(scores, reverse=True)


def test_perturbing_one_number_moves_only_that_number(mini_kb_copy: Path) -> None:
    kb = load_kb_from_path(mini_kb_copy)
    link = Parameter("link", "rare_thing", "weakness", 0.9, "sourced: src_a")
    moved = perturbed(kb, link, 0.5)
    i, j = kb.cause_index["rare_thing"], kb.finding_index["weakness"]
    assert moved.link_matrix[i, j] == pytest.approx(scale_odds(0.9, 0.5))
    assert (moved.link_matrix != kb.link_matrix).sum() == 1
    prior = perturbed(kb, Parameter("prior", "rare_thing", None, 0.001, "x"), 2.0)
    assert prior.cause("rare_thing").prior.value == pytest.approx(scale_odds(0.001, 2.0))
    assert prior.cause("common_thing") == kb.cause("common_thing")


def test_kb_audit_command_json(
    mini_kb_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(v.model_dump_json() + "\n" for v in CASES))
    argv = ["kb", "audit", "--json", "--kb", str(mini_kb_copy), "--dev", str(cases), "--top", "3"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["evidence"]["tiers"]["C"] == report["evidence"]["pairs"]
    sens = report["sensitivity"]
    assert sens["cases"] == 3 and len(sens["most_influential"]) == 3
    assert set(sens["most_influential"][0]["changes"]) == {"x2", "x0.5"}


def test_kb_audit_command_text_without_sensitivity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "audit", "--no-sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "(item, source) pairs" in out and "On tier C alone" in out and "sourced" in out
    assert "Sensitivity" not in out


def test_kb_show_explains_sourced_and_estimated_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "show"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "sourced" in first and "estimated" in first


def test_no_shipped_rule_rests_on_tier_c_alone() -> None:
    """Issue 16: no triage rule on tier C alone (statements: see the audit's list)."""
    from twitchcheck.kb import load_kb

    audit = audit_evidence(load_kb())
    assert audit.c_alone_by_kind()["rules"] == 0, [
        x.item for x in audit.tier_c_alone if x.kind == "rules"
    ]
