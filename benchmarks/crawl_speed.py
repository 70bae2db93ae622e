"""Crawl speed and memory against a bare Playwright loop, measured in the same run.

    .venv/bin/python benchmarks/crawl_speed.py --pages 50 --settle 1.0

Generates an N-page same-site fixture (each page: a first-party cookie by script, an analytics-style
beacon, a few links), then times (a) a bare Playwright loop that only loads the same pages with the
same settle time and (b) a privacyscan scan of the site (one phase, discovery by links, screenshots on).
With `--behaviour-cost` it instead scans the site twice, with and without the behaviour instrumentation
(crawl/instrument.js and the keystroke probe, `ScanOptions.behaviour`), and prints its cost per page;
`--forms` gives every page a newsletter form, so the probe types into the first five pages' fields.
Peak memory is the peak summed PSS (proportional set size: shared pages split between the processes
that share them, so Chromium's many processes are not counted several times) of this process and all
its children (Chromium, the Playwright driver), sampled every 100 ms. Prints pages/s, peak PSS and the ratios; never asserts timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
from pathlib import Path

from playwright.async_api import async_playwright

from privacyscan.crawl.browser import chromium_args, chromium_executable, fresh_profile
from privacyscan.crawl.guard_proxy import GuardProxy
from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.netguard import NetGuard
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


class PeakMemory:
    """Peak of the summed PSS of this process and all its descendants."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _tree_pss() -> int:
        children: dict[int, list[int]] = {}
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(proc.name))
            except (OSError, IndexError, ValueError):
                continue
        total, todo = 0, [os.getpid()]
        while todo:
            pid = todo.pop()
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            except (OSError, IndexError, ValueError):
                pass
            todo.extend(children.get(pid, []))
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_pss())
            self._stop.wait(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def bare_loop(web: VirtualHostWeb, urls: list[str], settle: float) -> None:
    """The baseline: the same Chromium, profile, proxy and pages; only goto + settle."""
    proxy = GuardProxy(NetGuard(web.mappings()))
    proxy.start()
    try:
        async with async_playwright() as p:
            with tempfile.TemporaryDirectory() as profile:
                context = await p.chromium.launch_persistent_context(
                    str(fresh_profile(Path(profile))), executable_path=chromium_executable(), headless=True,
                    args=chromium_args(proxy.url), ignore_https_errors=True,
                )
                page = context.pages[0] if context.pages else await context.new_page()
                for url in urls:
                    await page.goto(url, wait_until="load")
                    await asyncio.sleep(settle)
                await context.close()
    finally:
        proxy.stop()


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
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--settle", type=float, default=1.0)
    parser.add_argument("--behaviour-cost", action="store_true",
                        help="scan with and without the behaviour instrumentation; print its cost per page")
    parser.add_argument("--forms", action="store_true", help="a newsletter form on every page (keystroke probe)")
    parser.add_argument("--rounds", type=int, default=3, help="--behaviour-cost: scans of each kind")
    args = parser.parse_args()
    if args.behaviour_cost:
        behaviour_cost(args.pages, args.settle, args.forms, args.rounds)
        return

    with VirtualHostWeb() as web:
        urls = build_site(web, args.pages)
        with PeakMemory() as bare_mem:
            start = time.perf_counter()
            asyncio.run(bare_loop(web, urls, args.settle))
            bare_s = time.perf_counter() - start
        options = ScanOptions(
            site_url=urls[0], max_pages=args.pages, max_depth=50, settle_s=args.settle, mappings=web.mappings(),
            ignore_https_errors=True, phases=(Phase.before_consent,), time_budget_s=3600,
        )
        with tempfile.TemporaryDirectory() as work, PeakMemory() as scan_mem:
            start = time.perf_counter()
            report = scan_site(options, Path(work), consent=None)
            scan_s = time.perf_counter() - start
    visited = len(report.evidence.phases[0].pages)
    mib = 1024 * 1024
    print(f"pages: {args.pages} (scanner visited {visited}), settle {args.settle:g}s")
    print(f"bare playwright loop : {bare_s:7.2f} s  {args.pages / bare_s:5.2f} pages/s  peak PSS {bare_mem.peak / mib:7.0f} MiB")
    print(f"privacyscan scan     : {scan_s:7.2f} s  {visited / scan_s:5.2f} pages/s  peak PSS {scan_mem.peak / mib:7.0f} MiB")
    print(f"ratio time (scan / bare): {scan_s / bare_s:.2f}x   (target <= 1.25x)")
    print(f"ratio memory (scan / bare): {scan_mem.peak / max(1, bare_mem.peak):.2f}x   (target: scan peak <= 1024 MiB)")


if __name__ == "__main__":
    main()
