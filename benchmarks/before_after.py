"""Wall time of full scans with two versions of privacyscan, each with its own defaults, in the same run:
the demo shop (`privacyscan demo`) and a generated site with a consent banner on every page
(`privacyscan scan`, three phases). Each version runs as a subprocess with its own source tree.

    .venv/bin/python benchmarks/before_after.py --before ../main-at-some-commit/src --after src

Medians of --runs runs. Prints times and ratios; never asserts timings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_sites import build_site

from privacyscan.demo.webserver import VirtualHostWeb

BANNER_SITE = "bench-banner.example"


def timed(src: Path, args: list[str]) -> tuple[float, dict]:
    """Seconds one CLI run took, and its report's page counts per phase."""
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PYTHONPATH": str(src.resolve())}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "privacyscan.cli", *args, "--out", out, "--format", "json"],
                       env=env, capture_output=True, text=True, timeout=1800)
        seconds = time.perf_counter() - start
        reports = list(Path(out).rglob("report.json"))
        pages = {}
        if reports:
            evidence = json.loads(reports[0].read_text()).get("evidence", {})
            pages = {p["phase"]: len(p.get("pages", [])) for p in evidence.get("phases", [])}
        return seconds, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the earlier version")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    parser.add_argument("--pages", type=int, default=10, help="pages of the banner site")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    with VirtualHostWeb() as web:
        build_site(web, BANNER_SITE, args.pages, banner=True)
        resolve = [a for m in web.mappings() for a in ("--resolve", f"{m.host}:{m.address}:{m.port}")]
        cases = {
            "demo shop, full scan (privacyscan demo)": ["demo"],
            f"banner site, {args.pages} pages, three phases": ["scan", f"http://{BANNER_SITE}/", "--max-pages",
                                                              str(args.pages), *resolve],
        }
        for name, cli in cases.items():
            results = {}
            for label, src in (("before", args.before), ("after", args.after)):
                runs = [timed(src, cli) for _ in range(args.runs)]
                results[label] = (statistics.median(r[0] for r in runs), runs[-1][1])
            (before_s, before_pages), (after_s, after_pages) = results["before"], results["after"]
            print(f"{name}: before {before_s:6.1f} s {before_pages}  after {after_s:6.1f} s {after_pages}  "
                  f"speed-up {before_s / after_s:.2f}x")


if __name__ == "__main__":
    main()
