"""The vendor catalogue's answers, pinned: real hostnames and cookie names map to the organisation and
country a reviewer checked, every fact carries a source, and a DPF status older than 180 days fails the
build so the data cannot silently rot."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from privacyscan import jsdeps
from privacyscan.classify import third_party_web
from privacyscan.classify.catalogue import load_catalogue
from privacyscan.classify.labels import label_cookie, label_host
from privacyscan.classify.model import DpfStatus
from privacyscan.models import CookieRecord, Phase

DPF_MAX_AGE = timedelta(days=180)
SITE = "fjordsko.no"

HOSTS: dict[str, tuple[str, str | None]] = {
    "www.google-analytics.com": ("Google LLC", "US"),
    "region1.google-analytics.com": ("Google LLC", "US"),
    "www.googletagmanager.com": ("Google LLC", "US"),
    "googleads.g.doubleclick.net": ("Google LLC", "US"),
    "pagead2.googlesyndication.com": ("Google LLC", "US"),
    "fonts.googleapis.com": ("Google LLC", "US"),
    "fonts.gstatic.com": ("Google LLC", "US"),
    "www.youtube.com": ("Google LLC", "US"),
    "www.youtube-nocookie.com": ("Google LLC", "US"),
    "i.ytimg.com": ("Google LLC", "US"),
    "maps.googleapis.com": ("Google LLC", "US"),
    "connect.facebook.net": ("Meta Platforms, Inc.", "US"),
    "www.facebook.com": ("Meta Platforms, Inc.", "US"),
    "www.instagram.com": ("Meta Platforms, Inc.", "US"),
    "bat.bing.com": ("Microsoft Corporation", "US"),
    "www.clarity.ms": ("Microsoft Corporation", "US"),
    "ib.adnxs.com": ("Microsoft Corporation", "US"),
    "snap.licdn.com": ("LinkedIn Corporation", "US"),
    "px.ads.linkedin.com": ("LinkedIn Corporation", "US"),
    "analytics.tiktok.com": ("TikTok Technology Limited", "IE"),
    "mc.yandex.ru": ("Yandex LLC", "RU"),
    "static.hotjar.com": ("Hotjar Ltd", "MT"),
    "script.hotjar.com": ("Hotjar Ltd", "MT"),
    "static.criteo.net": ("Criteo SA", "FR"),
    "gum.criteo.com": ("Criteo SA", "FR"),
    "plausible.io": ("Plausible Insights OÜ", "EE"),
    "demo.matomo.cloud": ("InnoCraft Ltd", "NZ"),
    "acme.containers.piwik.pro": ("Piwik PRO SA", "PL"),
    "track.adform.net": ("Adform A/S", "DK"),
    "consent.cookiebot.com": ("Usercentrics A/S", "DK"),
    "policy.app.cookieinformation.com": ("Cookie Information A/S", "DK"),
    "cdn.cookielaw.org": ("OneTrust LLC", "US"),
    "sdk.privacy-center.org": ("Didomi SAS", "FR"),
    "app.usercentrics.eu": ("Usercentrics GmbH", "DE"),
    "cdn-cookieyes.com": ("CookieYes Limited", "GB"),
    "js.stripe.com": ("Stripe, Inc.", "US"),
    "x.klarnacdn.net": ("Klarna Bank AB (publ)", "SE"),
    "api.vipps.no": ("Vipps MobilePay AS", "NO"),
    "js.hs-scripts.com": ("HubSpot, Inc.", "US"),
    "api.hsforms.com": ("HubSpot, Inc.", "US"),
    "acme.us21.list-manage.com": ("The Rocket Science Group LLC", "US"),
    "cdnjs.cloudflare.com": ("Cloudflare, Inc.", "US"),
    "static.cloudflareinsights.com": ("Cloudflare, Inc.", "US"),
    "cdn.segment.com": ("Twilio Inc.", "US"),
    "cdn.mxpnl.com": ("Mixpanel, Inc.", "US"),
    "widget.trustpilot.com": ("Trustpilot A/S", "DK"),
    "cl-eu5.k5a.io": ("Kilkaya", None),
    "cdn.schibsted.com": ("Schibsted", "NO"),
    "player.vimeo.com": ("Vimeo.com, Inc.", "US"),
    "cdn.mouseflow.com": ("Mouseflow ApS", "DK"),
    "tags.tiqcdn.com": ("Tealium Inc.", "US"),
    "cdn.taboola.com": ("Taboola.com Ltd.", "IL"),
    "ct.pinterest.com": ("Pinterest, Inc.", "US"),
    "tr.snapchat.com": ("Snap Inc.", "US"),
    "static.ads-twitter.com": ("X Corp.", "US"),
    "tile.openstreetmap.org": ("OpenStreetMap Foundation", "GB"),
}

# cookie name, domain it was seen on -> organisation (None: the site itself / a self-hosted tool)
COOKIES: dict[tuple[str, str], str | None] = {
    ("_ga", ".fjordsko.no"): "Google LLC",
    ("_ga_ABC123XYZ", ".fjordsko.no"): "Google LLC",
    ("_gid", ".fjordsko.no"): "Google LLC",
    ("_gat_UA-1-1", ".fjordsko.no"): "Google LLC",
    ("_gcl_au", ".fjordsko.no"): "Google LLC",
    ("IDE", ".doubleclick.net"): "Google LLC",
    ("YSC", ".youtube.com"): "Google LLC",
    ("VISITOR_INFO1_LIVE", ".youtube.com"): "Google LLC",
    ("NID", ".google.com"): "Google LLC",
    ("_fbp", ".fjordsko.no"): "Meta Platforms, Inc.",
    ("_fbc", ".fjordsko.no"): "Meta Platforms, Inc.",
    ("fr", ".facebook.com"): "Meta Platforms, Inc.",
    ("datr", ".facebook.com"): "Meta Platforms, Inc.",
    ("_uetsid", ".fjordsko.no"): "Microsoft Corporation",
    ("_uetvid", ".fjordsko.no"): "Microsoft Corporation",
    ("MUID", ".bing.com"): "Microsoft Corporation",
    ("_clck", ".fjordsko.no"): "Microsoft Corporation",
    ("_clsk", ".fjordsko.no"): "Microsoft Corporation",
    ("CLID", "www.clarity.ms"): "Microsoft Corporation",
    ("bcookie", ".linkedin.com"): "LinkedIn Corporation",
    ("lidc", ".linkedin.com"): "LinkedIn Corporation",
    ("li_fat_id", ".fjordsko.no"): "LinkedIn Corporation",
    ("_ttp", ".fjordsko.no"): "TikTok Technology Limited",
    ("_ttp", ".tiktok.com"): "TikTok Technology Limited",
    ("_ym_uid", ".fjordsko.no"): "Yandex LLC",
    ("_ym_d", ".fjordsko.no"): "Yandex LLC",
    ("yandexuid", ".yandex.ru"): "Yandex LLC",
    ("_hjSessionUser_123", ".fjordsko.no"): "Hotjar Ltd",
    ("_hjSession_123", ".fjordsko.no"): "Hotjar Ltd",
    ("cto_bundle", ".fjordsko.no"): "Criteo SA",
    ("uid", ".criteo.com"): "Criteo SA",
    ("uid", ".adform.net"): "Adform A/S",
    ("C", ".adform.net"): "Adform A/S",
    ("uuid2", ".adnxs.com"): "Microsoft Corporation",
    ("TDID", ".adsrvr.org"): "The Trade Desk, Inc.",
    ("OptanonConsent", ".fjordsko.no"): "OneTrust LLC",
    ("CookieConsent", ".fjordsko.no"): "Usercentrics A/S",
    ("CookieInformationConsent", ".fjordsko.no"): "Cookie Information A/S",
    ("didomi_token", ".fjordsko.no"): "Didomi SAS",
    ("__hstc", ".fjordsko.no"): "HubSpot, Inc.",
    ("hubspotutk", ".fjordsko.no"): "HubSpot, Inc.",
    ("__stripe_mid", ".fjordsko.no"): "Stripe, Inc.",
    ("_pin_unauth", ".fjordsko.no"): "Pinterest, Inc.",
    ("_scid", ".fjordsko.no"): "Snap Inc.",
    ("ajs_anonymous_id", ".fjordsko.no"): "Twilio Inc.",
}

# The service each first-party cookie needs to have seen a request to (so the cookie is attributed).
VENDOR_HOST_FOR_ORG = {org: host for host, (org, _) in HOSTS.items()}
VENDOR_HOST_FOR_ORG["The Trade Desk, Inc."] = "match.adsrvr.org"

SELF_HOSTED: dict[str, str] = {
    "_pk_id.1.a1b2": "self-hosted tool",
    "_pk_ses.1.a1b2": "self-hosted tool",
    "_sp_id.a1b2": "self-hosted tool",
    "euconsent-v2": "self-hosted tool",
    "PHPSESSID": "site framework",
    "wordpress_logged_in_abc": "site framework",
    "__cf_bm": "site framework",
}


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_hostname_maps_to_the_reviewed_organisation_and_country(host: str) -> None:
    label = label_host(host, SITE)
    assert (label.organisation, label.country) == HOSTS[host]
    assert label.source == "catalogue"


def _seen(organisation: str) -> tuple[set[str], set[str]]:
    catalogue = load_catalogue()
    host = VENDOR_HOST_FOR_ORG[organisation]
    service = catalogue.service_for_host(host)
    assert service is not None
    return {service.id}, {service.org_id or ""}


@pytest.mark.parametrize(("name", "domain"), sorted(COOKIES))
def test_cookie_name_maps_to_the_reviewed_organisation(name: str, domain: str) -> None:
    expected = COOKIES[(name, domain)]
    cookie = CookieRecord(
        name=name, value="v", domain=domain, first_seen_page="https://www.fjordsko.no/", first_seen_ms=0
    )
    services, organisations = _seen(expected) if expected else (set(), set())
    label = label_cookie(cookie, Phase.after_accept, SITE, services, organisations)
    assert label.organisation == expected


@pytest.mark.parametrize("name", sorted(SELF_HOSTED))
def test_cookies_of_self_hosted_tools_and_frameworks_have_no_outside_recipient(name: str) -> None:
    cookie = CookieRecord(
        name=name,
        value="v",
        domain="www.fjordsko.no",
        first_seen_page="https://www.fjordsko.no/",
        first_seen_ms=0,
    )
    label = label_cookie(cookie, Phase.after_accept, SITE, set(), set())
    assert (label.organisation, label.basis) == (None, SELF_HOSTED[name])


def test_pins_cover_at_least_forty_hosts_and_forty_cookies() -> None:
    assert len(HOSTS) >= 40 and len(COOKIES) >= 40


def test_dpf_facts_are_fresh() -> None:
    """Fails when a DPF status was recorded more than 180 days ago: look the organisation up on
    https://www.dataprivacyframework.gov/list again and update `checked_on` (docs/catalogue.md)."""
    stale = []
    for entry in load_catalogue().organisations.values():
        dpf = entry.organisation.dpf
        if dpf.status is DpfStatus.not_applicable:
            continue
        assert dpf.checked_on is not None and dpf.source, entry.id
        if date.today() - dpf.checked_on > DPF_MAX_AGE:
            stale.append(f"{entry.id} ({dpf.checked_on})")
    assert not stale, "DPF status older than 180 days, re-check: " + ", ".join(stale)


