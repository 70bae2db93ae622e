"""Input handling: malformed IPv6 literals and other bad URLs are one-line BadUrl errors, international
domain names are scanned under their punycode name and shown in Unicode, and site ids stay short."""

from __future__ import annotations

import pytest

from privacyscan.urls import BadUrl, display_host, display_url, host_of, parse_site_url, site_id


@pytest.mark.parametrize("raw", ["http://[::1", "http://[not-an-ip]/", "https://[127.0.0.1]/", "http://[::1]]/",
                                 "http://[:::1]/", "https://[fe80::1%25eth0", "http://]::1[/"])
def test_malformed_ipv6_literals_are_a_one_line_bad_url(raw):
    with pytest.raises(BadUrl) as caught:
        parse_site_url(raw)
    assert "\n" not in str(caught.value) and str(caught.value)


def test_a_valid_ipv6_literal_is_kept():
    assert parse_site_url("http://[::1]:8080/a") == "http://[::1]:8080/a"
    assert parse_site_url("https://[2001:DB8::1]/") == "https://[2001:db8::1]/"


def test_an_international_domain_name_is_scanned_in_punycode_and_shown_in_unicode():
    url = parse_site_url("https://www.blåbær.no/")
    assert url == "https://www.xn--blbr-roah.no/"
    assert parse_site_url("WWW.BLÅBÆR.NO") == url  # UTS 46 maps case like a browser
    assert display_host(host_of(url)) == "www.blåbær.no"
    assert display_url(url) == "https://www.blåbær.no/"
    assert parse_site_url("https://münchen.de:8443/weg?q=1") == "https://xn--mnchen-3ya.de:8443/weg?q=1"


def test_ascii_hosts_display_as_they_are_and_bad_punycode_is_shown_raw():
    assert display_host("www.example.no") == "www.example.no"
    assert display_host("xn--zz.no") == "xn--zz.no"  # not valid punycode: show what the site used


def test_characters_a_browser_ignores_in_a_host_are_dropped_as_a_browser_does():
    assert parse_site_url("https://exa\u200bmple.no/") == "https://example.no/"  # zero-width space, UTS 46


@pytest.mark.parametrize("raw", ["https://a\u2028b.no/", "https://xn--.no/x", "https://xn--a.no/",
                                 "https://" + "a" * 64 + ".no/"])
def test_invalid_international_or_overlong_labels_are_refused(raw):
    with pytest.raises(BadUrl):
        parse_site_url(raw)


def long_host(length: int) -> str:
    labels, remaining = [], length - 3  # ".no"
    while remaining > 0:
        size = min(63, remaining - 1 if remaining > 63 else remaining)
        labels.append("a" * size)
        remaining -= size + 1
    host = ".".join(labels) + ".no"
    return host[:length] if len(host) > length else host


def test_a_253_character_host_is_valid_and_its_site_id_stays_short():
    host = long_host(253)
    assert len(host) == 253
    url = parse_site_url(f"https://{host}/")
    sid = site_id(url)
    assert len(sid) <= 100 and sid.startswith("aaaa") and "/" not in sid
    assert sid == site_id(url)  # deterministic per site


def test_a_host_over_253_characters_is_refused():
    with pytest.raises(BadUrl, match="253"):
        parse_site_url(f"https://{long_host(253)}a/")


def test_site_ids_of_long_urls_are_bounded_and_distinct():
    a = site_id("https://www.example.no/" + "x" * 5000)
    b = site_id("https://www.example.no/" + "y" * 5000)
    assert a != b and len(a) <= 100 and len(b) <= 100
    assert site_id("https://www.example.no/").startswith("www.example.no-")  # readable prefix kept
