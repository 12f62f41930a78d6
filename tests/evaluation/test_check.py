"""``vignettes check`` on made-up files against the two-cause test KB (never on test.jsonl)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from twitchcheck.evaluation.check import (
    Vocabulary,
    check_vignettes,
    coverage_shortfalls,
    load_vocabulary,
)
from twitchcheck.evaluation.vignettes import Vignette
from twitchcheck.kb import KnowledgeBase, load_kb_from_path

# The mirror, proxy and tracked addresses sit in `read_at`: the KB validator refuses them as a
# source's `url` (issue 16), and the leak check reads both fields.
SOURCES = """\
- {id: src_a, title: A, publisher: Test, url: "https://example.org/a", tier: C}
- {id: src_doi, title: D, publisher: Test, tier: A, url: "https://example.org/d",
   read_at: "https://onlinelibrary-wiley-com-443.webvpn.example.cn/doi/full/10.1002/ccr3.9999"}
- {id: src_pmc, title: P, publisher: Test, url: "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/", tier: A}
- {id: src_tracked, title: T, publisher: Test, url: "https://example.org/t", tier: B,
   read_at: "https://example.org/twitching?utm_source=feed"}
- {id: src_nhs_copy, title: N, publisher: NHS (copy), tier: A, url: "https://example.org/n",
   read_at: "https://notinline.org/health-conditions/twitching-eyes-and-muscles"}
