"""The SSRF guard and the host map, shared by the browser and any HTTP privacyscan does itself.

A scanner that runs in a cloud account must not become a way to reach that account's internals
(`169.254.169.254`), the loopback or the private network. Every URL the browser is about to fetch
passes `NetGuard.check`; so does every side-channel request. Addresses the operator named with
`--resolve` are trusted: that is how a staging build or the test fixture web is reached on purpose.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from functools import lru_cache

from .urls import host_of


class RefusedAddress(Exception):
    """A request privacyscan refuses to make; the message says why in one line."""


@dataclass(frozen=True)
class HostMapping:
    """`--resolve HOST:ADDR[:PORT]`: HOST is reached at ADDR (and PORT, for every scheme), like curl."""

    host: str
    address: str
    port: int | None = None

    @classmethod
    def parse(cls, spec: str) -> HostMapping:
        host, sep, rest = spec.partition(":")
        if not sep or not host or not rest:
            raise ValueError(f"--resolve expects HOST:ADDR[:PORT], got {spec!r}")
        if rest.startswith("["):  # [::1]:8443
            addr, _, port = rest[1:].partition("]")
            port = port.lstrip(":")
        elif rest.count(":") == 1:
            addr, port = rest.split(":")
        else:
            addr, port = rest, ""
        try:
            ipaddress.ip_address(addr)
        except ValueError as exc:
            raise ValueError(f"--resolve address must be an IP address, got {addr!r}") from exc
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise ValueError(f"--resolve port must be 1-65535, got {port!r}")
        return cls(host.lower(), addr, int(port) if port else None)



_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598 shared space; 100.100.100.200 is a cloud metadata address
# Not globally routable, yet `is_global` says so on Python 3.11 (fixed in later releases), or ranges whose
# whole purpose is local: refused by name so the decision does not depend on the interpreter's tables.
_SPECIAL_PURPOSE_V4 = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
))
_IPV4_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 address
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: translates into a local network
_SPECIAL_PURPOSE_V6 = tuple(ipaddress.ip_network(n) for n in (
    "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "fc00::/7", "fe80::/10", "fec0::/10",
))


def _ipv4_refusal(ip: ipaddress.IPv4Address) -> str | None:
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if ip in _CGNAT:
        return "shared (carrier-grade NAT)"
    if ip.is_multicast:
        return "multicast"
    if not ip.is_global or any(ip in net for net in _SPECIAL_PURPOSE_V4):
        return "special-purpose"
    return None


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address carries, by the form that carries it: IPv4-mapped, NAT64,
    6to4 (2002::/16) or Teredo (2001::/32, the client's address is the inverted last 32 bits)."""
    if ip in _IPV4_MAPPED:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip in _NAT64_WELL_KNOWN or ip in _NAT64_LOCAL_USE:
        return "NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]
    return None


def address_refusal(address: str) -> str | None:
    """Why privacyscan will not connect to this IP address (a few words), or None when it is globally
    routable. An IPv6 address that carries an IPv4 address is judged by that address too: 6to4
    `2002:a9fe:a9fe::1` is 169.254.169.254. Anything that is not an IP address gives None (names are
    resolved, then judged by their addresses)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return None
    if ip.version == 4:
        return _ipv4_refusal(ip)
    embedded = embedded_ipv4(ip)
    if embedded:
        form, v4 = embedded
        inner = _ipv4_refusal(v4)
        if inner:
            return f"{form} form of {v4}, a {inner} address"
        if ip in _NAT64_LOCAL_USE:
            return "local-use NAT64"
        if form in ("IPv4-mapped", "NAT64"):
            return None  # the packet goes to the public IPv4 address it names
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private or ip.is_site_local or any(ip in net for net in _SPECIAL_PURPOSE_V6):
        return "private or special-purpose"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


def is_forbidden_address(address: str) -> bool:
    """True for any IP address that is not globally routable (see `address_refusal`)."""
    return address_refusal(address) is not None


@lru_cache(maxsize=4096)
def _resolve(host: str) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return ()
    return tuple(sorted({info[4][0] for info in infos}))


@dataclass
class NetGuard:
    mappings: tuple[HostMapping, ...] = ()
    allow_private_network: bool = False
    _verdicts: dict[str, str | None] = field(default_factory=dict)

    def mapped(self, host: str) -> HostMapping | None:
        host = host.lower()
        for m in self.mappings:
            if m.host == host or (m.host.startswith("*.") and host.endswith(m.host[1:])) or m.host == "*":
                return m
        return None

    def refusal(self, url: str) -> str | None:
        """None when the URL may be fetched, else the reason (one line). Resolves DNS (cached)."""
        host = host_of(url)
        if not host:
            return None
        if host in self._verdicts:
            return self._verdicts[host]
        verdict = self._judge(host)
        self._verdicts[host] = verdict
        return verdict

    def name_refusal(self, host: str) -> str | None:
        """The verdict that needs no DNS: operator mappings, loopback names and address literals.
        The proxy resolves by itself (asynchronously) and checks each address with is_forbidden_address."""
        if self.allow_private_network or self.mapped(host):
            return None
        if host == "localhost" or host.endswith(".localhost"):
            return f"{host} is a loopback name; pass --allow-private-network to scan it"
        why = address_refusal(host)
        if why:
            return (f"{host} is not a public address ({why}); private, loopback, link-local and special-purpose "
                    "addresses need --allow-private-network")
        return None

    def _judge(self, host: str) -> str | None:
        if self.allow_private_network or self.mapped(host):
            return None
        reason = self.name_refusal(host)
        if reason:
            return reason
        for address in _resolve(host):
            why = address_refusal(address)
            if why:
                return (f"{host} resolves to {address}, not a public address ({why}); private, loopback, "
                        "link-local and special-purpose addresses need --allow-private-network")
        return None

    def check(self, url: str) -> None:
        reason = self.refusal(url)
        if reason:
            raise RefusedAddress(reason)
