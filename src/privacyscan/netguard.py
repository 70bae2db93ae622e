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

    def chromium_rule(self) -> str:
        target = f"[{self.address}]" if ":" in self.address else self.address
        return f"MAP {self.host} {target}{':' + str(self.port) if self.port else ''}"


def is_forbidden_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


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
        if is_forbidden_address(host):
            return f"{host} is a private, loopback or link-local address; pass --allow-private-network to scan it"
        return None

    def _judge(self, host: str) -> str | None:
        if self.allow_private_network or self.mapped(host):
            return None
        reason = self.name_refusal(host)
        if reason:
            return reason
        for address in _resolve(host):
            if is_forbidden_address(address):
                return f"{host} resolves to {address}, a private, loopback or link-local address; pass --allow-private-network to scan it"
        return None

    def check(self, url: str) -> None:
        reason = self.refusal(url)
        if reason:
            raise RefusedAddress(reason)
