"""The leak rule of contracts.md §6: does a case's source name a page the knowledge base cites?

Two addresses name the same page when they are equal after :func:`normalise` (percent-decoded;
scheme, ``www.``, port 80/443, trailing slash, fragment and query dropped, except the query
parameters that name an article) and after the committed table of mirror aliases
(``mirror_aliases.yaml``) has mapped each to its canonical page. A DOI or a PMC id names one
article whatever the host, so two addresses holding the same one name the same article. The KB
side is every source's ``url``, its ``read_at`` (the copy it was read through) when the schema
has it, and any address in its ``note`` (where copies were recorded before ``read_at``
existed).

Comparison ignores case: hosts, DOIs and PMC ids are case-insensitive by definition, and for the
rest a false alarm costs a look while a missed leak costs the measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from twitchcheck.errors import EvaluationError

#: Query parameters that name the article, so they stay in the compared address.
ARTICLE_PARAMETERS = frozenset({"p", "id", "article_id", "doi", "pid"})
ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# A DOI: "10.", a registrant code, "/", a suffix; parentheses are part of many suffixes.
DOI = re.compile(r"10\.\d{4,9}/[^\s?#&\"'<>]+", re.IGNORECASE)
PMC_ID = re.compile(r"(?<![a-z0-9])pmc(\d{4,})(?![0-9])", re.IGNORECASE)
_DOI_FILE_ENDINGS = (".pdf", ".html", ".htm", ".xml")


class MirrorAlias(BaseModel):
    """One row of the table: addresses starting with ``mirror`` (a normalised prefix) or
    matching ``pattern`` (a regular expression at the start) name the page at ``canonical``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mirror: str | None = None
    pattern: str | None = None
    canonical: str
    note: str = ""

    @model_validator(mode="after")
    def _one_form(self) -> MirrorAlias:
        if (self.mirror is None) == (self.pattern is None):
            raise ValueError("give exactly one of 'mirror' and 'pattern'")
        if self.pattern is not None:
            re.compile(self.pattern)
        return self

    def apply(self, key: str) -> str | None:
        """The address mapped to its canonical page, or None when this row does not apply."""
        if self.mirror is not None:
            prefix = self.mirror.casefold().rstrip("/")
            if key == prefix or key.startswith(prefix + "/"):
                return self.canonical.casefold().rstrip("/") + key[len(prefix) :]
            return None
        assert self.pattern is not None
        found = re.match(self.pattern, key, flags=re.IGNORECASE)
        return self.canonical.casefold() + key[found.end() :] if found else None


def parse_aliases(data: Any, where: str = "mirror aliases") -> tuple[MirrorAlias, ...]:
    if not isinstance(data, list):
        raise EvaluationError(f"{where}: expected a list of aliases")
    try:
        return tuple(MirrorAlias.model_validate(row) for row in data)
    except (ValidationError, re.error) as exc:
        raise EvaluationError(f"{where}: {exc}") from None


@lru_cache(maxsize=1)
def default_aliases() -> tuple[MirrorAlias, ...]:
    """The committed table, ``twitchcheck/evaluation/mirror_aliases.yaml``."""
    text = (resources.files("twitchcheck.evaluation") / "mirror_aliases.yaml").read_text("utf-8")
    return parse_aliases(yaml.safe_load(text), "mirror_aliases.yaml")


def _trim(text: str) -> str:
    """Drop punctuation that ends a sentence rather than an address; keep balanced brackets."""
    text = text.rstrip(".,;:!")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(".,;:!")
    return text


def addresses_in(text: str) -> list[str]:
    """Every http(s) address in a piece of text, in order."""
    return [_trim(m.group(0)) for m in ADDRESS.finditer(text)]


