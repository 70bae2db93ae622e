"""Interruption on a real subprocess scan (`python -m privacyscan.cli scan`): SIGINT or SIGTERM after a few
pages stops the crawl within seconds, writes what was gathered (complete: false, cause "interrupted"),
exits 130 and leaves no Chromium (nor Playwright driver) behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from privacyscan.cli import EXIT_INTERRUPTED

pytestmark = pytest.mark.browser

SETTLE_S = 3.0
# (site, the page during which the signal arrives, what the crawl is waiting for then)
WHILE_SETTLING = ("many-pages.example", 3)  # page 3's settle wait
WHILE_LOADING = ("hanging-subpage.example", 3)  # /, /privacy, then /hang, which never answers


def processes_with_env(marker: str) -> list[int]:
    """Processes whose environment carries `marker`: the scan and everything it started."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return found


def start_scan(fixture_web, tmp_path: Path, site: str) -> tuple[subprocess.Popen, Path, str]:
    # A short TMPDIR, as a shell's is: the marker must reach Chromium's environment unchanged, and the crawl
    # replaces a TMPDIR too long for Chromium's socket path (crawl.browser.MAX_BROWSER_TMPDIR).
    workdir = Path(tempfile.mkdtemp(prefix="ps-sig-", dir="/tmp"))
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(workdir), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(sys.path), "COLUMNS": "200"}
    command = [sys.executable, "-m", "privacyscan.cli", "scan", f"http://{site}/", "--out", str(out),
               "--resolve", f"{site}:{fixture_web.bind_host}:{fixture_web.port}", "--allow-private-network",
               "--ignore-https-errors", "--phases", "before_consent", "--format", "json", "--settle", str(SETTLE_S),
               "--max-pages", "12", "--page-timeout", "30", "--verbose", "--no-screenshots"]
    scan = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return scan, out, str(workdir)


def wait_for_page(scan: subprocess.Popen, n: int, timeout_s: float = 60) -> None:
    """Read the --verbose lines until page `n` is being visited."""
    give_up = time.monotonic() + timeout_s
    while time.monotonic() < give_up:
        line = scan.stdout.readline()
        if not line:
            break
        if line.split()[1:2] == [str(n)]:
            return
    scan.kill()
    raise AssertionError(f"page {n} was never visited: {scan.stderr.read()}")


@pytest.mark.parametrize(("signum", "scenario"), [(signal.SIGINT, WHILE_SETTLING), (signal.SIGTERM, WHILE_LOADING)],
                         ids=["SIGINT-while-settling", "SIGTERM-while-a-page-hangs"])
def test_a_signal_after_a_few_pages_writes_what_was_gathered_and_ends_chromium(fixture_web, tmp_path, signum,
                                                                                  scenario):
    site, page_n = scenario
    scan, out, marker = start_scan(fixture_web, tmp_path, site)
    try:
        wait_for_page(scan, page_n)
        time.sleep(1.0)  # inside the wait
        assert processes_with_env(marker), "the scan's Chromium should be running"
        sent = time.monotonic()
        scan.send_signal(signum)
        _, stderr = scan.communicate(timeout=30)
        stopped_in = time.monotonic() - sent
    finally:
        if scan.poll() is None:
            scan.kill()
    assert scan.returncode == EXIT_INTERRUPTED, stderr
    assert stopped_in < 5, f"took {stopped_in:.1f}s to stop and write"
    assert "Traceback" not in stderr and "interrupted" in stderr
    reports = list(out.glob("sites/*/scans/*/report.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert report["complete"] is False and report["status"] == "incomplete"
    assert [c["kind"] for c in report["causes"]] == ["interrupted"]
    assert signal.Signals(signum).name in report["causes"][0]["detail"]
    pages = report["evidence"]["phases"][0]["pages"]
    assert len(pages) == page_n - 1 and all(p["error"] is None for p in pages)  # the page in progress is dropped
    time.sleep(0.5)
    assert processes_with_env(marker) == [], "Chromium or the Playwright driver outlived the scan"
