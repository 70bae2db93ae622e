"""What the behaviour instrumentation costs per page, measured in the same run.

    .venv/bin/python benchmarks/behaviour_cost.py --pages 20 --settle 0.5 --rounds 5 [--forms]

Scans a generated N-page site twice per round, with and without the behaviour instrumentation
(crawl/instrument.js and the keystroke probe, `ScanOptions.behaviour`), alternating so the machine's load
drifts over both, and prints the median cost per page. `--forms` gives every page a newsletter form, so the
probe types into the first five pages' fields. Never asserts timings.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.pipeline import scan_site
from privacyscan.settings import ScanOptions

SITE = "bench-site.example"
BEACON = "stats.bench-analytics.example"


FORM = ('<form action="/takk" method="post"><input type="text" name="navn"><input type="email" name="epost">'
        '<input type="tel" name="telefon"><button>Send</button></form>')


def build_site(web: VirtualHostWeb, pages: int, forms: bool = False) -> list[str]:
    urls = [f"http://{SITE}/" if i == 0 else f"http://{SITE}/p/{i}" for i in range(pages)]
    for i, url in enumerate(urls):
        # A chain plus a few cross-links, so discovery finds every page within the depth bound.
        links = "".join(f'<a href="{urls[j]}">page {j}</a> ' for j in {(i + 1) % pages, (i * 7 + 3) % pages, 0})
        body = (
            f"<!doctype html><html lang=en><head><title>Page {i}</title></head><body><h1>Page {i}</h1>"
            f"<p>{'Lorem ipsum dolor sit amet. ' * 40}</p>{links}{FORM if forms else ''}"
            f"<script>document.cookie='visit_{i % 5}=1; path=/; max-age=3600';"
            f"new Image().src='https://{BEACON}/collect?cid=12345.{i}&p={i}';</script></body></html>"
        )
        web.route(SITE, url.replace(f"http://{SITE}", ""), Response(body))
    web.route(BEACON, "/collect", Response(b"", status=204))
    return urls


def timed_scan(web: VirtualHostWeb, urls: list[str], settle: float, behaviour: bool = True) -> tuple[float, int]:
    options = ScanOptions(
        site_url=urls[0], max_pages=len(urls), max_depth=50, settle_s=settle, mappings=web.mappings(),
        ignore_https_errors=True, phases=(Phase.before_consent,), time_budget_s=3600, behaviour=behaviour,
    )
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        report = scan_site(options, Path(work), consent=None)
        return time.perf_counter() - start, len(report.evidence.phases[0].pages)


def behaviour_cost(pages: int, settle: float, forms: bool, rounds: int) -> None:
    """Alternate scans without and with the instrumentation (the machine's load drifts; alternating
    spreads it over both) and print the median cost per page."""
    with VirtualHostWeb() as web:
        urls = build_site(web, pages, forms)
        off, on = [], []
        for _ in range(rounds):
            off.append(timed_scan(web, urls, settle, behaviour=False))
            on.append(timed_scan(web, urls, settle, behaviour=True))
    off_s = sorted(t for t, _ in off)[len(off) // 2]
    on_s = sorted(t for t, _ in on)[len(on) // 2]
    visited = on[0][1]
    print(f"pages: {pages} (visited {visited}), settle {settle:g}s, forms {'on' if forms else 'off'}, "
          f"median of {rounds} round(s)")
    print(f"without behaviour instrumentation: {off_s:7.2f} s  {off_s / visited * 1000:7.1f} ms/page")
    print(f"with behaviour instrumentation   : {on_s:7.2f} s  {on_s / visited * 1000:7.1f} ms/page")
    print(f"cost per page: {(on_s - off_s) / visited * 1000:+.1f} ms   ratio (with / without): {on_s / off_s:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--settle", type=float, default=0.5)
    parser.add_argument("--forms", action="store_true", help="a newsletter form on every page (keystroke probe)")
    parser.add_argument("--rounds", type=int, default=3, help="scans of each kind")
    args = parser.parse_args()
    behaviour_cost(args.pages, args.settle, args.forms, args.rounds)


if __name__ == "__main__":
    main()