def test_us_organisations_have_a_dpf_fact_and_others_are_not_applicable() -> None:
    for entry in load_catalogue().organisations.values():
        org = entry.organisation
        if org.jurisdiction.country == "US":
            assert org.dpf.status is not DpfStatus.not_applicable, entry.id
        elif org.jurisdiction.country:
            assert org.dpf.status is DpfStatus.not_applicable, entry.id


def test_every_fact_has_a_source_link() -> None:
    catalogue = load_catalogue()
    for entry in catalogue.organisations.values():
        assert entry.organisation.sources and all(
            s.startswith("https://") for s in entry.organisation.sources
        ), entry.id
    for service in catalogue.services.values():
        assert service.source.startswith("https://"), service.id


def test_catalogue_size() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.services) >= 140
    assert len(catalogue.organisations) >= 100
    assert len(catalogue.host_patterns()) >= 350


def test_package_data_gives_a_brand_but_never_a_country() -> None:
    if third_party_web.package_index() is None:
        pytest.skip("third-party-web is not installed (run scripts/setup)")
    # Ad networks and CDNs the catalogue does not carry but third-party-web (MIT) does.
    yahoo = label_host("ads.yahoo.com", SITE)
    assert (yahoo.source, yahoo.organisation, yahoo.category.value) == (
        "third-party-web",
        "Yahoo!",
        "advertising",
    )
    assert yahoo.country is None and yahoo.dpf is DpfStatus.unknown
    assert label_host("cdn.jsdelivr.net", SITE).category.value == "cdn"
    # The catalogue wins where both know a host.
    assert label_host("secure.adnxs.com", SITE).organisation == "Microsoft Corporation"
    assert not label_host("cdn.nobody-knows-this.example", SITE).known


def test_without_the_package_the_catalogue_still_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(jsdeps.JS_DIR_ENV, str(tmp_path))
    monkeypatch.setattr(jsdeps, "_REPO_JS_DIR", tmp_path)
    third_party_web.package_index.cache_clear()
    try:
        assert third_party_web.package_index() is None
        assert label_host("static.hotjar.com", SITE).organisation == "Hotjar Ltd"
        assert not label_host("cdn.onesignal.com", SITE).known
    finally:
        third_party_web.package_index.cache_clear()


def test_js_package_dir_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    package = tmp_path / "node_modules" / "@scope" / "thing"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"name": "@scope/thing", "version": "1.2.3"}')
    monkeypatch.setenv(jsdeps.JS_DIR_ENV, str(tmp_path))
    assert jsdeps.js_package_dir("@scope/thing") == package
    assert jsdeps.js_package_version("@scope/thing") == "1.2.3"
    monkeypatch.setenv(jsdeps.JS_DIR_ENV, str(tmp_path / "node_modules"))
    assert jsdeps.js_package_dir("@scope/thing") == package
