"""Who the client is, as far as the server can tell: its address.

``X-Forwarded-For`` is believed only when the connection comes from a configured proxy, and then
read from the right: each proxy appends the address it saw, so the right-most address that is not
one of ours is the last one a trusted machine vouched for. Anything to its left was written by the
client and could be anything (rotating it must not make a new client for a rate limit).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from starlette.types import Scope

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Proxies:
    """The trusted reverse proxies: addresses and networks."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.networks: tuple[Network, ...] = tuple(
            ipaddress.ip_network(e.strip(), strict=False) for e in entries
        )

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, host: str) -> bool:
        address = _address(host)
        if address is None:
            return False
        return any(address.version == n.version and address in n for n in self.networks)


@functools.lru_cache(maxsize=4096)
def _address(host: str) -> Address | None:
    text = host.strip()
    if text.startswith("["):  # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(scope: Scope, proxies: Proxies) -> str:
    """The client's address: the connection's peer, unless the peer is a trusted proxy; then the
    right-most address of ``X-Forwarded-For`` that is not a trusted proxy (the left-most when
    all are). An entry that is not an address ends the walk at the proxy that passed it on."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if not proxies or not proxies.trusts(peer):
        return peer
    values = [v for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
    if not values:
        return peer
    hops = [h.strip() for h in b",".join(values).decode("latin-1").split(",") if h.strip()]
    last = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return last
        if not proxies.trusts(hop):
            return str(address)
        last = str(address)
    return last
