"""A source's canonical ``url`` is never a known mirror, proxy, numeric IP address or an address
with tracking or session data (issue 16 §1); the copy it was read through may stay in
``read_at``. Each kind is refused with its file and place; the shipped KB passes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from twitchcheck.errors import KnowledgeBaseError
from twitchcheck.kb import load_kb, load_kb_from_path
from twitchcheck.kb.addresses import MIRROR_HOSTS, address_problem

#: One address of each kind the validator must refuse, with a word its message must hold.
BAD = [
    ("https://notinline.org/health-conditions/twitching-eyes-and-muscles", "mirror"),
    ("https://patienttalk.org/tag/motor-neurone-disease", "mirror"),
    ("https://axahealth.co.uk/staying-healthy/nhs-factsheets/tics", "mirror"),
    ("https://www.safedalepharmacy.co.uk/conditions/twitching", "mirror"),
    ("https://rachel.core2learn.org/modules/en-medline_plus/ency/article/003296.htm", "mirror"),
    ("https://proxy.weglot.com/wg_1/en/es/pubmed.ncbi.nlm.nih.gov/28680318", "mirror"),
    ("https://onlinelibrary-wiley-com-443.webvpn.zafu.edu.cn/doi/full/10.1002/x", "mirror"),
    ("https://0-bmcneurol-biomedcentral-com.brum.beds.ac.uk/articles/10.1186/x", "mirror"),
    ("https://bibliotheek.ehb.be:2400/topics/en-us/330/prognosis", "mirror"),
    ("https://fdokumen.com/documents/iron.html", "mirror"),
    ("https://studyres.com/doc/6590359/eyelid-myokymia", "mirror"),
    ("https://2x3nejeup2px6qd8ty8d0g0r1eutrh8.roads-uae.com/articles/PMC5440657", "mirror"),
    ("https://healthlinerevive.com/health/als-muscle-twitching", "mirror"),
    ("https://verywellhealth.pages.dev/posts/blepharospasm", "mirror"),
    ("https://wikimili.com/en/Fasciculation", "mirror"),
    ("https://www.scribd.com/document/1/leaflet", "mirror"),
    ("https://vdocuments.mx/leaflet.html", "mirror"),
    ("https://www.readkong.com/page/leaflet", "mirror"),
    ("https://issuhub.com/view/index/1", "mirror"),
    ("https://med.iiab.me/modules/en-cdc/www.cdc.gov/stroke/", "mirror"),
    ("https://coordinatedhealth.com/condition/muscle-twitching/", "mirror"),
    ("https://api-bridge.example.net/pubmed/1", "mirror"),
    ("https://library-example-com.proxy.uni.edu/article/1", "proxy"),
    ("http://47.251.13.51:8081/23616620", "IP address"),
    ("http://[2001:db8::1]/page", "IP address"),
    ("https://www.nhs.uk/conditions/tics/?utm_source=x&utm_medium=y", "utm_medium"),
    ("https://pubmed.ncbi.nlm.nih.gov/1/?fbclid=abc", "fbclid"),
    ("https://example.org/page?gclid=1", "gclid"),
    ("https://example.org/page?sessionid=1", "sessionid"),
    ("https://example.org/page?SID=1", "sid"),
    ("https://example.org/page.jsp;jsessionid=ABC?x=1", "jsessionid"),
    ("https://jnnp.bmj.com/content/68/6/738?ijkey=7fae&keytype2=tf_ipsecsha", "ijkey"),
]

GOOD = [
    "https://www.nhs.uk/conditions/twitching-eyes-and-muscles/",
    "https://www.nice.org.uk/guidance/ng127",
    "https://doi.org/10.1136/practneurol-2013-000557",
    "https://pubmed.ncbi.nlm.nih.gov/23616620/",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC3664389/",
    "https://www.ncbi.nlm.nih.gov/books/NBK532254/",
    # a query that names the page is not tracking
    "https://wikidoc.org/index.php?title=Hyperthyroidism&oldid=1242505",
    # a host that only contains a listed word inside a label is not that host
    "https://abeds.ac.uk.example.org/page",
    "https://scribdlike.org/page",
]


@pytest.mark.parametrize(("url", "word"), BAD)
def test_each_kind_of_bad_address_is_refused(url: str, word: str) -> None:
    problem = address_problem(url)
    assert problem is not None and word in problem, (url, problem)


@pytest.mark.parametrize("url", GOOD)
def test_canonical_addresses_pass(url: str) -> None:
    assert address_problem(url) is None


def test_every_listed_host_is_refused() -> None:
    for entry in MIRROR_HOSTS:
        assert address_problem(f"https://{entry}.example/page") is not None or "." in entry
        assert address_problem(f"https://copy.{entry}/page") is not None, entry


def _edit_sources(folder: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_validator_names_the_file_and_place(mini_kb_copy: Path) -> None:
    def mirror(data: list[dict[str, object]]) -> None:
        data[0]["url"] = "https://notinline.org/health-conditions/x"
        data.append(dict(data[0], id="src_tracked", url="https://www.nhs.uk/x/?utm_source=mail"))

    _edit_sources(mini_kb_copy, mirror)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb_from_path(mini_kb_copy)
    problems = [str(p) for p in info.value.problems]
    last = len(yaml.safe_load((mini_kb_copy / "sources.yaml").read_text())) - 1
    assert any("sources.yaml: [0] (id=src_a) url" in p and "notinline.org" in p for p in problems)
    assert any(
        f"sources.yaml: [{last}] (id=src_tracked) url" in p and "utm_source" in p for p in problems
    )
    assert len(problems) == 2


def test_a_mirror_may_stay_in_read_at(mini_kb_copy: Path) -> None:
    def copy(data: list[dict[str, object]]) -> None:
        data[0]["read_at"] = ["https://notinline.org/health-conditions/x", "http://47.251.13.51/1"]

    _edit_sources(mini_kb_copy, copy)
    kb = load_kb_from_path(mini_kb_copy)
    assert len(next(iter(kb.sources.values())).read_at) == 2


def test_the_shipped_kb_cites_no_mirror() -> None:
    bad = {s.id: address_problem(s.url) for s in load_kb().sources.values()}
    assert not {k: v for k, v in bad.items() if v}
