"""Finding the typed test values in a request, however the page sent them: plain, URL-encoded, base64,
SHA-256 or MD5 of the value as typed or normalised (lower-cased e-mail, E.164 phone), in a query, a form
body or a JSON body; and the pixel parameters that hold a hashed identifier."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import quote

from privacyscan.check.behaviour import hashed_parameters
from privacyscan.crawl.behaviour import VALUE_OF_KIND, find_test_values

EMAIL = VALUE_OF_KIND["email"].typed
PHONE = VALUE_OF_KIND["phone"].typed


def matches(url: str, body: str | None = None) -> set[tuple[str, str, str | None]]:
    return {(m.value.kind, m.encoding, m.parameter) for m in find_test_values(url, body)}


def test_each_encoding_of_the_email_is_found_with_its_parameter():
    assert matches(f"https://x.example/c?v={EMAIL}") == {("email", "plain", "v")}
    assert matches(f"https://x.example/c?v={quote(EMAIL, safe='')}") == {("email", "url-encoded", "v")}
    encoded = base64.b64encode(EMAIL.encode()).decode()
    assert matches("https://x.example/c", f"b={encoded}") == {("email", "base64", "b")}
    lowered = hashlib.sha256(EMAIL.lower().encode()).hexdigest()
    assert matches(f"https://x.example/tr?ud%5Bem%5D={lowered}") == {("email", "sha256", "ud[em]")}
    md5 = hashlib.md5(EMAIL.lower().encode()).hexdigest()  # noqa: S324 - what a page may send
    assert matches("https://x.example/c", json.dumps({"user": {"email": md5}})) == {("email", "md5", "user.email")}


def test_a_lower_cased_plain_email_is_still_the_typed_value():
    assert matches(f"https://x.example/c?e={EMAIL.lower()}") == {("email", "plain", "e")}


def test_the_phone_is_found_as_typed_in_e164_and_hashed_with_the_country_code():
    assert matches(f"https://x.example/c?p={quote(PHONE)}") == {("phone", "url-encoded", "p")}
    assert matches("https://x.example/c", "p=%2B4791735286") == {("phone", "plain", "p")}  # its digits, as typed
    digits = hashlib.sha256(b"4791735286").hexdigest()
    assert matches(f"https://x.example/tr?ud[ph]={digits}") == {("phone", "sha256", "ud[ph]")}
    e164 = hashlib.sha256(b"+4791735286").hexdigest()
    assert matches("https://x.example/c", json.dumps({"events": [{"ph": e164}]})) == {
        ("phone", "sha256", "events[0].ph")}


def test_a_batched_body_names_the_parameter_of_each_value():
    body = json.dumps({"events": [{"t": "input", "value": EMAIL}, {"t": "input", "value": "Kari Probesen"}]})
    assert matches("https://in.example/batch", body) == {("email", "plain", "events[0].value"),
                                                         ("text", "plain", "events[1].value")}


def test_requests_without_the_values_match_nothing():
    assert matches("https://x.example/c?v=kari%40example.org&p=91234567&h=" + "ab" * 32) == set()
    assert find_test_values("https://x.example/c", None, kinds={"phone"}) == []
    # only values already typed are looked for
    assert find_test_values(f"https://x.example/c?v={EMAIL}", None, kinds={"phone"}) == []


def test_pixel_parameters_holding_a_hash_are_identifiers_and_an_event_id_is_not():
    sha = hashlib.sha256(b"ola@example.no").hexdigest()
    assert hashed_parameters(f"https://www.facebook.com/tr/?id=1&ev=PageView&ud[em]={sha}", None) == [
        ("ud[em]", "sha256", "Meta Pixel (advanced matching)")]
    assert hashed_parameters(f"https://www.google.com/pagead/1p-conversion/1/?em=tv.1~em.{sha}", None) == [
        ("em", "sha256", "Google Ads / GA4 enhanced conversions")]
    tiktok = json.dumps({"event": "CompletePayment", "context": {"user": {"email": sha}}})
    assert hashed_parameters("https://analytics.tiktok.com/api/v2/pixel", tiktok) == [
        ("context.user.email", "sha256", "TikTok Pixel (advanced matching)")]
    assert hashed_parameters(f"https://px.ads.linkedin.com/collect?pid=1&hashedEmail={sha}", None)[0][0] == "hashedEmail"
    # decoys: an event id of the same shape, and an identifier parameter holding no hash
    assert hashed_parameters(f"https://www.facebook.com/tr/?id=1&ev=PageView&eid={sha}", None) == []
    assert hashed_parameters("https://www.facebook.com/tr/?id=1&ud[em]=not-a-hash", None) == []
