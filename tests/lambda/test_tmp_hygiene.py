"""A warm Lambda environment scanning site after site does not fill /tmp or grow without bound: each
scan's working folder (profiles, screenshots, rendered reports) goes when the scan is stored, Chromium and
Playwright's driver exit, and the process's RSS levels off. 20 small fixture sites through the Lambda
browser path and the use case the scan handler calls (`store_scan`), measured after each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.store import open_store
from privacyscan.usecase import ScanStatus, store_scan

from ..browser.conftest import scan_options
from .test_lambda_browser import _children

pytestmark = [pytest.mark.browser, getattr(pytest.mark, "lambda")]  # `lambda` is a keyword
SITES = [f"www.side{n:02d}.no" for n in range(20)]
MB = 1024 * 1024


def _page(host: str) -> str:
    return (f"<!doctype html><html lang=nb><title>{host}</title><h1>{host}</h1>"
            f"<script>document.cookie='visit=1; path=/; max-age=600'</script>"
            f"<img src='https://www.facebook.com/tr?id={host}' width=1 height=1>"
            "<form action='/send' method=post><label>E-post <input type=email name=email></label>"
            "<label><input type=checkbox name=news checked> Nyhetsbrev</label><button>Send</button></form>"
            "<div style='height:1500px'></div></html>")


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def twenty_sites():
    with VirtualHostWeb() as web:
        web.route("www.facebook.com", "/tr", Response(b"GIF89a", content_type="image/gif"))
        for host in SITES:
            web.route(host, "/", Response(_page(host), headers=[("Set-Cookie", "sid=1; Path=/; HttpOnly")]))
        yield web


def test_twenty_scans_in_a_warm_environment_stay_bounded(twenty_sites, lambda_env, lambda_stand_in, tmp_path):
    tmp = lambda_stand_in.tmp
    store = open_store(str(tmp_path / "reports"))  # the real function writes to S3, not to /tmp
    usage, rss, outcomes = [], [], []
    baseline = tree_bytes(tmp)
    for host in SITES:
        options = lambda_env.configure(scan_options(twenty_sites, f"https://{host}/", max_pages=1, screenshots=True,
                                                   settle_s=0.1, quiet_window_s=0.1, consent_detect_s=0.3))
        outcome = store_scan(options, store)
        outcomes.append(outcome)
        usage.append(tree_bytes(tmp))
        rss.append(rss_bytes())
        leftovers = [p for p in _children(os.getpid())
                     if os.path.realpath(f"/proc/{p}/exe").startswith(str(tmp))]
        assert leftovers == [], f"Chromium or Node still running after scanning {host}"
    print("tmp bytes after each scan:", [u - baseline for u in usage])
    print("RSS MB after each scan:", [round(r / MB, 1) for r in rss])

    # Every scan really ran, in the Lambda Chromium, and took screenshots (which must then be gone).
    assert all(o.status is ScanStatus.written for o in outcomes), [o.causes for o in outcomes]
    assert all(o.report.evidence.browser.version.startswith("153.") for o in outcomes)
    assert any(p.screenshot for o in outcomes for p in o.report.evidence.phases[0].pages)
    assert {c.name for c in outcomes[-1].report.evidence.phases[0].cookies if c.stored} >= {"sid", "visit"}

    # /tmp: nothing of any scan stays (only the unpacked browser and fontconfig's cache, which do not grow).
    assert not [p for p in tmp.iterdir() if p.name.startswith("privacyscan-") and p.name not in
                ("privacyscan-chromium", "privacyscan-node")]
    assert max(usage) - baseline < 2 * MB
    assert usage[-1] - usage[0] < 64 * 1024
    # RSS: after the first scans have warmed the caches, 15 more scans add (next to) nothing.
    assert rss[-1] - rss[4] < 40 * MB, [round(r / MB, 1) for r in rss]
