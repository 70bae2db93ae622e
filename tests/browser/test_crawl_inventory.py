"""A scan of the fixture shop lists exactly the cookies, storage keys and third-party hosts it produces,
visits what it should and leaves alone what it should not."""

from __future__ import annotations

import json

import jsonschema
import pytest

from privacyscan.models import Party
from privacyscan.report.model import ScanReport

from .conftest import scan_options
from .spine_sites import (
    EXPECTED_COOKIES,
    EXPECTED_STORAGE,
    EXPECTED_THIRD_PARTY_HOSTS,
    HANGING_CDN,
    SHOP,
    TRACKER,
    WIDGET,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop_report(fixture_web, tmp_path_factory) -> ScanReport:
    from privacyscan.pipeline import scan_site

    options = scan_options(fixture_web, f"http://{SHOP}/", settle_s=1.0, max_pages=14, max_depth=2)
    return scan_site(options, tmp_path_factory.mktemp("shop"), consent=None)


@pytest.fixture(scope="module")
def phase(shop_report):
    return shop_report.evidence.phases[0]


def test_lists_exactly_the_cookies_the_site_sets(phase):
    stored = {(c.name, c.domain) for c in phase.cookies if c.stored}
    assert stored == EXPECTED_COOKIES


def test_cookie_details_are_recorded(phase):
    cookies = {c.name: c for c in phase.cookies}
    session = cookies["srv_session"]
    assert session.http_only and session.set_by == "header" and session.set_by_url == f"http://{SHOP}/"
    assert session.lifetime_days is None  # a session cookie
    tracker = cookies["tp_uid"]
    assert tracker.party is Party.third and tracker.secure and tracker.same_site == "None"
    assert tracker.set_by == "header" and tracker.set_by_url.startswith(f"https://{TRACKER}/pixel.gif")
    assert 399 < tracker.lifetime_days <= 400  # Max-Age 34560000 s = 400 days
    assert cookies["js_cookie"].set_by == "script" and 0.04 < cookies["js_cookie"].lifetime_days < 0.05
    # The cookie set 0.8 s after load and the one set after scrolling are both caught on the home page.
    assert cookies["late_cookie"].first_seen_page == f"http://{SHOP}/"
    assert cookies["scrolled_to_bottom"].first_seen_page == f"http://{SHOP}/"
    # The third-party iframe's own cookie, set by script, reaches the jar: third-party cookies are allowed.
    assert cookies["iframe_tp"].party is Party.third


def test_lists_exactly_the_storage_keys(phase):
    assert {(s.kind, s.key) for s in phase.storage} == EXPECTED_STORAGE
    widget = next(s for s in phase.storage if s.key == "widget_seen")
    assert widget.origin == f"https://{WIDGET}" and widget.party is Party.third


def test_lists_exactly_the_third_party_hosts(phase):
    assert set(phase.third_party_hosts) == EXPECTED_THIRD_PARTY_HOSTS


def test_requests_carry_cookies_and_identifiers(phase):
    home = f"http://{SHOP}/"
    pixel = next(r for r in phase.requests if r.host == TRACKER)
    assert pixel.page_url == home and pixel.resource_type == "image" and pixel.status == 200
    assert pixel.method == "GET" and pixel.started_ms > 0
    # srv_session was set by the home page's response; later same-site requests send it.
    later = [r for r in phase.requests if r.host == SHOP and r.page_url != home]
    assert later and all("srv_session" in r.cookies_sent for r in later)
    frame = next(r for r in phase.requests if r.host == WIDGET)
    assert frame.resource_type == "document" and not frame.is_main_frame


def test_crawl_reaches_depth_two_and_no_further(phase):
    urls = {p.url for p in phase.pages}
    assert f"http://{SHOP}/level1/level2" in urls
    assert f"http://{SHOP}/level1/level2/level3" not in urls  # max_depth=2
    depths = {p.url: p.depth for p in phase.pages}
    assert depths[f"http://{SHOP}/level1/level2"] == 2


def test_link_trap_and_foreign_links_stay_bounded(phase):
    urls = [p.url for p in phase.pages]
    assert sum("/calendar" in u for u in urls) <= 2  # depth bounds the endless calendar
    assert not any("other-site.example" in u or u.endswith(".zip") for u in urls)
    assert not any(u.startswith(("mailto:", "javascript:")) for u in urls)


def test_privacy_notice_link_is_visited_first_and_its_html_kept(phase):
    depth_one = [p for p in phase.pages if p.depth == 1]
    assert depth_one[0].url == f"http://{SHOP}/privacy"
    assert depth_one[0].html and "Shop AS" in depth_one[0].html


def test_slow_hanging_broken_and_malformed_pages_are_recorded(shop_report, phase):
    pages = {p.url: p for p in phase.pages}
    assert pages[f"http://{SHOP}/slow"].error is None and pages[f"http://{SHOP}/slow"].load_ms >= 1500
    hanging = pages[f"http://{SHOP}/hanging-script"]
    assert hanging.title == "Hanging script"  # recorded although its script never arrives
    never = next(r for r in phase.requests if r.host == HANGING_CDN)
    assert never.status is None
    assert pages[f"http://{SHOP}/broken"].status == 500
    assert any(f.rule_id == "page_failed" and f.subject == f"http://{SHOP}/broken" for f in shop_report.findings)
    malformed = pages[f"http://{SHOP}/malformed"]
    assert malformed.error is None and any(link.url.endswith("/level1") for link in malformed.links)


def test_page_details_and_screenshots(shop_report, phase, tmp_path_factory):
    home = phase.pages[0]
    assert home.title == "Shop home" and home.lang == "en" and home.status == 200
    assert home.final_url == f"http://{SHOP}/"
    assert home.screenshot and home.screenshot.endswith(".jpg")
    assert {link.region for link in home.links} >= {"footer"}
    assert any(f.url == f"https://{WIDGET}/frame" for f in home.iframes)


def test_browses_as_a_desktop_chrome_user(shop_report, fixture_web):
    agent = shop_report.evidence.browser.user_agent
    assert "Chrome/" in agent and "HeadlessChrome" not in agent
    sent = {hit.headers.get("user-agent") for hit in fixture_web.requests_to(SHOP)}
    assert agent in sent and not any("HeadlessChrome" in (a or "") for a in sent)
    assert any("nb-NO" in (hit.headers.get("accept-language") or "") for hit in fixture_web.requests_to(SHOP))


def test_report_validates_against_the_published_schema(shop_report):
    schema = ScanReport.model_json_schema()
    jsonschema.validate(json.loads(shop_report.model_dump_json()), schema)
    assert shop_report.schema_version and shop_report.evidence.browser.version


def test_page_limit_marks_the_scan_incomplete(fixture_web, tmp_path):
    from privacyscan.pipeline import scan_site

    report = scan_site(scan_options(fixture_web, f"http://{SHOP}/", max_pages=2), tmp_path)
    assert len(report.evidence.phases[0].pages) == 2
    assert report.complete is False and "page limit of 2" in report.incomplete_reason
