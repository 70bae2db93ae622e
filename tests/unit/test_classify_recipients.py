"""Who receives the data, on evidence built by hand (no browser, no sockets): a Norwegian shop that loads
the usual trackers is told each recipient's organisation and country; a first-party cookie that merely
shares a vendor's cookie name is not pinned on the vendor."""

from __future__ import annotations

from privacyscan.classify import classify_evidence, lookup_host
from privacyscan.classify.model import Adequacy, Category, Classification, DpfStatus, Recipient
from privacyscan.models import Phase
from privacyscan.notice import observed_recipients

from ..builders import FJORDSKO, TRACKED_SHOP_COOKIES, TRACKED_SHOP_REQUESTS, phase

SHOP = FJORDSKO
PAGE = SHOP.url
request, cookie, evidence_with = SHOP.request, SHOP.cookie, SHOP.evidence_with


def recipients_of(classification: Classification) -> dict[str, Recipient]:
    phase = classification.phases[0]
    return {r.organisation or ",".join(r.registrable_domains): r for r in phase.recipients}


def test_each_tracker_is_named_with_its_organisation_and_country() -> None:
    classification = classify_evidence(evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    hosts = {h.host: h for h in classification.hosts}
    expected = {
        "region1.google-analytics.com": ("Google LLC", "US", Category.analytics),
        "www.facebook.com": ("Meta Platforms, Inc.", "US", Category.social),
        "connect.facebook.net": ("Meta Platforms, Inc.", "US", Category.advertising),
        "static.hotjar.com": ("Hotjar Ltd", "MT", Category.session_replay),
        "www.clarity.ms": ("Microsoft Corporation", "US", Category.session_replay),
        "px.ads.linkedin.com": ("LinkedIn Corporation", "US", Category.advertising),
        "analytics.tiktok.com": ("TikTok Technology Limited", "IE", Category.advertising),
        "mc.yandex.ru": ("Yandex LLC", "RU", Category.analytics),
        "fonts.googleapis.com": ("Google LLC", "US", Category.fonts),
        "fonts.gstatic.com": ("Google LLC", "US", Category.fonts),
        "www.youtube.com": ("Google LLC", "US", Category.video),
    }
    for host, (organisation, country, category) in expected.items():
        label = hosts[host]
        assert (label.organisation, label.country, label.category) == (organisation, country, category), host
    assert hosts["www.fjordsko.no"].party.value == "first"

    recipients = recipients_of(classification)
    assert recipients["Google LLC"].jurisdiction.eea_entity == "Google Ireland Limited"
    assert recipients["Google LLC"].dpf.status is DpfStatus.certified
    assert {"Google Analytics", "Google Fonts", "YouTube embeds", "Google reCAPTCHA"} <= set(
        recipients["Google LLC"].services
    )
    assert Category.captcha in recipients["Google LLC"].categories
    assert recipients["LinkedIn Corporation"].jurisdiction.eea_entity == "LinkedIn Ireland Unlimited Company"
    assert recipients["LinkedIn Corporation"].jurisdiction.parent == "Microsoft Corporation"
    assert recipients["Meta Platforms, Inc."].jurisdiction.eea_entity == "Meta Platforms Ireland Limited"
    assert recipients["Hotjar Ltd"].jurisdiction.parent == "Contentsquare SAS"
    assert recipients["Hotjar Ltd"].jurisdiction.adequacy is Adequacy.eea
    tiktok = recipients["TikTok Technology Limited"].jurisdiction
    assert (tiktok.parent_country, tiktok.third_country_access) == ("KY", True)
    assert recipients["Yandex LLC"].jurisdiction.adequacy is Adequacy.none
    assert recipients["Yandex LLC"].dpf.status is DpfStatus.not_applicable


def test_recipient_row_lists_hosts_cookies_pages_and_identifiers() -> None:
    classification = classify_evidence(evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    meta = recipients_of(classification)["Meta Platforms, Inc."]
    assert meta.hosts == ["connect.facebook.net", "www.facebook.com"]
    assert set(meta.cookies) == {"_fbp", "fr"}
    assert meta.cookies_sent == ["fr"]
    assert meta.identifiers_sent == ["fbp"]
    assert meta.pages == [PAGE]
    assert meta.requests == 2
    assert meta.examples[0].url.startswith("https://connect.facebook.net/")
    google = recipients_of(classification)["Google LLC"]
    assert {"_ga", "_ga_ABC123"} <= set(google.cookies)


def test_cookies_are_attributed_to_the_vendor_the_phase_talked_to() -> None:
    classification = classify_evidence(evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
    cookies = {c.name: c for c in classification.phases[0].cookies}
    assert (cookies["_ga"].organisation, cookies["_ga"].basis) == ("Google LLC", "name, vendor seen")
    assert cookies["fr"].organisation == "Meta Platforms, Inc."
    assert cookies["fr"].basis == "vendor domain"
    assert cookies["_hjSessionUser_123"].organisation == "Hotjar Ltd"
    assert cookies["_clck"].organisation == "Microsoft Corporation"
    assert cookies["_ttp"].organisation == "TikTok Technology Limited"
    assert cookies["_ym_uid"].country == "RU"


def test_first_party_cookie_named_like_a_vendor_cookie_on_an_unrelated_site_is_not_the_vendors() -> None:
    # A bakery's own language cookie happens to be called `fr` (Meta's ad cookie, but on facebook.com),
    # and a `_ga` is set by some first-party code while the site never talks to Google.
    evidence = evidence_with([request("https://www.fjordsko.no/")], [cookie("fr"), cookie("_ga", days=730)])
    cookies = {c.name: c for c in classify_evidence(evidence).phases[0].cookies}
    assert cookies["fr"].organisation is None and cookies["fr"].basis == "none"
    assert cookies["_ga"].organisation is None and cookies["_ga"].basis == "name only"


def test_self_hosted_matomo_has_no_recipient_but_the_site() -> None:
    evidence = evidence_with(
        [
            request("https://www.fjordsko.no/matomo/matomo.js"),
            request("https://www.fjordsko.no/matomo/matomo.php?idsite=1&_id=0123456789abcdef", ids=["_id"]),
        ],
        [cookie("_pk_id.1.a1b2", days=393), cookie("_pk_ses.1.a1b2", days=0.02)],
    )
    classification = classify_evidence(evidence)
    assert classification.phases[0].recipients == []
    labels = {c.name: c for c in classification.phases[0].cookies}
    assert labels["_pk_id.1.a1b2"].basis == "self-hosted tool"
    assert labels["_pk_id.1.a1b2"].organisation is None


def test_unknown_host_is_reported_by_registrable_domain_never_guessed() -> None:
    evidence = evidence_with(
        [request("https://beacon.tracker-nobody-knows.example/p?u=abc123def456ghi", ids=["u"])]
    )
    recipient = classify_evidence(evidence).phases[0].recipients[0]
    assert recipient.organisation is None and not recipient.known
    assert recipient.registrable_domains == ["tracker-nobody-knows.example"]
    assert recipient.jurisdiction.country is None


def test_lookup_host_knows_form_and_consent_services() -> None:
    expected = {
        "api.hsforms.com": "HubSpot, Inc.",
        "forms.hubspot.com": "HubSpot, Inc.",
        "acme.us21.list-manage.com": "The Rocket Science Group LLC",
        "docs.google.com": "Google LLC",
        "form.typeform.com": "Typeform SL",
        "forms.office.com": "Microsoft Corporation",
        "cdn.cookielaw.org": "OneTrust LLC",
        "consent.cookiebot.com": "Usercentrics A/S",
        "policy.app.cookieinformation.com": "Cookie Information A/S",
        "app.usercentrics.eu": "Usercentrics GmbH",
        "sdk.privacy-center.org": "Didomi SAS",
    }
    for host, organisation in expected.items():
        label = lookup_host(host)
        assert label is not None and label.organisation == organisation, host
    assert lookup_host("www.nobody-knows-this-host.example") is None


def test_observed_recipients_feed_the_notice_cross_check() -> None:
    observed = {
        r.organisation: r
        for r in observed_recipients(
            classify_evidence(evidence_with(TRACKED_SHOP_REQUESTS, TRACKED_SHOP_COOKIES))
        )
    }
    assert observed["Google LLC"].country == "US"
    assert "Google Analytics" in observed["Google LLC"].aliases
    assert "fonts.googleapis.com" in observed["Google LLC"].hosts
    assert observed["Hotjar Ltd"].country == "MT"


def test_storage_keys_are_labelled_by_the_cookie_rules_in_classify() -> None:
    hotjar = request("https://static.hotjar.com/c/hotjar-123.js?sv=7")
    talked = SHOP.evidence(phase(Phase.before_consent, requests=[hotjar],
                                 storage=[SHOP.storage("_hjSessionUser_123"), SHOP.storage("basket")]))
    labels = {s.key: s for s in classify_evidence(talked).phases[0].storage}
    assert (labels["_hjSessionUser_123"].organisation, labels["_hjSessionUser_123"].basis) == (
        "Hotjar Ltd", "name, vendor seen")
    assert labels["_hjSessionUser_123"].category is Category.session_replay
    assert labels["basket"].basis == "none" and labels["basket"].organisation is None
    # the decoy: the same key on a site that never talked to Hotjar is only named like Hotjar's
    silent = SHOP.evidence(phase(Phase.before_consent, storage=[SHOP.storage("_hjSessionUser_123")]))
    [alone] = classify_evidence(silent).phases[0].storage
    assert alone.organisation is None and alone.basis == "name only"
