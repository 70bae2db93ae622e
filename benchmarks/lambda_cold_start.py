"""Lambda cold start and per-page cost of the layer's Chromium, against the Debian Chromium, in one run.

    .venv/bin/python benchmarks/lambda_cold_start.py --pages 8

Builds (or reuses) the layers (layers/build.py), then on a fresh /tmp stand-in with Lambda's environment:
unpack time of each part (Chromium, SwiftShader, AL2023 libs, fonts, Playwright's Node), Playwright start
(driver on the unpacked Node), Chromium launch, first page; a warm start (prepare() again); then the same
fixture site (N pages, all three consent phases) scanned with the Lambda Chromium and with the Debian
Chromium: per phase and per page. Prints the layer sizes and the cost per 1,000 pages at Lambda's published
x86_64 price for 2 GB. Measured on this machine (shared cores); never asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from privacyscan.crawl.browser import browser_environment, chromium_args, fresh_profile
from privacyscan.crawl.browser_factory import BrowserLaunch, LambdaChromium, LocalChromium, compose_browser
from privacyscan.crawl.guard_proxy import GuardProxy
from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.netguard import NetGuard
from privacyscan.pipeline import default_consent_driver, scan_site
from privacyscan.settings import ScanOptions

ROOT = Path(__file__).resolve().parents[1]
PRICE_PER_GB_S = 0.0000166667  # x86_64, first pricing tier (aws.amazon.com/lambda/pricing)
PRICE_PER_REQUEST = 0.20 / 1_000_000
MEMORY_GB = 2.0
SITE = "www.benk.no"
BANNER = """<div id="cb" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:12px">
Vi bruker informasjonskapsler til statistikk og markedsføring.
<button onclick="document.cookie='samtykke=nei;path=/';this.parentNode.remove()">Avvis alle</button>
<button onclick="document.cookie='samtykke=ja;path=/';this.parentNode.remove()">Godta alle</button></div>"""


def layer_build():
    spec = importlib.util.spec_from_file_location("privacyscan_layer_build", ROOT / "layers" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_site(web: VirtualHostWeb, pages: int) -> None:
    for i in range(pages):
        links = " ".join(f'<a href="/p/{j}">Side {j}</a>' for j in range(1, pages))
        html = (f"<!doctype html><html lang=nb><title>Side {i}</title><h1>Side {i}</h1>{links}"
                f"<script>document.cookie='v{i}=1; path=/'</script>"
                f"<img src='https://px.benk-analyse.example/p.gif?p={i}' width=1 height=1>"
                f"<div style='height:1500px'></div>{BANNER}</html>")
        web.route(SITE, "/" if i == 0 else f"/p/{i}", Response(html))
    web.route("px.benk-analyse.example", "/p.gif", Response(b"GIF89a", content_type="image/gif",
                                                            headers=[("Set-Cookie", "uid=1; SameSite=None; Secure")]))


async def first_page(launch: BrowserLaunch, url: str, web: VirtualHostWeb, tmp: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    proxy = GuardProxy(NetGuard(web.mappings(), False))
    proxy.start()
    try:
        started = time.perf_counter()
        async with async_playwright() as playwright:
            times["playwright_start_s"] = time.perf_counter() - started
            started = time.perf_counter()
            context = await playwright.chromium.launch_persistent_context(
                str(fresh_profile(tmp / "bench-profile")), executable_path=launch.executable, headless=True,
                args=chromium_args(proxy.url, launch.args), env=browser_environment(launch.env),
                ignore_https_errors=True)
            times["launch_s"] = time.perf_counter() - started
            started = time.perf_counter()
            page = context.pages[0] if context.pages else await context.new_page()
            await page.goto(url, wait_until="load")
            times["first_page_s"] = time.perf_counter() - started
            await context.close()
    finally:
        proxy.stop()
        shutil.rmtree(tmp / "bench-profile", ignore_errors=True)
    return times


def timed_scan(launch: BrowserLaunch, web: VirtualHostWeb, pages: int, workdir: Path) -> dict[str, float]:
    marks: list[tuple[Phase, float]] = []
    options = launch.configure(ScanOptions(
        site_url=f"https://{SITE}/", mappings=web.mappings(), ignore_https_errors=True, max_pages=pages, max_depth=1,
        settle_s=0.5, quiet_window_s=0.3, quiet_cap_s=3.0, page_timeout_s=10.0, consent_detect_s=2.0,
        consent_settle_s=1.0, consent_quiet_s=0.5, consent_cap_s=4.0))
    started = time.perf_counter()
    report = scan_site(options, workdir, consent=default_consent_driver(),
                       progress=lambda phase, _n, _url: marks.append((phase, time.perf_counter())))
    total = time.perf_counter() - started
    visited = sum(len([p for p in ph.pages if p.error is None]) for ph in report.evidence.phases)
    result = {"total_s": total, "pages": visited, "per_page_s": total / max(1, visited),
              "version": report.evidence.browser.version}
    for phase in Phase:
        stamps = [t for p, t in marks if p is phase]
        if stamps:
            nxt = [t for p, t in marks if t > stamps[-1] and p is not phase]
            result[f"{phase.value}_s"] = (nxt[0] if nxt else started + total) - stamps[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--debian-chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    build = layer_build()
    built = build.cached_build()
    sizes = build.sizes(built)
    print("== sizes (unzipped)")
    for name, value in sizes.items():
        print(f"  {name:>18}: {value / 1e6:7.1f} MB")
    print(f"  {'limit':>18}: {build.LAMBDA_LIMIT_BYTES / 1e6:7.1f} MB")

    web = VirtualHostWeb()
    web.start()
    build_site(web, args.pages)
    with tempfile.TemporaryDirectory(prefix="lambda-bench-") as scratch:
        base = Path(scratch)
        opt, tmp = base / "opt", base / "tmp"
        opt.mkdir()
        tmp.mkdir()
        (opt / "chromium").symlink_to(built / "chromium" / "chromium")
        (opt / "privacyscan-node").symlink_to(built / "privacyscan" / "privacyscan-node")
        os.environ.update(AWS_LAMBDA_FUNCTION_NAME="bench", LAMBDA_TASK_ROOT=str(base), HOME=str(tmp),
                          TMPDIR=str(tmp), PRIVACYSCAN_LAYER_ROOT=str(opt), PRIVACYSCAN_UNPACK_DIR=str(tmp),
                          PRIVACYSCAN_JS_DIR=str(built / "privacyscan" / "privacyscan-js"))
        tempfile.tempdir = str(tmp)
        factory = compose_browser(os.environ)
        assert isinstance(factory, LambdaChromium)

        print("== cold start (Lambda path)")
        started = time.perf_counter()
        launch = factory.prepare()
        unpack_total = time.perf_counter() - started
        for part, seconds in factory.last.seconds.items():
            print(f"  unpack {part:>12}: {seconds:6.2f} s")
        print(f"  unpack {'total':>12}: {unpack_total:6.2f} s   (/tmp now {build.tree_bytes(tmp) / 1e6:.0f} MB)")
        cold = asyncio.run(first_page(launch, f"https://{SITE}/", web, tmp))
        for name, seconds in cold.items():
            print(f"  {name:>19}: {seconds:6.2f} s")
        cold_total = unpack_total + sum(cold.values())
        print(f"  {'cold start total':>19}: {cold_total:6.2f} s")

        print("== warm start")
        started = time.perf_counter()
        factory.prepare()
        print(f"  {'prepare (no unpack)':>19}: {(time.perf_counter() - started) * 1000:6.1f} ms")
        warm = asyncio.run(first_page(launch, f"https://{SITE}/", web, tmp))
        for name, seconds in warm.items():
            print(f"  {name:>19}: {seconds:6.2f} s")

        print(f"== one scan of {args.pages} pages x 3 phases (consent banner rejected/accepted)")
        lambda_scan = timed_scan(launch, web, args.pages, tmp / "work-lambda")
        os.environ.pop("PLAYWRIGHT_NODEJS_PATH", None)  # Debian side: the wheel's own Node, as the CLI runs
        debian_scan = timed_scan(LocalChromium(args.debian_chromium).prepare(), web, args.pages, base / "work-debian")
        print(f"  {'':>20} {'Lambda ' + lambda_scan['version']:>22} {'Debian ' + debian_scan['version']:>22}")
        for key in ("pages", "total_s", "per_page_s", "before_consent_s", "after_reject_s", "after_accept_s"):
            if key in lambda_scan or key in debian_scan:
                print(f"  {key:>20} {lambda_scan.get(key, float('nan')):>22.2f} {debian_scan.get(key, float('nan')):>22.2f}")
    web.stop()

    per_page = lambda_scan["per_page_s"]
    warm_cost = per_page * MEMORY_GB * PRICE_PER_GB_S * 1000
    scans_per_1000 = 1000 / max(1, lambda_scan["pages"])
    cold_cost = (cold_total * MEMORY_GB * PRICE_PER_GB_S + PRICE_PER_REQUEST) * scans_per_1000
    print(f"== cost per 1,000 pages (x86_64, {MEMORY_GB:g} GB, ${PRICE_PER_GB_S}/GB-s)")
    print(f"  warm: {per_page:.2f} s/page -> ${warm_cost:.4f}")
    print(f"  every scan of {lambda_scan['pages']} pages a cold start (worst case): +${cold_cost:.4f} "
          f"-> ${warm_cost + cold_cost:.4f}")


if __name__ == "__main__":
    sys.exit(main())
