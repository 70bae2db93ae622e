"""The transfer rules on evidence built by hand: US and Russian recipients are flagged once per
organisation and phase with their DPF status and the Schrems II context; EEA tools, self-hosted Matomo
and a CDN that received nothing identifying are not; youtube-nocookie is flagged lower than youtube."""

from __future__ import annotations

from privacyscan.check import run_checks
from privacyscan.check.transfers import (
    RULES,
    cookie_lifetime_excessive,
    third_country_transfer,
    unclassified_cookie,
    unknown_recipient,
)
from privacyscan.models import Finding, Phase, Severity
from privacyscan.report.recipients_section import recipients_section

from ..builders import FJORDSKO, TRACKED_SHOP_COOKIES, TRACKED_SHOP_REQUESTS, classified, report

request, cookie, evidence_with = FJORDSKO.request, FJORDSKO.cookie, FJORDSKO.evidence_with


def transfers(evidence_requests, cookies=None, phase: Phase = Phase.after_accept) -> dict[str, Finding]:
    ctx = classified(evidence_with(evidence_requests, cookies, which=phase))
    return {f.subject: f for f in third_country_transfer(ctx)}


def test_us_and_russian_recipients_get_one_finding_each_with_legal_context() -> None:
    found = transfers(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES)
    assert set(found) == {
        "Google LLC",
        "Meta Platforms, Inc.",
        "Microsoft Corporation",
        "LinkedIn Corporation",
        "Yandex LLC",
        "TikTok Technology Limited",
    }
    google = found["Google LLC"]
    assert google.rule_id == "third_country_transfer"
    assert google.phase is Phase.after_accept
    assert google.severity is Severity.medium  # DPF-certified, but a client id went with it
    assert "Data Privacy Framework" in google.explanation and "certified" in google.explanation
    assert "Schrems II" in google.explanation and "Austrian DSB" in google.explanation
    assert "Google Ireland Limited" in google.explanation
    assert "GDPR Art. 44" in google.legal_reference
    assert any(e.kind == "request" and e.url and e.page_url and e.at_ms is not None for e in google.evidence)
    assert any(e.kind == "cookie" and "_ga" in e.description for e in google.evidence)
    assert found["Yandex LLC"].severity is Severity.high
    assert "no EU adequacy decision" in found["Yandex LLC"].explanation
    assert "CN" in found["TikTok Technology Limited"].title
    assert "Hotjar Ltd" not in found  # Malta: inside the EEA


def test_google_fonts_alone_is_a_transfer_of_the_ip_address() -> None:
    found = transfers(
        [
            request("https://fonts.googleapis.com/css2?family=Roboto"),
            request("https://fonts.gstatic.com/s/roboto/v1/x.woff2"),
        ]
    )
    fonts = found["Google LLC"]
    assert fonts.severity is Severity.low
    assert "IP address" in fonts.explanation and "3 O 17493/20" in fonts.explanation
    assert fonts.fix.startswith("Self-host the fonts")


def test_youtube_nocookie_is_reported_lower_than_youtube() -> None:
    youtube = transfers([request("https://www.youtube.com/embed/demo123")])["Google LLC"]
    nocookie = transfers([request("https://www.youtube-nocookie.com/embed/demo123")])["Google LLC"]
    assert nocookie.severity.rank < youtube.severity.rank
    assert "youtube-nocookie" in youtube.fix and "on click" in nocookie.fix


def test_recaptcha_and_maps_count_as_transfers() -> None:
    assert "Google LLC" in transfers([request("https://www.google.com/recaptcha/api.js?render=6Lc")])
    assert "Google LLC" in transfers([request("https://maps.googleapis.com/maps/api/js?key=AIza")])


def test_eu_tools_and_self_hosted_matomo_yield_no_us_transfer() -> None:
    found = transfers(
        [
            request("https://www.fjordsko.no/matomo/matomo.php?idsite=1&_id=0123456789abcdef", ids=["_id"]),
            request("https://plausible.io/js/script.js"),
            request("https://plausible.io/api/event"),
            request("https://static.criteo.net/js/ld/publishertag.js"),
            request("https://gum.criteo.com/sync?c=1", cookies=["uid"]),
        ],
        [
            cookie("_pk_id.1.a1b2", days=393),
            cookie("cto_bundle", days=390),
            cookie("uid", domain=".criteo.com", days=390),
        ],
    )
    assert found == {}


