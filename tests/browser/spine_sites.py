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
        kill_browser(marker)
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

    add_hostile_scripts(web, marker)


def kill_browser(marker: str) -> None:
    """SIGKILL every process of the test's Chromium (the browser and its children): a crash."""
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def kill_renderers(marker: str) -> int:
    """SIGKILL the renderer processes of the test's Chromium (the browser itself stays): every tab's
    renderer dies, as when the kernel's OOM killer picks them."""
    browsers = set()
    parents: dict[int, int] = {}
    renderers = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if marker.encode() in cmdline and b"--type=" not in cmdline:
            browsers.add(int(proc.name))
        if b"--type=renderer" in cmdline:
            renderers.add(int(proc.name))

    def descends_from_browser(pid: int) -> bool:
        for _ in range(10):
            pid = parents.get(pid, 0)
            if pid in browsers:
                return True
        return False

    killed = 0
    for pid in renderers:
        if descends_from_browser(pid):
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
    return killed


SUBPAGE_LINKS = '<a href="/one">one</a> <a href="/two">two</a> <a href="/three">three</a>'


def add_subpages(web: VirtualHostWeb, host: str) -> None:
    for name in ("one", "two", "three"):
        web.route(host, f"/{name}", page(f"Subpage {name}", f"<p>{name}</p>"))


def add_hostile_scripts(web: VirtualHostWeb, marker: str) -> None:
    """Pages whose scripts fight the crawler; each links to three calm subpages the crawl must still reach."""
    # A start page whose script spins forever right after load.
    web.route("spin-start.example", "/", page(
        "Spins at once", SUBPAGE_LINKS + "<script>addEventListener('load', () => { while (true) {} })</script>"))
    add_subpages(web, "spin-start.example")
    # A start page that keeps opening windows, then a subpage that does too.
    storm = "<script>setTimeout(() => { for (let i = 0; ; i++) window.open('/popup-' + (i % 20)); }, 100)</script>"
    web.route("popup-storm.example", "/", page("Storm", SUBPAGE_LINKS + storm))
    add_subpages(web, "popup-storm.example")
    for i in range(20):
        web.route("popup-storm.example", f"/popup-{i}", page("Popup", "<p>popup</p>"))
    # A page that asks to be kept open.
    keep_me = "<script>addEventListener('beforeunload', e => { e.preventDefault(); e.returnValue = '' })</script>"
    web.route("beforeunload.example", "/", page("Stay", SUBPAGE_LINKS + keep_me))
    for name in ("one", "two", "three"):
        web.route("beforeunload.example", f"/{name}", page(f"Subpage {name}", f"<p>{name}</p>{keep_me}"))

    # A site on which the renderers are killed once, while /oom is being requested.
    def oom(_request: Request) -> Response:
        kill_renderers(marker)
        return page("OOM", "<p>after the kill</p>")

    web.route("renderer-killed.example", "/", page("Renderer", '<a href="/oom">oom</a> ' + SUBPAGE_LINKS))
    web.route("renderer-killed.example", "/oom", oom)
    add_subpages(web, "renderer-killed.example")

    # A site on which the whole browser is killed twice (on /crash-1 and /crash-2).
    def crash(_request: Request) -> Response:
        kill_browser(marker)
        return page("crash")

    web.route("crash-twice.example", "/", page(
        "Crashes twice", '<a href="/crash-1">c1</a> <a href="/crash-2">c2</a> <a href="/one">one</a>'))
    web.route("crash-twice.example", "/crash-1", crash)
    web.route("crash-twice.example", "/crash-2", crash)
    add_subpages(web, "crash-twice.example")

    # A page that gathers WebRTC candidates against a STUN server at 127.0.0.1:<port> (a test's UDP canary).
    def webrtc(request: Request) -> Response:
        port = int(request.query.get("port", ["3478"])[0])
        script = f"""<script>
          const pc = new RTCPeerConnection({{iceServers: [{{urls: 'stun:127.0.0.1:{port}'}}]}});
          pc.createDataChannel('canary');
          pc.onicecandidate = e => {{ if (e.candidate) document.title += ' ' + e.candidate.type; }};
          pc.createOffer().then(o => pc.setLocalDescription(o));
        </script>"""
        return page("WebRTC", "<p>rtc</p>" + script)

    web.route("webrtc.example", "/", webrtc)
    # A site of many pages, for stop requests to arrive while the crawl waits (settle, page loads).
    web.route("many-pages.example", "/", page("Many", "".join(f'<a href="/p{i}">p{i}</a> ' for i in range(12))))
    for i in range(12):
        web.route("many-pages.example", f"/p{i}", page(f"Page {i}", f"<p>page {i}</p>"))
    # A site whose third page never answers: a stop request must not wait for the page timeout.
    web.route("hanging-subpage.example", "/", page("Hangs later", '<a href="/hang">hang</a> <a href="/after">after</a>'))
    web.route("hanging-subpage.example", "/hang", Response(hang=True))
    web.route("hanging-subpage.example", "/after", page("After", "<p>after</p>"))