"""


@pytest.fixture
def kb(mini_kb_copy: Path) -> KnowledgeBase:
    (mini_kb_copy / "sources.yaml").write_text(SOURCES)
    return load_kb_from_path(mini_kb_copy)


def case(cid: str, **changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": cid,
        "source": f"https://cases.example/{cid}",
        "age": 40,
        "sex": "female",
        "narrative": f"case {cid}: my twitch came back",
        "initial": ["twitch"],
        "present": ["twitch", "short"],
        "absent": ["weakness"],
        "gold_causes": ["common_thing"],
        "gold_triage": "self_care",
    }
    return {**base, **changes}


def write(folder: Path, *cases: dict[str, object], raw: str = "") -> Path:
    path = folder / "made_up.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in cases) + raw, encoding="utf-8")
    return path


def messages(path: Path, kb: KnowledgeBase, **kw: object) -> list[str]:
    return [p.render("f") for p in check_vignettes(path, kb, **kw)]  # type: ignore[arg-type]


def test_a_clean_file_has_no_problem(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = write(tmp_path, case("c1"), case("c2", present=["twitch", "twitch_sub", "long"]))
    assert check_vignettes(path, kb) == []


def test_every_problem_is_listed_with_its_line(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = write(
        tmp_path,
        case("c1"),
        case("c2", present=["twitch_sub", "short"], initial=[]),  # closure gap
        case("c1"),  # duplicate id
        case("c4", narrative="Case C1:  my twitch   came back"),  # duplicate narrative
        case("c5", present=["twitch", "twich"], gold_causes=["commn_thing"]),
        case("c6", present=["twitch", "short", "long"]),  # two of one exclusive group
        case("c7", present=["twitch_sub", "twitch"], absent=["twitch"], initial=[]),
        case("c8", initial=["weakness"], stated=["twitch", "long"]),
        raw="{not json\n",
    )
    got = messages(path, kb)
    assert got == [
        "f:2: c2: closure: 'twitch_sub' is present, so 'twitch' must be present too",
        "f:3: id: duplicate id 'c1' (first on line 1)",
        "f:3: c1: narrative: the same as case c1 (line 1)",
        "f:4: c4: narrative: the same as case c1 (line 1)",
        "f:5: c5: present: unknown finding id 'twich' (did you mean twitch, twitch_sub?)",
        "f:5: c5: gold_causes: unknown cause id 'commn_thing' (did you mean common_thing, rare_thing?)",
        "f:6: c6: closure: at most one of how_long may be present, not short, long",
        "f:7: (case): ids both present and absent: twitch",
        "f:8: (case): initial ids not in present: weakness; "
        "stated ids in neither present nor absent: long",
        "f:9: not valid JSON (Expecting property name enclosed in double quotes)",
    ]


def test_an_absent_parent_contradicts_its_child(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = write(tmp_path, case("c1", present=["twitch_sub"], absent=["twitch"], initial=[]))
    assert messages(path, kb) == [
        "f:1: c1: closure: 'twitch_sub' implies 'twitch', which the case lists absent"
    ]


@pytest.mark.parametrize(
    ("source", "cited", "why"),
    [
        ("https://doi.org/10.1002/CCR3.9999 — a made-up summary", "src_doi", "the same DOI"),
        ("https://europepmc.org/article/PMC/PMC1234567", "src_pmc", "the same PMC id"),
        (
            "http://www.example.org/twitching/?utm_campaign=spring#top",
            "src_tracked",
            "the same page",
        ),
        (
            "https://www.nhs.uk/conditions/twitching-eyes-and-muscles/",
            "src_nhs_copy",
            "the same page",
        ),
    ],
)
def test_leaks(tmp_path: Path, kb: KnowledgeBase, source: str, cited: str, why: str) -> None:
    path = write(tmp_path, case("c1"), case("c2", source=source))
    (only,) = messages(path, kb)
    assert only.startswith(f"f:2: c2: source: names what the KB cites as {cited}: {why}")


def test_vocabulary_ids_the_kb_lacks_are_named_as_such(tmp_path: Path, kb: KnowledgeBase) -> None:
    vocab = Vocabulary(
        causes=frozenset({"common_thing", "rare_thing", "new_cause"}),
        findings=frozenset({"twitch", "twitch_sub", "short", "long", "new_finding"}),
    )
    path = write(
        tmp_path,
        case(
            "c1",
            present=["twitch", "short", "new_finding"],
            absent=[],
            gold_causes=["new_cause"],
        ),
        case("c2", absent=["weakness"]),  # weakness: in the KB, not in this vocabulary
    )
    got = messages(path, kb, vocabulary=vocab)
    assert got == [
        "f:1: c1: present: finding id 'new_finding' is in the vocabulary but the knowledge base "
        "does not define it yet (the case cannot be evaluated until it does)",
        "f:1: c1: gold_causes: cause id 'new_cause' is in the vocabulary but the knowledge base "
        "does not define it yet (the case cannot be evaluated until it does)",
        "f:2: c2: absent: finding id 'weakness' is not in the vocabulary",
    ]


def test_a_vocabulary_file(tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text("causes: {a: A}\nfindings: {b: B, c: C}\n")
    assert load_vocabulary(tmp_path / "v.yaml") == Vocabulary(frozenset("a"), frozenset("bc"))


def test_test_mode_wants_authoring_fields_and_reports_coverage(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    (tmp_path / "BRIEF.md").write_text("the brief\n")
    sha = hashlib.sha256(b"the brief\n").hexdigest()
    good = {"author": "x", "brief_sha": sha, "stated": ["twitch"]}
    path = write(
        tmp_path,
        case("c1", **good),
        case("c2", **{**good, "brief_sha": "0" * 64}, source="see https://a.example/x"),
        case("c3", source="https://a.example/y — also https://b.example/z"),
    )
    got = messages(path, kb, test=True)
    assert got[:6] == [
        "f:2: c2: brief_sha: not the SHA-256 of the BRIEF.md beside the file",
        "f:2: c2: source: must start with the case's own https address",
        "f:3: c3: author: missing (a test case records who wrote it)",
        "f:3: c3: brief_sha: missing (the SHA-256 of the brief the author worked from)",
        "f:3: c3: stated: missing (the findings the narrative itself states)",
        "f:3: c3: source: the summary after the address must hold no other address",
    ]
    assert "f: coverage: 3 case(s) with primary cause 'common_thing', 5 needed" not in got
    assert "f: coverage: 0 case(s) with primary cause 'rare_thing', 3 needed" in got
    assert "f: coverage: 3 case(s) with gold triage 'self_care', 20 needed" in got
    assert "f: coverage: ages 40–40; the cases must reach from 5 or younger to 90 or older" in got
    assert "f: coverage: no male case" in got


def test_coverage_thresholds(kb: KnowledgeBase) -> None:
    def v(i: int, cause: str, level: str, age: int, sex: str) -> Vignette:
        return Vignette.model_validate(
            {**case(f"c{i}", gold_causes=[cause], gold_triage=level), "age": age, "sex": sex}
        )

    levels = ["emergency", "urgent", "soon", "routine", "self_care"]
    cases = [v(i, "common_thing", levels[i % 5], 5 + i % 86, "male") for i in range(100)]
    cases += [v(100 + i, "rare_thing", "soon", 90, "female") for i in range(3)]
    assert coverage_shortfalls(cases, kb) == []
    vocab = Vocabulary(frozenset({"common_thing", "rare_thing", "new_cause"}), frozenset())
    assert coverage_shortfalls(cases[:-1], kb, vocab) == [
        "coverage: 2 case(s) with primary cause 'rare_thing', 3 needed",
        "coverage: 0 case(s) with primary cause 'new_cause', 3 needed",
    ]