def test_cdn_host_that_carries_no_identifier_is_not_a_transfer() -> None:
    assert transfers([request("https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js")]) == {}
    with_cookie = transfers([request("https://cdnjs.cloudflare.com/x.js", cookies=["__cf_bm"])])
    assert "Cloudflare, Inc." in with_cookie


def test_a_finding_per_phase_not_per_request() -> None:
    many = [
        request(f"https://region1.google-analytics.com/g/collect?v=2&cid=1.2&_p={i}", ids=["cid"], at=i)
        for i in range(20)
    ]
    found = transfers(many, phase=Phase.before_consent)
    assert list(found) == ["Google LLC"]
    assert found["Google LLC"].phase is Phase.before_consent
    assert len([e for e in found["Google LLC"].evidence if e.kind == "request"]) == 5


def test_cookie_lifetime_over_13_months_is_flagged_with_its_exact_lifetime() -> None:
    ctx = classified(
        evidence_with(
            TRACKED_SHOP_REQUESTS,
            [
                *TRACKED_SHOP_COOKIES,
                cookie("CookieConsent", days=400),
                cookie("PHPSESSID", days=800),
                cookie("session_only", days=None),
            ],
        )
    )
    found = {f.subject: f for f in cookie_lifetime_excessive(ctx)}
    assert set(found) == {"_ga@.fjordsko.no", "_ga_ABC123@.fjordsko.no", "CookieConsent@.fjordsko.no"}
    assert "730 days" in found["_ga@.fjordsko.no"].title
    assert found["_ga@.fjordsko.no"].severity is Severity.low


def test_unclassified_cookies_and_unknown_recipients_are_one_finding_each() -> None:
    ctx = classified(
        evidence_with(
            [
                request("https://www.fjordsko.no/"),
                request("https://a.mystery-metrics.example/p?u=abc123def456ghi", ids=["u"]),
                request("https://b.other-unknown.example/pixel.gif"),
            ],
            [
                cookie("fr"),
                cookie("basket_x"),
                cookie("PHPSESSID", days=None),
                cookie("zz", domain=".mystery-metrics.example"),
            ],
        )
    )
    cookies = unclassified_cookie(ctx)
    assert len(cookies) == 1 and cookies[0].severity is Severity.info
    assert {"fr", "basket_x", "zz"} <= {e.description.split(" ")[0] for e in cookies[0].evidence}
    assert "PHPSESSID" not in cookies[0].explanation
    recipients = unknown_recipient(ctx)
    assert len(recipients) == 1 and recipients[0].severity is Severity.low
    assert "mystery-metrics.example" in recipients[0].explanation
    assert "other-unknown.example" in recipients[0].explanation
    assert [e.url for e in recipients[0].evidence] == [
        "https://a.mystery-metrics.example/p?u=abc123def456ghi", "https://b.other-unknown.example/pixel.gif"]


def test_catalogued_vendors_their_cookies_and_the_sites_own_hosts_are_neither_unclassified_nor_unknown() -> None:
    """The decoy of the two review lists: a tracked shop where every cookie and recipient is known."""
    ctx = classified(evidence_with([*TRACKED_SHOP_REQUESTS, request("https://www.fjordsko.no/"),
                                    request("https://cdn.fjordsko.no/app.js")],
                                   [*TRACKED_SHOP_COOKIES, cookie("PHPSESSID", days=None)]))
    assert unclassified_cookie(ctx) == []
    assert unknown_recipient(ctx) == []


def test_rules_use_the_classification_from_the_context() -> None:
    ctx = classified(evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    findings = run_checks(ctx, rules=list(RULES))
    assert not [f for f in findings if f.rule_id == "internal_error"]
    assert {f.rule_id for f in findings} >= {"third_country_transfer", "cookie_lifetime_excessive"}


def test_recipients_section_renders_a_table_and_escapes_site_text() -> None:
    hostile = request('https://evil.example/"><script>alert(1)</script>')
    html = recipients_section(report(evidence_with([*TRACKED_SHOP_REQUESTS, hostile], TRACKED_SHOP_COOKIES)))
    assert '<h2 id="recipients-h">Who receives the data</h2>' in html
    assert "Google LLC" in html and "Hotjar Ltd" in html and "certified (checked 23 November 2026)" in html
    assert "<script>" not in html
