"""Who receives the data, seen through real Chromium: the vendor imitations in src/privacyscan/demo/vendors
are embedded the way real sites embed them, and each recipient comes out with the right organisation
and country; EU vendors and self-hosted analytics stay free of transfer findings."""

from __future__ import annotations

import pytest

from privacyscan.demo.site import DEMO_ROOTS
from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.models import Severity
from privacyscan.pipeline import scan_site

from .conftest import scan_options

pytestmark = pytest.mark.browser

US_TRACKERS = """
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">
<style>body{font-family:Roboto}</style>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST1"></script>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script>
<script src="https://static.hotjar.com/c/hotjar-123.js"></script>
<script src="https://www.clarity.ms/tag/abc"></script>
<script src="https://snap.licdn.com/li.lms-analytics/insight.min.js"></script>
<script src="https://analytics.tiktok.com/i18n/pixel/events.js"></script>
<script src="https://mc.yandex.ru/metrika/tag.js"></script>
<script src="https://www.google.com/recaptcha/api.js"></script>
<iframe src="https://www.youtube.com/embed/demo123" width="320" height="180"></iframe>
<p>Hei</p>
"""

EU_ONLY = """
<script defer data-domain="eu-shop.example" src="https://plausible.io/js/script.js"></script>
<script src="https://static.criteo.net/js/ld/publishertag.js"></script>
<script>new Image().src = "/matomo.php?idsite=1&rec=1&_id=0123456789abcdef";</script>
<iframe src="https://www.youtube-nocookie.com/embed/demo123" width="320" height="180"></iframe>
<p>Hei</p>
"""

# (organisation, ISO country of the receiving entity) for each vendor the US-tracker page embeds.
EXPECTED = {
    "fonts.googleapis.com": ("Google LLC", "US"),
    "www.google-analytics.com": ("Google LLC", "US"),
    "connect.facebook.net": ("Meta Platforms, Inc.", "US"),
    "static.hotjar.com": ("Hotjar Ltd", "MT"),
    "www.clarity.ms": ("Microsoft Corporation", "US"),
    "px.ads.linkedin.com": ("LinkedIn Corporation", "US"),
    "analytics.tiktok.com": ("TikTok Technology Limited", "IE"),
    "mc.yandex.ru": ("Yandex LLC", "RU"),
    "www.youtube.com": ("Google LLC", "US"),
    "www.google.com": ("Google LLC", "US"),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    web = VirtualHostWeb(roots=DEMO_ROOTS)
    web.start()
    page = "<!doctype html><html lang=nb><head><meta charset=utf-8><title>Butikk</title>{}</head><body></body></html>"
    web.route("us-trackers.example", "/", Response(page.format(US_TRACKERS)))
    web.route("eu-shop.example", "/", Response(page.format(EU_ONLY)))
    web.route("eu-shop.example", "/matomo.php", Response(b"", status=204))
    web.route("video.example", "/", Response(page.format(
        '<iframe src="https://www.youtube.com/embed/demo123" width="320" height="180"></iframe>')))
    try:
        yield {
            site: scan_site(scan_options(web, f"https://{site}/", max_pages=1, settle_s=1.0),
                            tmp_path_factory.mktemp(site))
            for site in ("us-trackers.example", "eu-shop.example", "video.example")
        }
    finally:
        web.stop()


@pytest.mark.parametrize("host", EXPECTED)
def test_each_vendor_is_named_with_its_country(reports, host):
    label = reports["us-trackers.example"].classification.host(host)
    assert label is not None, f"{host} was not requested"
    assert (label.organisation, label.country) == EXPECTED[host]


def test_us_and_russian_recipients_get_transfer_findings_with_context(reports):
    findings = [f for f in reports["us-trackers.example"].findings if f.rule_id == "third_country_transfer"]
    subjects = " ".join(f.subject + f.title for f in findings)
    for organisation in ("Google LLC", "Meta Platforms, Inc.", "Microsoft Corporation", "LinkedIn Corporation",
                         "Yandex LLC"):
        assert organisation in subjects
    google = next(f for f in findings if "Google LLC" in f.title)
    assert "Schrems II" in google.explanation and google.evidence and google.fix
    yandex = next(f for f in findings if "Yandex" in f.title)
    assert yandex.severity.rank >= Severity.medium.rank


def test_eu_vendors_and_self_hosted_analytics_are_not_transfers(reports):
    report = reports["eu-shop.example"]
    transfers = [f for f in report.findings if f.rule_id == "third_country_transfer"]
    assert [f.subject.split("|")[0] for f in transfers] == ["Google LLC"]  # only the nocookie YouTube embed
    assert all("youtube-nocookie.com" in (e.url or "") for f in transfers for e in f.evidence if e.kind == "request")
    for host in ("plausible.io", "static.criteo.net"):
        assert report.classification.host(host).country in {"EE", "FR"}


def test_youtube_nocookie_is_reported_lower_than_youtube(reports):
    def google_transfer(site):
        return next(f for f in reports[site].findings
                    if f.rule_id == "third_country_transfer" and f.subject.startswith("Google LLC"))

    nocookie, youtube = google_transfer("eu-shop.example"), google_transfer("video.example")
    assert any("youtube-nocookie.com" in (e.url or "") for e in nocookie.evidence)
    assert any("www.youtube.com" in (e.url or "") for e in youtube.evidence)
    assert nocookie.severity.rank < youtube.severity.rank
