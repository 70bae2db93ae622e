"""URL hygiene, site identity and the SSRF guard's decisions (no sockets: literals and mapped hosts)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from privacyscan.netguard import HostMapping, NetGuard, is_forbidden_address
from privacyscan.urls import (
    BadUrl,
    normalise,
    parse_site_url,
    registrable_domain,
    same_site,
    scan_id,
    site_id,
)


@pytest.mark.parametrize("raw", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/", "data:text/html,x"])
def test_only_http_and_https_can_be_scanned(raw):
    with pytest.raises(BadUrl, match="unsupported URL scheme"):
        parse_site_url(raw)


@pytest.mark.parametrize("raw", ["", "https://", "http://exa mple.com/", "https://example.com:99999/", "https://a..b/"])
def test_malformed_urls_are_refused_with_a_reason(raw):
    with pytest.raises(BadUrl):
        parse_site_url(raw)


def test_a_bare_host_becomes_an_https_url():
    assert parse_site_url("www.example.no") == "https://www.example.no/"
    assert parse_site_url("shop.example:8080/a") == "https://shop.example:8080/a"


def test_registrable_domains_follow_the_public_suffix_list():
    assert registrable_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("static.vg.no") == "vg.no"
    assert registrable_domain("foo.github.io") == "foo.github.io"  # a private suffix is its own site
    assert same_site("www.nav.no", "tjenester.nav.no") and not same_site("vg.no", "vg.no.evil.com")
    assert registrable_domain("127.0.0.1") == "127.0.0.1"


def test_normalisation_removes_fragments_default_ports_and_bounds_queries():
    assert normalise("HTTPS://Www.Example.no:443/a/#top") == "https://www.example.no/a"
    assert normalise("http://example.no//b//c/") == "http://example.no/b/c"
    assert normalise("http://example.no/?b=2&a=1") == "http://example.no/?a=1&b=2"
    assert normalise("http://example.no/?a=1&b=2&c=3&d=4&e=5") == "http://example.no/?a=1&b=2&c=3"
    assert normalise("mailto:x@example.no") is None


def test_ids_are_safe_and_deterministic():
    assert site_id("https://www.example.no/") == site_id("https://www.example.no/")
    assert "/" not in site_id("https://www.example.no/a/b")
    # Issue 11 item 7: a scan id is deterministic only for a scheduled slot (a redelivered message finds its
    # report); the former "same start time, same id" assertion is now the slot's, see test_scan_ids.py.
    slot = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert scan_id("https://x/", "2026-11-23T10:00:00+00:00", slot) == scan_id("https://x/", "2026-11-23T10:00:05+00:00", slot)
    assert scan_id("https://x/", "2026-11-23T10:00:00+00:00") != scan_id("https://x/", "2026-11-23T10:00:01+00:00")


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.0.0.8", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "0.0.0.0",
                "::ffff:127.0.0.1", "fd00::1"],
)
def test_private_loopback_and_link_local_addresses_are_forbidden(address):
    assert is_forbidden_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.1", "2a00:1450:4001::1"])
def test_public_addresses_are_allowed(address):
    assert not is_forbidden_address(address)


def test_guard_refuses_private_literals_unless_allowed_or_mapped():
    guard = NetGuard()
    assert "private" in guard.refusal("http://169.254.169.254/latest/meta-data/")
    assert "loopback" in guard.refusal("http://localhost:8000/")
    assert NetGuard(allow_private_network=True).refusal("http://10.0.0.1/") is None
    mapped = NetGuard(mappings=(HostMapping.parse("staging.example.no:127.0.0.1:8443"),))
    assert mapped.refusal("https://staging.example.no/") is None  # the operator named it
    assert mapped.refusal("http://127.0.0.1:8443/") is not None  # but not the address itself


def test_resolve_specs_parse_like_curl():
    assert HostMapping.parse("www.example.no:127.0.0.1") == HostMapping("www.example.no", "127.0.0.1", None)
    assert HostMapping.parse("a.example:[::1]:8443") == HostMapping("a.example", "::1", 8443)
    for bad in ("nohost", "a.example:not-an-ip", "a.example:127.0.0.1:99999"):
        with pytest.raises(ValueError):
            HostMapping.parse(bad)
