"""Tracking judged by behaviour plus catalogue (issue 16 item 2): the category explains, it does not decide.
Evidence is hand-made; classification and checks are the real ones."""

from __future__ import annotations

import pytest

from privacyscan.check.consent import tracking_before_consent, unknown_identifier_before_consent
from privacyscan.classify.identifying import needs_behaviour, value_shape
from privacyscan.classify.model import Category
from privacyscan.models import BannerButton, BannerRecord, Confidence, Phase

from ..builders import Shop, classified, phase

SHOP = Shop("https://www.butikk.no/")
BANNER = BannerRecord(page_url=SHOP.url, detected_by="heuristic", selector="#b", text="Vi bruker cookies",
                      buttons=[BannerButton(text="Godta", selector="#g", role="accept"),
                               BannerButton(text="Avvis", selector="#a", role="reject")])
UUID = "7f3c9a2e-41d8-4b6f-9c1a-2e5d8f0b6a13"


def before(**fields):
    return SHOP.evidence(phase(Phase.before_consent, banners=[BANNER], pages=[SHOP.page()], **fields))


def tracked(**fields) -> list[str]:
    return [f.subject for f in tracking_before_consent(classified(before(**fields)))]


# ------------------------------------------------------------------ the decision


def test_categories_that_track_by_purpose_need_no_observed_identifier():
    for category in (Category.advertising, Category.social, Category.session_replay):
        assert needs_behaviour(category) is False
    assert needs_behaviour(Category.analytics) is False  # an id kept server-side is invisible to a browser
    assert needs_behaviour(Category.analytics, sets_no_identifiers=True) is True
    for category in (Category.video, Category.tag_manager, Category.unknown, Category.cdn, "not-a-category"):
        assert needs_behaviour(category) is True


def test_cookieless_analytics_without_identifiers_is_not_tracking():
    requests = [SHOP.request("plausible.io", 300, path="/js/script.js"), SHOP.request("plausible.io", 400, path="/api/event")]
    assert tracked(requests=requests) == []


def test_cookieless_analytics_seen_sending_an_identifier_is_tracking():
    requests = [SHOP.request("plausible.io", 400, path="/api/event", ids=["visitor_id"])]
    assert tracked(requests=requests) == ["Plausible Insights OÜ"]


def test_analytics_without_a_cookieless_design_still_counts_by_its_category():
    assert tracked(requests=[SHOP.request("www.google-analytics.com", 800)]) == ["Google LLC"]


def test_a_youtube_embed_counts_when_it_sets_cookies_and_not_when_it_only_loads():
    frame_only = [SHOP.request("www.youtube.com", 300, path="/embed/x")]
    assert tracked(requests=frame_only) == []
    cookies = [SHOP.cookie("YSC", 350, domain=".youtube.com", days=None),
               SHOP.cookie("VISITOR_INFO1_LIVE", 350, domain=".youtube.com", days=180)]
    [finding] = tracking_before_consent(classified(before(requests=frame_only, cookies=cookies)))
    assert finding.subject == "Google LLC" and "video embed" in finding.title
    assert {"cookie"} <= {e.kind for e in finding.evidence}


def test_a_customer_data_platform_filed_as_a_tag_manager_counts_by_its_identifiers():
    script = SHOP.request("cdn.segment.com", 200, path="/analytics.js/v1/k/analytics.min.js")
    assert tracked(requests=[script]) == []
    beacon = SHOP.request("api.segment.io", 400, path="/v1/p", ids=["anonymousId"])
    assert tracked(requests=[script, beacon]) == ["Twilio Inc."]
    # its first-party cookie and storage key, named by the catalogue, count once Segment was talked to
    assert tracked(requests=[script], storage=[SHOP.storage("ajs_anonymous_id")]) == ["Twilio Inc."]
    assert tracked(requests=[script], cookies=[SHOP.cookie("ajs_anonymous_id", 250, value=UUID)]) == ["Twilio Inc."]


def test_an_unknown_third_party_counts_when_it_sets_a_cookie_and_not_when_it_serves_a_file():
    assert tracked(requests=[SHOP.request("cdn.ukjent-leverandor.example", 100, path="/lib.js")]) == []
    cookie = SHOP.cookie("uid", 200, domain=".ukjent-leverandor.example", days=390)
    assert tracked(requests=[SHOP.request("px.ukjent-leverandor.example", 150)], cookies=[cookie]) == [
        "ukjent-leverandor.example"]


def test_a_consent_platform_and_the_site_itself_never_count():
    cmp_cookie = SHOP.cookie("OptanonConsent", 100, domain=".cookielaw.org", days=365)
    requests = [SHOP.request("cdn.cookielaw.org", 50, path="/scripttemplates/otSDKStub.js")]
    assert tracked(requests=requests, cookies=[cmp_cookie]) == []
    assert tracked(requests=[SHOP.request("www.butikk.no", 50, path="/api")], cookies=[SHOP.cookie("cart", 60)]) == []


# ------------------------------------------------------------------ unknown first-party visitor ids


def unknown_ids(*cookies, requests=()) -> list:
    return unknown_identifier_before_consent(classified(before(cookies=list(cookies), requests=list(requests))))


def test_a_long_lived_id_shaped_first_party_cookie_nobody_names_is_reported_by_its_shape():
    sent = SHOP.request("www.butikk.no", 300, path="/api/visit", cookies=["bk_vid"])
    [finding] = unknown_ids(SHOP.cookie("bk_vid", 100, days=730, value=UUID), requests=[sent])
    assert finding.confidence is Confidence.medium and finding.subject == "bk_vid@.butikk.no"
    assert UUID not in finding.explanation and all(UUID not in e.description for e in finding.evidence)
    assert "UUID" in finding.explanation and "2.0 years" in finding.explanation
    assert "sent to www.butikk.no" in finding.evidence[0].description


@pytest.mark.parametrize(("name", "days", "value"), [
    ("bk_sess", None, UUID),  # a session id
    ("bk_short", 30, UUID),  # short-lived
    ("lang", 365, "nb"),  # a plain value
    ("consent_ok", 365, "yes"),
    ("_ga", 730, "GA1.1.123456789.1700000000"),  # the catalogue names it
])
def test_decoys_are_not_unknown_visitor_ids(name, days, value):
    assert unknown_ids(SHOP.cookie(name, 100, days=days, value=value)) == []


def test_a_third_party_cookie_is_not_an_unknown_first_party_id():
    assert unknown_ids(SHOP.cookie("uid", 100, domain=".annen.example", days=390, value=UUID)) == []


@pytest.mark.parametrize(("value", "shape"), [
    (UUID, "UUID"),
    ("a3f9" * 8, "hexadecimal, 32 characters"),
    ("123456789.1700000000", "dotted numbers, 20 characters"),
    ("Zk3Jd9sLq2XaP0", "random-looking token, 14 characters (letters+digits)"),
])
def test_value_shape_describes_never_repeats(value, shape):
    assert value_shape(value) == shape
    assert value not in value_shape(value)


def test_an_organisations_tracking_product_names_it_whichever_of_its_requests_came_first():
    gtag = SHOP.request("https://www.googletagmanager.com/gtm.js?id=GTM-X", 100)  # tag manager, sends the cookie
    collect = SHOP.request("www.google-analytics.com", 300, ids=["cid"])
    [finding] = tracking_before_consent(classified(before(requests=[gtag, collect],
                                                          cookies=[SHOP.cookie("_ga", 200, days=730)])))
    assert finding.subject == "Google LLC" and finding.title.startswith("Google Analytics (analytics)")
