"""The SSRF guard's decision as a table: every address that is not globally routable is refused, and an
IPv6 address that carries an IPv4 address is judged by that address too. Decision function only: nothing
here connects anywhere."""

from __future__ import annotations

import pytest

from privacyscan.netguard import NetGuard, address_refusal, embedded_ipv4, is_forbidden_address

REFUSED = [
    # address, why (a fragment of the one-line reason)
    ("127.0.0.1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),  # AWS/GCP/Azure metadata
    ("0.0.0.0", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.100.100.200", "carrier-grade NAT"),  # Alibaba Cloud metadata
    ("100.127.255.255", "carrier-grade NAT"),
    ("192.0.0.192", "special-purpose"),  # Oracle Cloud metadata
    ("192.0.0.8", "special-purpose"),
    ("198.18.0.1", ""),  # benchmarking (private or special-purpose, by Python version)
    ("240.0.0.1", ""),  # reserved
    ("224.0.0.251", "multicast"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fd00::1", "private"),
    ("fec0::1", "special-purpose"),  # deprecated site-local
    ("2001:db8::1", "special-purpose"),  # documentation
    ("ff0e::1", "multicast"),
    ("::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1"),
    ("::ffff:169.254.169.254", "IPv4-mapped form of 169.254.169.254"),
    ("::ffff:100.100.100.200", "IPv4-mapped form of 100.100.100.200"),
    ("2002:a9fe:a9fe::1", "6to4 form of 169.254.169.254"),
    ("2002:7f00:1::", "6to4 form of 127.0.0.1"),
    ("2002:c000:c0::1", "6to4 form of 192.0.0.192"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo form of 10.0.0.1"),  # client = inverted last 32 bits
    ("2001:0:4136:e378:8000:63bf:5601:5601", "Teredo form of 169.254.169.254"),
    ("64:ff9b::a9fe:a9fe", "NAT64 form of 169.254.169.254"),
    ("64:ff9b::7f00:1", "NAT64 form of 127.0.0.1"),
    ("64:ff9b::6464:64c8", "NAT64 form of 100.100.100.200"),
    ("64:ff9b:1::808:808", "local-use NAT64"),  # RFC 8215: translates into a local network
    ("64:ff9b:1::a00:1", "NAT64 form of 10.0.0.1"),
    ("::8.8.8.8", "reserved"),  # deprecated IPv4-compatible form
]

ALLOWED = [
    "8.8.8.8",
    "151.101.1.1",
    "100.63.255.255",  # just below CGNAT
    "100.128.0.0",  # just above CGNAT
    "192.0.1.1",  # just above 192.0.0.0/24
    "2a00:1450:4001::1",
    "2001:4860:4860::8888",
    "2002:808:808::1",  # 6to4 of a public address
    "64:ff9b::808:808",  # NAT64 of a public address (DNS64 networks)
    "::ffff:8.8.8.8",  # IPv4-mapped public address
]


@pytest.mark.parametrize(("address", "why"), REFUSED)
def test_not_globally_routable_addresses_are_refused(address, why):
    assert is_forbidden_address(address)
    assert why in address_refusal(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_globally_routable_addresses_are_allowed(address):
    assert address_refusal(address) is None
    assert not is_forbidden_address(address)


@pytest.mark.parametrize("name", ["example.com", "www.blåbær.no", "", "not an address"])
def test_names_are_not_judged_as_addresses(name):
    assert address_refusal(name) is None  # a name is resolved first, then its addresses are judged


def test_embedded_ipv4_is_read_from_each_form():
    import ipaddress

    def embedded(address):
        found = embedded_ipv4(ipaddress.IPv6Address(address))
        return (found[0], str(found[1])) if found else None

    assert embedded("::ffff:10.0.0.1") == ("IPv4-mapped", "10.0.0.1")
    assert embedded("64:ff9b::a00:1") == ("NAT64", "10.0.0.1")
    assert embedded("2002:a00:1::") == ("6to4", "10.0.0.1")
    assert embedded("2001:0:4136:e378:8000:63bf:f5ff:fffe") == ("Teredo", "10.0.0.1")
    assert embedded("2a00:1450:4001::1") is None


@pytest.mark.parametrize("url", ["http://100.100.100.200/latest/meta-data/", "http://[2002:a9fe:a9fe::1]/",
                                 "http://192.0.0.192/opc/v2/instance/", "http://[64:ff9b::a9fe:a9fe]/"])
def test_the_guard_refuses_metadata_addresses_in_urls_with_a_one_line_reason(url):
    reason = NetGuard().refusal(url)
    assert reason and "\n" not in reason and "--allow-private-network" in reason
    assert NetGuard(allow_private_network=True).refusal(url) is None
