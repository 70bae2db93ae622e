"""Fixture sites for the crawl itself: each page produces a known set of cookies, storage keys and
third-party requests, so a test can assert the inventory exactly."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from privacyscan.demo.webserver import Request, Response, VirtualHostWeb

SHOP = "shop.example"  # reserved TLD: Chromium keeps it on http
TRACKER = "ads.tracker-net.example"
WIDGET = "widget.embed-thirdparty.example"
HANGING_CDN = "slow-cdn.example"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body>{body}<footer><a href="/">Home</a> <a href="/privacy">Privacy policy</a></footer></body></html>"""


def page(title: str, body: str = "", head: str = "", **kw) -> Response:
    return Response(PAGE.format(title=title, head=head, body=body), **kw)


HOME_BODY = f"""
<h1>Shop</h1>
<script>
  document.cookie = "js_cookie=1; path=/; max-age=3600";
  localStorage.setItem("ls_visitor_id", "v-1234567890");
  sessionStorage.setItem("ss_cart", "[]");
  setTimeout(() => {{ document.cookie = "late_cookie=1; path=/; max-age=600"; }}, 800);
</script>
<img src="https://{TRACKER}/pixel.gif?uid=abc123def456" width="1" height="1">
<iframe src="https://{WIDGET}/frame" width="200" height="100"></iframe>
<a href="/level1">Level 1</a> <a href="/calendar?month=1">Calendar</a> <a href="/slow">Slow</a>
<a href="/hanging-script">Hanging</a> <a href="/broken">Broken</a> <a href="/malformed">Malformed</a>
<a href="/files/brochure.zip">Brochure</a> <a href="https://other-site.example/">Partner</a>
<a href="mailto:post@shop.example">Mail</a> <a href="javascript:void(0)">JS</a>
<div style="height:3000px"></div>
<div id="bottom">bottom</div>
<script>
  new IntersectionObserver((entries) => {{
    if (entries.some(e => e.isIntersecting)) document.cookie = "scrolled_to_bottom=1; path=/";
  }}).observe(document.getElementById("bottom"));
</script>
"""

# Exactly what a scan of shop.example (before consent) must find.
EXPECTED_COOKIES = {
    ("js_cookie", SHOP),
    ("late_cookie", SHOP),
    ("scrolled_to_bottom", SHOP),
    ("srv_session", SHOP),
    ("malformed_cookie", SHOP),
    ("tp_uid", f".{TRACKER}"),
    ("iframe_tp", WIDGET),
}
EXPECTED_STORAGE = {("local", "ls_visitor_id"), ("session", "ss_cart"), ("local", "widget_seen")}
EXPECTED_THIRD_PARTY_HOSTS = {TRACKER, WIDGET, HANGING_CDN}


def calendar(request: Request) -> Response:
    month = int((request.query.get("month") or ["1"])[0])
    return page(f"Calendar {month}", f'<a href="/calendar?month={month + 1}">next month</a>')


def add_shop(web: VirtualHostWeb) -> None:
    web.route(SHOP, "/", page("Shop home", HOME_BODY, headers=[("Set-Cookie", "srv_session=s3cr3t; Path=/; HttpOnly")]))
    web.route(SHOP, "/level1", page("Level 1", '<a href="/level1/level2">Level 2</a>'))
    web.route(SHOP, "/level1/level2", page("Level 2", '<a href="/level1/level2/level3">Level 3</a>'))
    web.route(SHOP, "/level1/level2/level3", page("Level 3"))
    web.route(SHOP, "/privacy", page("Privacy policy", "<h1>Privacy policy</h1><p>We are Shop AS.</p>"))
    web.route(SHOP, "/calendar", calendar)
    web.route(SHOP, "/slow", page("Slow page", "<p>slow</p>", delay_s=1.5))
    web.route(SHOP, "/hanging-script", page("Hanging script", "<p>still here</p>",
                                            head=f'<script src="https://{HANGING_CDN}/never.js"></script>'))
    web.route(HANGING_CDN, "/never.js", Response(hang=True))
    web.route(SHOP, "/broken", page("Server error", "<p>oops</p>", status=500))
    web.route(SHOP, "/malformed", Response(
        '<html><head><title>Malformed</title><body><div><p>unclosed <b>bold <table><tr><td>cell'
        '<script>document.cookie="malformed_cookie=1; path=/"</script><a href="/level1">again</a></div></span>'
    ))
    web.route(TRACKER, "/pixel.gif", Response(
        b"GIF89a", content_type="image/gif",
        headers=[("Set-Cookie", f"tp_uid=u-42; Domain={TRACKER}; Path=/; Max-Age=34560000; SameSite=None; Secure")],
    ))
    web.route(WIDGET, "/frame", Response(
        "<p>widget</p><script>document.cookie='iframe_tp=1; SameSite=None; Secure; path=/';"
        "localStorage.setItem('widget_seen','1')</script>"
    ))


def add_faults(web: VirtualHostWeb, marker: str) -> None:
    # A page whose server never answers.
    web.route("never-loads.example", "/", Response(hang=True))
    # A start page that answers 500.
    web.route("error-500.example", "/", page("Error", "<p>Internal error</p>", status=500))
    # A site that redirects its image and a link into the cloud metadata service and the loopback.
    web.route("ssrf-redirect.example", "/", page(
        "Redirects", '<img src="/to-metadata"><a href="/to-loopback">internal</a>'))
    web.route("ssrf-redirect.example", "/to-metadata",
              Response(status=302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")]))
    web.route("ssrf-redirect.example", "/to-loopback",
              Response(status=302, headers=[("Location", f"http://127.0.0.1:{web.port}/")]))

    # A site on which the browser crashes (the test kills Chromium when /crash is requested).
    def crash(_request: Request) -> Response:
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if marker.encode() in (proc / "cmdline").read_bytes():
                    os.kill(int(proc.name), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        return page("crash")

    web.route("crashy.example", "/", page("Crashy", '<a href="/crash">crash</a> <a href="/after">after</a>'))
    web.route("crashy.example", "/crash", crash)
    web.route("crashy.example", "/after", page("After the crash", "<p>alive</p>"))

    # Hostile content: a page whose script spins forever after load, cookie names and a title made to
    # look like markup, and a window.open popup.
    web.route("hostile.example", "/", page(
        '<img src=x onerror=alert(1)>',
        '<script>document.cookie = "<script>=1; path=/"; document.cookie = "x\\"><b>=2; path=/";'
        'window.open("/popup"); alert("hi");</script><a href="/spin">spin</a> <a href="/calm">calm</a>'))
    web.route("hostile.example", "/spin", page("Spins", "<script>setTimeout(() => { while (true) {} }, 50)</script>"))
    web.route("hostile.example", "/calm", page("Calm", "<p>fine</p>"))
    web.route("hostile.example", "/popup", page("Popup", "<p>popup</p>"))