def normalise(address: str) -> str:
    """The address as compared, before the mirror table: see the module's docstring."""
    decoded = unquote(address.strip())
    parts = urlsplit(decoded if "://" in decoded else "//" + decoded)
    host = parts.netloc.rsplit("@", 1)[-1].casefold().rstrip(".")
    for default_port in (":80", ":443"):
        host = host.removesuffix(default_port)
    host = host.removeprefix("www.")
    path = parts.path.rstrip("/")
    kept = sorted(
        (name.casefold(), value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.casefold() in ARTICLE_PARAMETERS
    )
    query = "?" + "&".join(f"{k}={v}" for k, v in kept) if kept else ""
    return (host + path + query).casefold()


def canonical(address: str, aliases: Sequence[MirrorAlias]) -> str:
    """:func:`normalise`, then the mirror table applied until nothing changes."""
    key = normalise(address)
    for _ in range(8):  # a table could chain mirrors; a cycle must not hang the check
        for alias in aliases:
            mapped = alias.apply(key)
            if mapped is not None:
                # An empty canonical (a proxy whose path holds the real address) leaves "/".
                mapped = mapped.lstrip("/").removeprefix("www.").rstrip("/")
                if mapped != key:
                    key = mapped
                    break
        else:
            return key
    return key


def dois_in(text: str) -> frozenset[str]:
    out = set()
    for m in DOI.finditer(unquote(text)):
        doi = _trim(m.group(0)).casefold().rstrip("/")
        for ending in _DOI_FILE_ENDINGS:
            doi = doi.removesuffix(ending)
        out.add(doi)
    return frozenset(out)


def pmc_ids_in(text: str) -> frozenset[str]:
    return frozenset(f"PMC{m.group(1)}" for m in PMC_ID.finditer(unquote(text)))


def same_doi(a: str, b: str) -> bool:
    """Equal, or one is the other with a path after it (publishers add ``/full``, ``/pdf``,
    ``/abstract`` or a supplement's file after the DOI)."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


@dataclass(frozen=True)
class CitedAddress:
    """One address the KB cites, with what identifies it."""

    source_id: str
    address: str
    key: str
    dois: frozenset[str]
    pmc_ids: frozenset[str]


@dataclass(frozen=True)
class Match:
    source_id: str
    cited: str  # the KB's address
    reason: str  # "the same page (…)", "the same DOI …", "the same PMC id …"


def _read_at(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [v for v in value if isinstance(v, str)]
    return []


def cited_addresses(kb: Any, aliases: Sequence[MirrorAlias]) -> list[CitedAddress]:
    """Every address the KB cites: each source's ``url``, ``read_at`` and note addresses, and a
    rule's ``read_at`` when rules carry one."""
    raw: list[tuple[str, str]] = []
    for source in kb.sources.values():
        raw.append((source.id, source.url))
        raw += [(source.id, a) for a in _read_at(getattr(source, "read_at", None))]
        raw += [(source.id, a) for a in addresses_in(getattr(source, "note", None) or "")]
    for rule in kb.rules:
        raw += [(f"rule {rule.id}", a) for a in _read_at(getattr(rule, "read_at", None))]
    return [
        CitedAddress(sid, a, canonical(a, aliases), dois_in(a), pmc_ids_in(a)) for sid, a in raw
    ]


def matches(
    source_text: str, cited: Sequence[CitedAddress], aliases: Sequence[MirrorAlias]
) -> list[Match]:
    """Where a case's ``source`` names a page or article the KB cites (empty: no leak). Every
    address in the text is checked, and every DOI or PMC id anywhere in it."""
    keys = {canonical(a, aliases): a for a in addresses_in(source_text)}
    dois, pmc_ids = dois_in(source_text), pmc_ids_in(source_text)
    found: list[Match] = []
    for c in cited:
        if any(m.source_id == c.source_id for m in found):
            continue  # one match per KB source: its url and the copy it was read through agree
        if c.key in keys:
            found.append(Match(c.source_id, c.address, f"the same page ({c.key})"))
            continue
        doi = next((d for d in dois for e in c.dois if same_doi(d, e)), None)
        if doi is not None:
            found.append(Match(c.source_id, c.address, f"the same DOI ({doi})"))
            continue
        pmc = next(iter(pmc_ids & c.pmc_ids), None)
        if pmc is not None:
            found.append(Match(c.source_id, c.address, f"the same PMC id ({pmc})"))
    return found
