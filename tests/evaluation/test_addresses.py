"""The leak rule of contracts.md §6 on made-up addresses (never on the test split's cases)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from twitchcheck.errors import EvaluationError
from twitchcheck.evaluation.addresses import (
    addresses_in,
    canonical,
    cited_addresses,
    default_aliases,
    dois_in,
    matches,
    normalise,
    parse_aliases,
    pmc_ids_in,
)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("https://www.Example.org/a/b/", "example.org/a/b"),
        ("http://example.org:80/a#section-2", "example.org/a"),
        ("https://example.org:8443/a", "example.org:8443/a"),
        ("https://example.org/a?utm_source=x&fbclid=y", "example.org/a"),
        ("https://example.org/view.php?ID=12&utm=z&p=3", "example.org/view.php?id=12&p=3"),
        (
            "https://example.org/JournalArticle?Article_ID=1&Journal_ID=2",
            "example.org/journalarticle?article_id=1",
        ),
        ("https://example.org/Cramp%20syndrome/", "example.org/cramp syndrome"),
        ("https://wikidoc.org./index.php/x", "wikidoc.org/index.php/x"),
    ],
)
def test_normalise(address: str, key: str) -> None:
    assert normalise(address) == key


def test_article_ids_whatever_the_host() -> None:
    assert dois_in("https://doi.org/10.1016/S0140-6736(20)30183-5") == {
        "10.1016/s0140-6736(20)30183-5"
    }
    assert dois_in("https://doi.org/10.1016%2FS0140-6736%2820%2930183-5") == {
        "10.1016/s0140-6736(20)30183-5"
    }
    assert dois_in("see (https://x.org/doi/pdf/10.1002/mds.1234.pdf).") == {"10.1002/mds.1234"}
    assert pmc_ids_in("https://europepmc.org/article/PMC/pmc1234567#x") == {"PMC1234567"}
    assert pmc_ids_in("https://europepmc.org/abstract/MED/12345") == set()


def test_addresses_in_text_drop_sentence_punctuation() -> None:
    text = "Read through a mirror, https://mirror.example/page. Also (https://x.org/a_(b))."
    assert addresses_in(text) == ["https://mirror.example/page", "https://x.org/a_(b)"]


def _kb(*sources: dict[str, object]) -> SimpleNamespace:
    return SimpleNamespace(
        sources={s["id"]: SimpleNamespace(**{"note": None, **s}) for s in sources}, rules=()
    )


KB = _kb(
    {
        "id": "proxy_doi",
        "url": "https://onlinelibrary-wiley-com-443.webvpn.example.cn/doi/full/10.1002/ccr3.9999",
    },
    {
        "id": "lancet",
        "url": "https://linkinghub.example.com/retrieve/10.1016/S0140-6736(20)30183-5/fulltext",
    },
    {"id": "pmc", "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/"},
    {"id": "tracked", "url": "https://example.org/health/twitching?utm_source=feed"},
    {"id": "by_id", "url": "https://example.org/page.php?id=1"},
    {"id": "nhs_copy", "url": "https://notinline.org/health-conditions/twitching-eyes-and-muscles"},
    {
        "id": "medline",
        "url": "https://rachel.core2learn.org/modules/en-medline_plus/ency/article/003296.htm",
    },
    {
        "id": "noted",
        "url": "https://original.example/a",
        "note": "Read through https://copy.example/a.",
    },
    {"id": "read", "url": "https://original.example/b", "read_at": ["https://cache.example/b"]},
)


def _leaks(source: str) -> list[tuple[str, str]]:
    aliases = default_aliases()
    return [(m.source_id, m.reason) for m in matches(source, cited_addresses(KB, aliases), aliases)]


@pytest.mark.parametrize(
    ("source", "cited", "why"),
    [
        ("https://doi.org/10.1002/CCR3.9999 — a man of 40", "proxy_doi", "DOI"),
        ("https://doi.org/10.1016/s0140-6736(20)30183-5", "lancet", "DOI"),
        ("https://www.thelancet.com/doi/10.1016%2FS0140-6736%2820%2930183-5", "lancet", "DOI"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567", "pmc", "PMC"),
        ("https://europepmc.org/article/PMC/PMC1234567#abstract", "pmc", "PMC"),
        ("http://www.example.org/health/twitching/?utm_campaign=x&fbclid=y#top", "tracked", "page"),
        ("https://example.org/page.php?utm=q&ID=1", "by_id", "page"),
        ("https://www.nhs.uk/conditions/twitching-eyes-and-muscles/", "nhs_copy", "page"),
        ("https://medlineplus.gov/ency/article/003296.htm", "medline", "page"),
        ("https://copy.example/a/", "noted", "page"),
        ("https://cache.example/b", "read", "page"),
        ("https://pubmed.example/1 — the summary cites https://original.example/b", "read", "page"),
    ],
)
def test_a_leak_is_found(source: str, cited: str, why: str) -> None:
    found = _leaks(source)
    assert [sid for sid, _ in found] == [cited]
    assert why in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "https://doi.org/10.1016/S0140-6736(20)30184-5",  # a neighbouring article
        "https://doi.org/10.1002/ccr3.99990",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC12345678/",
        "https://example.org/page.php?id=2&utm=z",  # another article of the same script
        "https://example.org/health/twitching-more",
        "https://www.nhs.uk/conditions/bells-palsy/",
        "A citation without an address",
    ],
)
def test_no_leak_for_another_page(source: str) -> None:
    assert _leaks(source) == []


def test_each_kb_source_is_named_once() -> None:
    kb = _kb({"id": "both", "url": "https://a.example/x", "read_at": "https://b.example/x"})
    aliases = default_aliases()
    found = matches(
        "https://a.example/x https://b.example/x", cited_addresses(kb, aliases), aliases
    )
    assert [m.source_id for m in found] == ["both"]


def test_the_alias_table_is_checked() -> None:
    with pytest.raises(EvaluationError):
        parse_aliases([{"canonical": "x.org"}])
    with pytest.raises(EvaluationError):
        parse_aliases([{"mirror": "a.org", "pattern": "b", "canonical": "x.org"}])
    table = parse_aliases([{"pattern": r"proxy\.example/[0-9]+/", "canonical": ""}])
    assert (
        canonical("https://proxy.example/123/www.nhs.uk/conditions/tics/", table)
        == "nhs.uk/conditions/tics"
    )
    cycle = parse_aliases(
        [{"mirror": "a.org", "canonical": "b.org"}, {"mirror": "b.org", "canonical": "a.org"}]
    )
    assert canonical("https://a.org/x", cycle) in {"a.org/x", "b.org/x"}  # ends, does not hang
