"""`privacyscan batch` end to end with real Chromium: several fixture sites, one unreachable and one
hanging, two workers; interrupted with SIGINT and resumed (finished sites are skipped); each site its own
report in the store; the portfolio index lists every site. The sites-file parser is tested here too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from privacyscan.batch import BatchFileError, BatchState, parse_sites
from privacyscan.demo.webserver import Response, VirtualHostWeb

from .spine_sites import TRACKER, page

pytestmark = pytest.mark.browser

SITES = ["batch-a.example", "batch-b.example", "batch-c.example"]
UNREACHABLE = "http://no-such-host.invalid/"  # not mapped: DNS fails
HANGING = "batch-hang.example"  # the server never answers; the site's page timeout is longer than its limit


@pytest.fixture
def batch_web(fixture_web: VirtualHostWeb) -> VirtualHostWeb:
    for i, host in enumerate(SITES):
        tracker = f'<img src="https://{TRACKER}/pixel.gif?uid=abc123def456">' if i == 0 else ""
        fixture_web.route(host, "/", page(f"Site {host}", f"{tracker}<a href='/privacy'>Privacy</a>"))
        fixture_web.route(host, "/privacy", page("Privacy", "<h1>Privacy policy</h1>"))
    fixture_web.route(HANGING, "/", Response(hang=True))
    return fixture_web


def _sites_file(tmp_path: Path) -> Path:
    lines = ["sites:"] + [f"  - url: http://{h}/\n    label: Client {h[6]}" for h in SITES[:2]]
    lines += [f"  - {UNREACHABLE}", f"  - url: http://{SITES[2]}/",
              f"  - url: http://{HANGING}/\n    page_timeout_s: 120\n    time_budget_s: 300"]
    path = tmp_path / "sites.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _command(web: VirtualHostWeb, sites: Path, out: Path, *extra: str) -> list[str]:
    resolve = [arg for h in [*SITES, HANGING, TRACKER] for arg in ("--resolve", f"{h}:127.0.0.1:{web.port}")]
    return [str(Path(sys.executable).parent / "privacyscan"), "batch", str(sites), "--out", str(out), *resolve,
            "--allow-private-network", "--phases", "before_consent", "--max-pages", "2", "--settle", "0.3",
            "--page-timeout", "5", "--time-budget", "60", "--site-timeout", "45", "--format", "json,html,junit",
            *extra]


def _state(out: Path, batch_id: str) -> BatchState:
    return BatchState.model_validate_json((out / "batches" / batch_id / "batch.json").read_text())


def test_a_batch_survives_an_unreachable_and_a_hanging_site_and_resumes_after_sigint(batch_web, tmp_path):
    sites, out = _sites_file(tmp_path), tmp_path / "reports"
    batch_id = "20261130T120000Z"
    first = subprocess.Popen(_command(batch_web, sites, out, "--workers", "1", "--batch-id", batch_id),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state_file = out / "batches" / batch_id / "batch.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # interrupt once the first site is finished
        if state_file.is_file() and _state(out, batch_id).results:
            break
        time.sleep(0.2)
    first.send_signal(signal.SIGINT)
    stdout, stderr = first.communicate(timeout=60)
    assert first.returncode == 130, stdout + stderr
    assert f"resume with --batch-id {batch_id}" in stderr
    interrupted = _state(out, batch_id)
    assert interrupted.interrupted and interrupted.finished_at is None
    done_before = {url for url, r in interrupted.results.items() if r.status == "written"}
    assert done_before and len(interrupted.results) < 5, (stdout, stderr)

    started = time.monotonic()
    second = subprocess.run(_command(batch_web, sites, out, "--workers", "2", "--batch-id", batch_id),
                            capture_output=True, text=True, timeout=300)
    assert second.returncode == 5, second.stdout + second.stderr  # unreachable + timed out: not every site scanned
    assert time.monotonic() - started < 200
    final = _state(out, batch_id)
    assert not final.interrupted and final.finished_at is not None
    statuses = {url: r.status for url, r in final.results.items()}
    assert statuses[UNREACHABLE] == "unreachable"
    assert statuses[f"http://{HANGING}/"] == "timed_out"
    assert all(statuses[f"http://{h}/"] == "written" for h in SITES), final.results
    for url in done_before:  # finished before the interrupt: skipped on resume, not scanned again
        assert f"skipped       {url}" in second.stdout
    # each site its own report in the store, under this batch's scan id
    for h in SITES:
        result = final.results[f"http://{h}/"]
        assert result.scan_id == f"sched-{batch_id}"
        assert (out / "sites" / result.site_id / "scans" / result.scan_id / "report.json").is_file()
    # the portfolio index: one row per site, sorted pages without scripts, links to the reports
    index_dir = out / "batches" / batch_id
    portfolio = json.loads((index_dir / "portfolio.json").read_text())
    rows = {row["site_url"]: row for row in portfolio["rows"]}
    assert set(rows) == set(statuses)
    assert rows[f"http://{SITES[0]}/"]["label"] == "Client a" and rows[UNREACHABLE]["verdict"] == "no verdict"
    assert rows[f"http://{HANGING}/"]["status"] == "timed_out"
    html = (index_dir / "index.html").read_text()
    assert "<script" not in html and "default-src 'none'" in html
    assert 'href="index-by-verdict.html"' in html and (index_dir / "index-by-high.html").is_file()
    for row in rows.values():
        if row["report"]:
            assert (index_dir / row["report"]).is_file()
    # the batch kept no worker alive
    assert not [p for p in Path("/proc").glob("[0-9]*") if _is_batch_worker(p)]


def _is_batch_worker(proc: Path) -> bool:
    try:
        return b"privacyscan.batch" in (proc / "cmdline").read_bytes() and os.getpid() != int(proc.name)
    except (OSError, ValueError):
        return False


def test_sites_files_yaml_and_csv_and_their_errors(tmp_path):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("url,label,max_pages,resolve\nhttps://a.example/,A,5,a.example:127.0.0.1\n"
                        "https://b.example/,,,\n")
    parsed = parse_sites(csv_file)
    assert [s.url for s in parsed] == ["https://a.example/", "https://b.example/"]
    assert parsed[0].options == {"max_pages": 5, "resolve": ["a.example:127.0.0.1"]} and parsed[0].label == "A"
    yaml_file = tmp_path / "sites.yaml"
    yaml_file.write_text("- https://a.example/\n- url: https://b.example/\n  max_pages: 3\n")
    assert [s.options for s in parse_sites(yaml_file)] == [{}, {"max_pages": 3}]
    for text, message in [
        ("- file:///etc/passwd\n", "sites.yaml:entry 1: site_url: invalid URL"),
        ("- url: https://a.example/\n  max_pages: 0\n", "sites.yaml:entry 1: max_pages:"),
        ("- url: https://a.example/\n  colour: red\n", "sites.yaml:entry 1: colour:"),
        ("- https://a.example/\n- https://a.example/\n", "is listed twice"),
        ("sites: [https://a.example/\n", "sites.yaml:2: invalid YAML"),
        ("[]\n", "no sites"),
    ]:
        yaml_file.write_text(text)
        with pytest.raises(BatchFileError, match=message.replace("(", r"\(")):
            parse_sites(yaml_file)
    csv_file.write_text("site,label\nhttps://a.example/,A\n")
    with pytest.raises(BatchFileError, match="sites.csv:1: the header row needs a url column"):
        parse_sites(csv_file)
