"""A KB with errors gets every error listed with its location, and nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from twitchcheck.errors import KnowledgeBaseError
from twitchcheck.kb import load_kb_from_path


def _edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb_from_path(folder)
    return [str(p) for p in info.value.problems]


def test_the_test_kb_is_valid(mini_kb_copy: Path) -> None:
    kb = load_kb_from_path(mini_kb_copy)
    assert len(kb.causes) == 2 and len(kb.links) == 5


def test_every_error_is_listed_with_file_and_location(mini_kb_copy: Path) -> None:
    def break_causes(causes: list) -> None:
        causes[0]["prior"]["value"] = 1.5  # outside (0, 1)
        causes[1]["urgency"] = "whenever"  # not a level
        causes[1]["name"] = 42  # wrong type

    def break_findings(findings: list) -> None:
        findings[0]["leak"]["value"] = 0.0
        findings[1]["colour"] = "red"  # unknown key

    _edit(mini_kb_copy, "causes.yaml", break_causes)
    _edit(mini_kb_copy, "findings.yaml", break_findings)
    problems = _problems(mini_kb_copy)
    joined = "\n".join(problems)
    assert "causes.yaml: [0] (id=common_thing) prior.value" in joined
    assert "causes.yaml: [1] (id=rare_thing) urgency" in joined
    assert "causes.yaml: [1] (id=rare_thing) name" in joined
    assert "findings.yaml: [0] (id=twitch) leak.value" in joined
    assert "findings.yaml: [1] (id=twitch_sub) colour: unknown field" in joined
    assert len(problems) == 5


def test_unknown_ids_duplicates_and_missing_sources(mini_kb_copy: Path) -> None:
    def break_links(links: list) -> None:
        links[0]["finding"] = "twich"  # typo
        links.append(dict(links[1]))  # duplicate link
        links[2]["sources"] = ["nowhere"]
        links[2].pop("estimate", None)

    def break_rules(rules: list) -> None:
        rules[0]["all_of"] = ["weaknes"]

    def dup_cause(causes: list) -> None:
        causes.append(dict(causes[0]))

    _edit(mini_kb_copy, "links.yaml", break_links)
    _edit(mini_kb_copy, "rules.yaml", break_rules)
    _edit(mini_kb_copy, "causes.yaml", dup_cause)
    joined = "\n".join(_problems(mini_kb_copy))
    assert "unknown finding id 'twich' (did you mean twitch" in joined
    assert "duplicate link" in joined
    assert "unknown source id 'nowhere'" in joined
    assert "rules.yaml: [0] (id=rf_weakness) all_of[0]: unknown finding id 'weaknes'" in joined
    assert "causes.yaml: [2] (id=common_thing) id: duplicate id" in joined


def test_number_without_provenance_is_refused(mini_kb_copy: Path) -> None:
    def strip(links: list) -> None:
        links[0].pop("estimate")

    _edit(mini_kb_copy, "links.yaml", strip)
    joined = "\n".join(_problems(mini_kb_copy))
    assert "links.yaml: [0] (id=common_thing->twitch)" in joined
    assert "needs 'sources'" in joined


def test_reference_band_must_be_one(mini_kb_copy: Path) -> None:
    def band(causes: list) -> None:
        causes[1]["prior"]["age_odds_ratios"].append({"min": 30, "max": 60, "value": 2.0})

    _edit(mini_kb_copy, "causes.yaml", band)
    assert any("reference age 40" in p for p in _problems(mini_kb_copy))


def test_yaml_syntax_error_and_missing_file(mini_kb_copy: Path) -> None:
    (mini_kb_copy / "rules.yaml").write_text("- id: [unclosed\n")
    (mini_kb_copy / "anatomy.yaml").unlink()
    joined = "\n".join(_problems(mini_kb_copy))
    assert "rules.yaml: line" in joined and "not valid YAML" in joined
    assert "anatomy.yaml: (file): missing file" in joined


def test_not_a_folder(tmp_path: Path) -> None:
    assert "not a folder" in _problems(tmp_path / "nope")[0]


def test_the_level_type_holds_the_five_level_ids_in_order() -> None:
    """``LevelId`` (the pydantic type) is the one Literal of the level ids: it must agree with
    the levels the rest of the code reads (``LEVELS``, ``TriageLevel``)."""
    from typing import get_args

    from twitchcheck.domain import LEVELS, LevelId, TriageLevel

    assert get_args(LevelId) == LEVELS == tuple(level.value for level in TriageLevel)


def test_roles_name_ids_that_exist_and_each_error_says_where(mini_kb_copy: Path) -> None:
    """The ids code gives a part to (``structure.yaml`` ``roles``) are cross-checked, so that a
    renamed id fails loading instead of switching a feature off silently."""

    def roles(structure: dict) -> None:
        structure["roles"] = {
            "als_cause": "rare_thin",  # typo of a cause
            "als_signs": ["weakness", "weaknes"],  # the second is a typo
            "body_locations": ["twitch", "weakness"],  # weakness is a symptom
            "duration_findings": ["short", "long", "short"],  # listed twice
            "worsening": "worse",  # no such finding
        }

    _edit(mini_kb_copy, "structure.yaml", roles)
    problems = _problems(mini_kb_copy)
    assert problems == [
        "structure.yaml: roles.als_cause: unknown cause id 'rare_thin' (did you mean rare_thing?)",
        "structure.yaml: roles.als_signs[1]: unknown finding id 'weaknes' (did you mean weakness?)",
        "structure.yaml: roles.body_locations[1]: 'weakness' is a symptom finding, not a location",
        "structure.yaml: roles.duration_findings[2]: 'short' is listed twice",
        "structure.yaml: roles.worsening: unknown finding id 'worse'",
    ]


def test_roles_are_read_and_shown(mini_kb_copy: Path) -> None:
    from twitchcheck.kb.export import kb_to_json

    def roles(structure: dict) -> None:
        structure["roles"] = {"als_cause": "rare_thing", "duration_findings": ["short", "long"]}

    _edit(mini_kb_copy, "structure.yaml", roles)
    kb = load_kb_from_path(mini_kb_copy)
    assert kb.roles.als_cause == "rare_thing"
    assert kb.roles.duration_findings == ("short", "long")
    assert kb.roles.body_locations == () and kb.roles.worsening is None
    shown = kb_to_json(kb)["roles"]
    assert shown["duration_findings"] == ["short", "long"] and shown["als_signs"] == []


def test_read_at_takes_one_address_or_a_list_and_refuses_a_non_address(
    mini_kb_copy: Path,
) -> None:
    """A source's ``read_at`` (the copies it was read through) is optional; one address or a list."""
    copy = "https://copy.example.org/page"

    def one(data: list[dict[str, object]]) -> None:
        data[0]["read_at"] = copy

    _edit(mini_kb_copy, "sources.yaml", one)
    kb = load_kb_from_path(mini_kb_copy)
    first = next(iter(kb.sources.values()))
    assert first.read_at == (copy,)
    assert all(s.read_at == () for s in list(kb.sources.values())[1:])

    def bad(data: list[dict[str, object]]) -> None:
        data[0]["read_at"] = [copy, "not an address"]

    _edit(mini_kb_copy, "sources.yaml", bad)
    problems = _problems(mini_kb_copy)
    assert any("sources.yaml" in p and "read_at" in p for p in problems), problems
