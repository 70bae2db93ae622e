"""Fixture pages for the evidence-based waits (crawl/quiet.py): what a page does late, what keeps a
connection open, what never stops moving, and what only looks busy."""

from __future__ import annotations

from privacyscan.demo.webserver import Response, VirtualHostWeb

WAITS = "waits.example"  # reserved TLD: Chromium keeps it on http
LATE_TRACKER = "late-tracker.example"
POLL_TRACKER = "poll-tracker.example"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>Content.</p>{body}<a href="/">Home</a></body></html>"""

# A tracker set 4 s after load: only a wait that watches the page's timers catches it.
LATE_TIMER = f"""<script>
setTimeout(() => {{
  document.cookie = "late_4s=1; path=/; max-age=600";
  new Image().src = "http://{LATE_TRACKER}/px?late=4";
}}, 4000);
</script>"""

# A long-poll the server answers after a minute, and a beacon right away: the open request must not hold
# the wait (only activity counts), the beacon must be recorded.
LONG_POLL = f"""<script>
fetch("/poll").catch(() => {{}});
new Image().src = "http://{POLL_TRACKER}/px?poll=1";
</script>"""

# Changes its DOM on every frame for as long as it is open: the wait must end at its cap.
ANIMATING = """<div id="spinner">0</div><script>
let n = 0;
(function frame() { document.getElementById("spinner").textContent = String(n++); requestAnimationFrame(frame); })();
</script>"""

# Decoys that only look busy: a timer beyond the horizon (30 s) and a poller that re-arms itself every
# 300 ms but changes nothing. Neither may hold the wait.
DECOY_TIMERS = """<script>
setTimeout(() => { document.title = "much later"; }, 30000);
let ticks = 0;
(function poll() { ticks++; setTimeout(poll, 300); })();
</script>"""

# A cookie written 1.5 s after load by a timer scheduled from a timer (chain depth 1: still counted).
CHAINED_TIMER = """<script>
setTimeout(() => { setTimeout(() => { document.cookie = "chained=1; path=/; max-age=600"; }, 1000); }, 500);
</script>"""


def add_wait_sites(web: VirtualHostWeb) -> None:
    for path, title, body in (
        ("/late-timer", "Late timer", LATE_TIMER),
        ("/long-poll", "Long poll", LONG_POLL),
        ("/animating", "Animating", ANIMATING),
        ("/decoy-timers", "Decoy timers", DECOY_TIMERS),
        ("/chained-timer", "Chained timer", CHAINED_TIMER),
        ("/", "Waits", '<a href="/late-timer">late</a> <a href="/long-poll">poll</a>'),
    ):
        web.route(WAITS, path, Response(PAGE.format(title=title, body=body)))
    web.route(WAITS, "/poll", Response("{}", content_type="application/json", delay_s=60.0))
    for host in (LATE_TRACKER, POLL_TRACKER):
        web.route(host, "/px", Response(b"", status=204))
