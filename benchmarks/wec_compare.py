"""privacyscan against the EDPS Website Evidence Collector (WEC) on the same generated 20-page site, in
the same run, default settings of each: pages visited, what each found, wall time.

    # WEC in a scratch folder outside the repository (its code is never committed here):
    git clone https://github.com/EU-EDPS/website-evidence-collector /tmp/wec
    (cd /tmp/wec && PUPPETEER_SKIP_DOWNLOAD=1 npm install)
    .venv/bin/python benchmarks/wec_compare.py --wec-dir /tmp/wec

WEC runs with its defaults (3 s sleep after every load, `networkidle2`) and `--max 20` (its default, 0,
browses the home page only); it browses the home page plus a random sample of the home page's
first-party links. It is pointed at the OS Chromium by a wrapper script (PUPPETEER_EXECUTABLE_PATH;
`--no-sandbox` as it may run as root). The site is served on http://localhost:PORT, which WEC's own
HEAD request (Node, outside the browser) can reach; the analytics hosts reach the loopback web through
privacyscan's guard proxy, given to WEC's Chromium with `--proxy-server` (loopback bypasses it).

Without --wec-dir (or when WEC will not start) the script says so and compares against a faithful
re-implementation of WEC's wait strategy in Playwright instead: `networkidle` after each load, then a
3 s sleep, on the home page and a random sample of its first-party links.

privacyscan runs a full scan with its defaults (three phases, consent driver; the site has no banner and
no consent API, so the after-choice phases are recorded as having nothing to act on). Found: cookie
names, localStorage keys and third-party hosts. Prints the ratio; never asserts timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench_sites import build_site
from playwright.async_api import async_playwright

from privacyscan.crawl.browser import chromium_args, chromium_executable, fresh_profile
from privacyscan.crawl.guard_proxy import GuardProxy
from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.netguard import NetGuard
from privacyscan.pipeline import default_consent_driver, scan_site
from privacyscan.settings import ScanOptions

WEC_SLEEP_S = 3.0  # WEC's default --sleep 3000 (ms)


@dataclass
class Found:
    tool: str
    seconds: float
    pages: set[str] = field(default_factory=set)
    cookies: set[str] = field(default_factory=set)
    storage: set[str] = field(default_factory=set)
    third_party: set[str] = field(default_factory=set)

    def line(self) -> str:
        return (f"{self.tool:<34} {self.seconds:7.1f} s  pages {len(self.pages):3d}  cookies {len(self.cookies):2d}  "
                f"storage keys {len(self.storage):2d}  third-party hosts {len(self.third_party):2d}")


def run_privacyscan(web: VirtualHostWeb, url: str, pages: int) -> Found:
    options = ScanOptions(site_url=url, max_pages=pages, mappings=web.mappings(), allow_private_network=True)
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        report = scan_site(options, Path(work), consent=default_consent_driver())
        seconds = time.perf_counter() - start
    found = Found("privacyscan (3 phases, defaults)", seconds)
    site_host = urlsplit(url).hostname
    for phase in report.evidence.phases:
        found.pages |= {p.url for p in phase.pages if p.error is None}
        found.cookies |= {c.name for c in phase.cookies}
        found.storage |= {s.key for s in phase.storage if s.kind == "local"}
        found.third_party |= {r.host for r in phase.requests if r.host != site_host}
    return found


def run_wec(wec_dir: Path, url: str, pages: int, proxy_url: str, scratch: Path) -> Found | str:
    """WEC itself; a string saying why not when it cannot run."""
    entry = wec_dir / "bin" / "website-evidence-collector.js"
    if not entry.is_file() or not (wec_dir / "node_modules" / "puppeteer").is_dir():
        return f"no WEC installation in {wec_dir} (bin/website-evidence-collector.js and node_modules/puppeteer)"
    wrapper = scratch / "chromium"
    wrapper.write_text(f'#!/bin/sh\nexec {chromium_executable()} --no-sandbox "$@"\n')
    wrapper.chmod(0o755)
    out = scratch / "wec-output"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(wrapper), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    command = ["node", str(entry), url, "--max", str(pages), "--output", str(out), "--overwrite", "--no-pdf",
               "--quiet", "--", f"--proxy-server={proxy_url}"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=wec_dir, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - start
    inspection = out / "inspection.json"
    if done.returncode != 0 or not inspection.is_file():
        return f"WEC exited {done.returncode}: {(done.stderr or done.stdout).strip()[-400:]}"
    data = json.loads(inspection.read_text())
    found = Found("EDPS WEC (defaults, --max 20)", seconds)
    found.pages = set(data.get("browsing_history") or [])
    found.cookies = {c.get("name") for c in data.get("cookies", []) if c.get("name")}
    found.storage = {key for origin in (data.get("localStorage") or {}).values() for key in (origin or {})}
    found.third_party = set(((data.get("hosts") or {}).get("requests") or {}).get("thirdParty") or [])
    return found


async def wec_like(url: str, pages: int, proxy_url: str, seed: int) -> Found:
    """WEC's wait strategy re-implemented: networkidle after each load, then a 3 s sleep; the home page,
    then a random sample of its first-party links."""
    found = Found("WEC's waits re-implemented", 0.0)
    site_host = urlsplit(url).hostname
    start = time.perf_counter()
    async with async_playwright() as p:
        with tempfile.TemporaryDirectory() as profile:
            context = await p.chromium.launch_persistent_context(
                str(fresh_profile(Path(profile))), executable_path=chromium_executable(), headless=True,
                args=chromium_args(proxy_url), ignore_https_errors=True)
            context.on("request", lambda r: found.third_party.add(urlsplit(r.url).hostname or ""))
            page = context.pages[0] if context.pages else await context.new_page()
            history = [url]
            for index, target in enumerate(history):
                await page.goto(target, wait_until="networkidle")
                await asyncio.sleep(WEC_SLEEP_S)
                found.pages.add(target)
                found.storage |= set(await page.evaluate("() => Object.keys(localStorage)"))
                if index == 0:
                    links = await page.evaluate("() => [...document.links].map(a => a.href)")
                    first_party = sorted({u for u in links if urlsplit(u).hostname == site_host} - {url})
                    history += random.Random(seed).sample(first_party, min(len(first_party), pages - 1))
            found.cookies = {c["name"] for c in await context.cookies()}
            await context.close()
    found.third_party.discard(site_host)
    found.seconds = time.perf_counter() - start
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--wec-dir", type=Path, default=None, help="a WEC checkout with node_modules installed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with VirtualHostWeb() as web, tempfile.TemporaryDirectory() as scratch:
        url = f"http://localhost:{web.port}/"
        build_site(web, "localhost", args.pages, base=f"http://localhost:{web.port}")
        proxy = GuardProxy(NetGuard(web.mappings(), allow_private_network=True))
        proxy.start()
        try:
            ours = run_privacyscan(web, url, args.pages)
            wec = run_wec(args.wec_dir, url, args.pages, proxy.url, Path(scratch)) if args.wec_dir else \
                "no --wec-dir given"
            if isinstance(wec, str):
                print(f"EDPS WEC not run ({wec}); comparing against a re-implementation of its waits")
                wec = asyncio.run(wec_like(url, args.pages, proxy.url, args.seed))
        finally:
            proxy.stop()
    print(f"generated site: {args.pages} pages, {url}")
    print(ours.line())
    print(wec.line())
    for name in ("pages", "cookies", "storage", "third_party"):
        missing = getattr(wec, name) - getattr(ours, name)
        if missing:
            print(f"  found by {wec.tool} only ({name}): {sorted(missing)}")
    print(f"speed-up: {wec.seconds / ours.seconds:.2f}x   (target >= 3x, with as many or more pages and findings)")


if __name__ == "__main__":
    main()
