"""The PDF report: the HTML report printed by the Chromium privacyscan already drives (`page.pdf()`), so
the print stylesheet (A4, no card split across pages, site and date in the page margins) is the PDF's
layout and no second renderer is needed.

The report may not import the crawl (architecture rule), so the caller says which Chromium to use; without
one, Playwright's own lookup is not tried — we only ever run the system Chromium — and the usual names are
looked up on PATH.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import sync_playwright

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_MS = 60_000


class PdfUnavailable(RuntimeError):
    """No Chromium to print with."""


def _executable(chromium: str | None) -> str:
    if chromium:
        return chromium
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable("no Chromium found to print the PDF report")


def _print(html: str, executable: str) -> bytes:
    with sync_playwright() as playwright:
        # The report is one self-contained file with a CSP forbidding scripts; JavaScript is off as well,
        # and nothing leaves the page (every request is refused).
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--disable-background-networking", "--no-first-run"])
        try:
            context = browser.new_context(java_script_enabled=False, offline=True)
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load", timeout=PRINT_TIMEOUT_MS)
            page.emulate_media(media="print")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                            display_header_footer=False)
        finally:
            browser.close()


def render_pdf(html: str, *, chromium: str | None = None) -> bytes:
    """`html` (the rendered HTML report) as PDF bytes. Runs in a thread of its own: Playwright's sync API
    refuses to start inside a running event loop, and a caller may have one."""
    executable = _executable(chromium)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, executable).result()
