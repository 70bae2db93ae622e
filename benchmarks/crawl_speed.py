"""Crawl speed and memory against a bare Playwright loop, and three phases against one, in the same run.

    .venv/bin/python benchmarks/crawl_speed.py --pages 50

(a) Per page and phase: a bare Playwright loop that loads the same pages and waits with the same
    evidence-based rule (crawl/quiet.py: network, DOM, writes and short timers quiet, capped) against a
    privacyscan scan of the site (one phase, discovery by links, screenshots on).
(b) Phases: on the same site with a consent banner on every page, privacyscan's before-consent phase
    alone against the full scan (three phases, run at once: a browser each) and, unless
    --skip-sequential, the three phases one after another as before. Peak PSS of the process tree for each.

Peak memory is the peak summed PSS (proportional set size: shared pages split between the processes
that share them, so Chromium's many processes are not counted several times) of this process and all
its children (Chromium, the Playwright driver), sampled every 100 ms. Prints times and ratios; never
asserts timings. The sites: benchmarks/bench_sites.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
from pathlib import Path

from bench_sites import build_site
from playwright.async_api import async_playwright

from privacyscan.crawl.browser import chromium_args, chromium_executable, fresh_profile
from privacyscan.crawl.guard_proxy import GuardProxy
from privacyscan.crawl.quiet import QUIET_JS, TIMERS_JS, PageSignals, QuietRule, is_quiet
from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.netguard import NetGuard
from privacyscan.pipeline import default_consent_driver, scan_site
from privacyscan.settings import ScanOptions

SITE = "bench-site.example"
BANNER_SITE = "bench-banner.example"
MIB = 1024 * 1024


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


async def bare_loop(web: VirtualHostWeb, urls: list[str], rule: QuietRule) -> None:
    """The baseline: the same Chromium, profile, proxy and pages; only goto, then the same quiet rule."""
    proxy = GuardProxy(NetGuard(web.mappings()))
    proxy.start()
    try:
        async with async_playwright() as p:
            with tempfile.TemporaryDirectory() as profile:
                context = await p.chromium.launch_persistent_context(
                    str(fresh_profile(Path(profile))), executable_path=chromium_executable(), headless=True,
                    args=chromium_args(proxy.url), ignore_https_errors=True,
                )
                await context.add_init_script(script=TIMERS_JS)
                last = [time.monotonic()]
                for event in ("request", "requestfinished", "requestfailed"):
                    context.on(event, lambda _r: last.__setitem__(0, time.monotonic()))
                page = context.pages[0] if context.pages else await context.new_page()
                for url in urls:
                    await page.goto(url, wait_until="load")
                    started = time.monotonic()
                    while True:
                        signals = PageSignals.from_probe(await page.evaluate(QUIET_JS))
                        now = time.monotonic()
                        if is_quiet(now, last[0], signals, rule, started) or now - started >= rule.cap_s:
                            break
                        await asyncio.sleep(0.05)
                await context.close()
    finally:
        proxy.stop()


def timed_scan(options: ScanOptions, consent: bool) -> tuple[float, int, object]:
    """Wall time, peak PSS and the report of one scan."""
    with tempfile.TemporaryDirectory() as work, PeakMemory() as memory:
        start = time.perf_counter()
        report = scan_site(options, Path(work), consent=default_consent_driver() if consent else None)
        return time.perf_counter() - start, memory.peak, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--settle", type=float, default=0.0, help="fixed extra wait (default: none)")
    parser.add_argument("--skip-sequential", action="store_true", help="do not time the phases one by one")
    args = parser.parse_args()

    with VirtualHostWeb() as web:
        urls = build_site(web, SITE, args.pages)
        build_site(web, BANNER_SITE, args.pages, banner=True)
        base = dict(max_pages=args.pages, max_depth=50, settle_s=args.settle, mappings=web.mappings(),
                    ignore_https_errors=True, time_budget_s=3600)
        options = ScanOptions(site_url=urls[0], phases=(Phase.before_consent,), **base)
        rule = QuietRule(window_s=options.quiet_window_s, cap_s=options.quiet_cap_s, minimum_s=args.settle)
        with PeakMemory() as bare_mem:
            start = time.perf_counter()
            asyncio.run(bare_loop(web, urls, rule))
            bare_s = time.perf_counter() - start
        scan_s, scan_peak, report = timed_scan(options, consent=False)
        visited = len(report.evidence.phases[0].pages)

        banner_url = f"http://{BANNER_SITE}/"
        one_s, one_peak, _ = timed_scan(ScanOptions(site_url=banner_url, phases=(Phase.before_consent,), **base), True)
        three_s, three_peak, three = timed_scan(ScanOptions(site_url=banner_url, **base), True)
        seq = None if args.skip_sequential else timed_scan(
            ScanOptions(site_url=banner_url, parallel_phases=False, **base), True)

    print(f"(a) {args.pages} pages, no fixed settle" if not args.settle else f"(a) {args.pages} pages, settle {args.settle:g}s")
    print(f"bare playwright loop, same waits : {bare_s:7.2f} s  {args.pages / bare_s:5.2f} pages/s  "
          f"peak PSS {bare_mem.peak / MIB:6.0f} MiB")
    print(f"privacyscan, one phase           : {scan_s:7.2f} s  {visited / scan_s:5.2f} pages/s  "
          f"peak PSS {scan_peak / MIB:6.0f} MiB  ({visited} pages)")
    print(f"ratio per page per phase (scan / bare): {(scan_s / max(1, visited)) / (bare_s / args.pages):.2f}x"
          "   (target <= 1.25x)")
    pages = [len(p.pages) for p in three.evidence.phases]
    print(f"(b) banner site, {args.pages} pages")
    print(f"one phase (before consent)       : {one_s:7.2f} s  peak PSS {one_peak / MIB:6.0f} MiB")
    print(f"three phases at once             : {three_s:7.2f} s  peak PSS {three_peak / MIB:6.0f} MiB  "
          f"(pages per phase {pages})")
    if seq is not None:
        print(f"three phases one after another   : {seq[0]:7.2f} s  peak PSS {seq[1] / MIB:6.0f} MiB")
    print(f"ratio full scan / one phase: {three_s / one_s:.2f}x   (target <= 1.3x)")
    print(f"peak PSS, three browsers at once: {three_peak / MIB / 1024:.2f} GiB   (target <= 1.5 GiB)")


if __name__ == "__main__":
    main()
