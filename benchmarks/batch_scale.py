"""Batch wall time and peak memory for N fixture sites with 1 and 2 workers (figures for the README; not a
test). Serves N small sites on loopback, runs `privacyscan batch` as a subprocess and samples the PSS of
its whole process tree (workers, Playwright drivers, Chromium) every 0.2 s.

    PYTHONPATH=src python benchmarks/batch_scale.py --sites 4 --workers 1 2
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from privacyscan.demo.webserver import Response, VirtualHostWeb

PAGE = "<!doctype html><title>{t}</title><h1>{t}</h1><a href='/a'>a</a><a href='/privacy'>Privacy</a>"


def tree_pss_kib(root: int) -> int:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run(sites: int, workers: int) -> tuple[float, float]:
    web = VirtualHostWeb()
    web.start()
    hosts = [f"bench-{i}.example" for i in range(sites)]
    for host in hosts:
        for path in ("/", "/a", "/privacy"):
            web.route(host, path, Response(PAGE.format(t=f"{host}{path}")))
    with tempfile.TemporaryDirectory() as tmp:
        sites_file = Path(tmp) / "sites.yaml"
        sites_file.write_text("".join(f"- http://{h}/\n" for h in hosts))
        resolve = [a for h in hosts for a in ("--resolve", f"{h}:127.0.0.1:{web.port}")]
        command = [str(Path(sys.executable).parent / "privacyscan"), "batch", str(sites_file), "--out",
                   f"{tmp}/out", "--workers", str(workers), "--allow-private-network", "--phases", "before_consent",
                   "--max-pages", "3", "--settle", "0.5", "--page-timeout", "10", *resolve]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_pss_kib(process.pid))
            time.sleep(0.2)
        wall = time.monotonic() - started
    web.stop()
    return wall, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    for workers in args.workers:
        wall, peak = run(args.sites, workers)
        print(f"{args.sites} sites, {workers} worker(s): {wall:.1f} s wall, peak PSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
