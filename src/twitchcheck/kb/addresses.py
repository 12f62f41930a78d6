"""What a source's canonical ``url`` may not be: a mirror, a proxy, a copy site, or an address
carrying tracking or session data (issue 16 §1, "Evidence a reader can follow").

A source cites the page a reader can open and trust (nhs.uk, nice.org.uk, https://doi.org/...,
PubMed or PMC, the publisher). The copy it was actually read through goes in ``read_at``, which
these checks leave alone: a mirror is an honest record of how a page was read, never a citation.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlsplit

#: Hosts known to serve copies of other sites' pages (NHS text re-published by pharmacies and
#: syndication sites, offline library bundles, document-dump sites), or to proxy them (university
#: and library log-in proxies, a translation proxy). Each entry is matched as whole host labels:
#: ``beds.ac.uk`` matches ``brum.beds.ac.uk`` but not ``abeds.ac.uk``; a one-label entry such as
#: ``webvpn`` matches any host with that label (``webvpn.zafu.edu.cn``). Add a host here when a
#: review finds one; the tests in ``tests/kb/test_canonical_addresses.py`` cover each kind.
MIRROR_HOSTS: tuple[str, ...] = (
    # NHS or health text re-published (syndication, pharmacies, insurers, forums)
    "notinline.org",
    "safedalepharmacy",
    "axahealth",
    "patienttalk.org",
    "clearchemist",
    "1stchoicepharmacy",
    "nicswell",
    "chartermedicalcentre",
    "roads-uae",
    "healthlinerevive",
    "verywellhealth.pages.dev",
    "coordinatedhealth",
    # offline and library bundles of other sites (Internet-in-a-Box, RACHEL)
    "iiab.me",
    "core2learn",
    # log-in, library and translation proxies
    "api-bridge",
    "weglot",
    "webvpn",
    "bibliotheek",
    "beds.ac.uk",
    "mdedge-cache",
    # document-dump and wiki-copy sites
    "fdokumen",
    "studyres",
    "wikimili",
    "scribd",
    "vdocuments",
    "readkong",
    "issuhub",
    "liquisearch",
)

#: Query parameters that track a click or carry a session or personal access key: the page is the
#: same without them, and with them the address is tied to one reader's visit. ``utm_`` is a prefix.
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)
TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        # advertising and newsletter click ids
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        # sessions and personal access keys
        "sessionid",
        "session_id",
        "sid",
        "jsessionid",
        "phpsessid",
        "aspsessionid",
        "cfid",
        "cftoken",
        "ijkey",
        "keytype",
        "keytype2",
        "token",
        "access_token",
        # redirect and visit artefacts seen in this KB's sources (the page is the same without)
        "footprints",
        "redate",
        "ruleredirectid",
    }
)

# An EZproxy-style rewritten host: the proxied site's name with its dots turned to dashes, in
# front of the library's own domain (``0-bmcneurol-biomedcentral-com.brum.beds.ac.uk``,
# ``onlinelibrary-wiley-com-443.webvpn.zafu.edu.cn``).
_REWRITTEN_HOST = re.compile(r"^(?:0-)?[a-z0-9-]+-(?:com|org|net|edu|gov)(?:-\d+)?$")


def _host_labels(host: str) -> list[str]:
    return [label for label in host.lower().strip(".").split(".") if label]


def _matches(labels: list[str], entry: str) -> bool:
    want = entry.split(".")
    n = len(want)
    return any(labels[i : i + n] == want for i in range(len(labels) - n + 1))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def address_problem(url: str) -> str | None:
    """Why ``url`` cannot be a source's canonical address, or None when it can."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        return "the address has no host"
    if _is_ip(host):
        return f"'{host}' is a numeric IP address; cite the site's own name"
    labels = _host_labels(host)
    for entry in MIRROR_HOSTS:
        if _matches(labels, entry):
            return (
                f"'{host}' is a known mirror or proxy ({entry}); cite the canonical page "
                "and put this copy in 'read_at'"
            )
    if len(labels) > 2 and _REWRITTEN_HOST.match(labels[0]):
        return f"'{host}' is a proxy's rewritten address; cite the canonical page"
    names = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    # a session id may also ride in the path (``page.jsp;jsessionid=...``)
    names += [p.split("=", 1)[0].lower() for p in parts.path.split(";")[1:]]
    bad = sorted({n for n in names if n in TRACKING_PARAMETERS or n.startswith(TRACKING_PREFIXES)})
    if bad:
        return (
            f"the address carries tracking or session parameters ({', '.join(bad)}); "
            "cite it without them"
        )
    return None
