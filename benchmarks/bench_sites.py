"""Generated sites the benchmarks share (served by the loopback fixture web, never the internet).

Each page sets a first-party cookie and a localStorage key by script and sends a beacon to one of three
analytics-style hosts; every fourth page sets a cookie 2.5 s after load (what a wait must still catch).
With `banner=True` every page shows a home-made consent banner until a choice is stored; "accept" loads
a tag from a fourth host. The home page links to every page (the EDPS collector samples home links).
"""

from __future__ import annotations

from privacyscan.demo.webserver import Response, VirtualHostWeb

BEACONS = ("stats.bench-analytics.example", "px.bench-ads.example", "collect.bench-metrics.example")
TAG_HOST = "tag.bench-marketing.example"

BANNER = """<div id="cb" style="display:none;position:fixed;bottom:0;left:0;right:0;background:#fff;padding:16px">
<p>We use cookies for statistics and marketing. You choose whether to allow this.</p>
<button id="rej">Reject all</button> <button id="acc">Accept all</button></div>
<script>(function () {
  var m = document.cookie.match(/(?:^|; )choice=([^;]*)/);
  function tag() { var s = document.createElement("script"); s.src = "http://__TAG__/tag.js"; document.head.appendChild(s); }
  if (m) { if (m[1] === "yes") tag(); return; }
  var b = document.getElementById("cb"); b.style.display = "block";
  function set(v) { document.cookie = "choice=" + v + "; path=/; max-age=31536000"; b.style.display = "none"; if (v === "yes") tag(); }
  document.getElementById("rej").onclick = function () { set("no"); };
  document.getElementById("acc").onclick = function () { set("yes"); };
})();</script>""".replace("__TAG__", TAG_HOST)


def build_site(web: VirtualHostWeb, site: str, pages: int, banner: bool = False, base: str | None = None) -> list[str]:
    """Routes `pages` pages on host `site`; returns their URLs (under `base`, default http://site)."""
    root = base or f"http://{site}"
    paths = ["/" if i == 0 else f"/p/{i}" for i in range(pages)]
    for i, path in enumerate(paths):
        # Other pages: a chain plus a few cross-links, so link-following discovery also finds every page.
        targets = range(1, pages) if i == 0 else sorted({(i + 1) % pages, (i * 7 + 3) % pages, 0})
        links = "".join(f'<a href="{root}{paths[j]}">page {j}</a> ' for j in targets)
        late = ("setTimeout(function () { document.cookie = 'late_2500ms=1; path=/; max-age=600'; }, 2500);"
                if i % 4 == 0 else "")
        body = (
            f"<!doctype html><html lang=en><head><title>Page {i}</title></head><body><h1>Page {i}</h1>"
            f"<p>{'Lorem ipsum dolor sit amet. ' * 40}</p>{links}{BANNER if banner else ''}"
            f"<script>document.cookie='visit_{i % 5}=1; path=/; max-age=3600';"
            f"localStorage.setItem('seen_{i % 3}', '1');{late}"
            f"new Image().src='http://{BEACONS[i % 3]}/collect?cid=12345.{i}&p={i}';</script></body></html>"
        )
        web.route(site, path, Response(body))
    for host in BEACONS:
        web.route(host, "/collect", Response(b"", status=204))
    web.route(TAG_HOST, "/tag.js", Response("document.cookie='_mk=1; path=/; max-age=600';",
                                            content_type="text/javascript"))
    return [root + p for p in paths]
