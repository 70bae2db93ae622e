"""The pipeline and agency commands: `policy init`, `baseline write`, `batch` and `portfolio`.

Exit codes of `batch`: 0 every site has a result and no site failed its gate; 1 a site failed its gate;
2 bad input (the sites file, an option, the policy); 5 a site could not be scanned (unreachable, timed out,
incomplete, a worker failed); 130 interrupted (resume with the printed `--batch-id`).
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click
from rich.console import Console

from .batch import (
    BatchFileError,
    BatchRunner,
    BatchSettings,
    BatchState,
    new_batch_id,
    parse_sites,
    state_path,
)
from .gate import (
    DEFAULT_BASELINE,
    EXAMPLE_POLICY,
    POLICY_FILE,
    PolicyError,
    baseline_from_report_json,
    find_policy,
    load_gate_inputs,
    load_policy,
)
from .portfolio import build_portfolio, write_portfolio
from .usecase import FORMATS, RuntimeSettings

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INCOMPLETE, EXIT_INTERRUPTED = 0, 1, 2, 5, 130
FAULTS = {"unreachable", "refused", "incomplete", "no_browser", "store_failed", "bad_input", "timed_out",
          "worker_failed", "interrupted"}
err = Console(stderr=True)


def _fail(code: int, message: str) -> None:
    err.print(f"privacyscan: {message}", highlight=False, soft_wrap=True, markup=False)
    sys.exit(code)


@click.group("policy")
def policy_group() -> None:
    """The CI gate's policy file (privacyscan.toml)."""


@policy_group.command("init")
@click.option("--path", default=POLICY_FILE, show_default=True, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="overwrite an existing file")
def policy_init(path: str, force: bool) -> None:
    """Write a commented example policy."""
    target = Path(path)
    if target.exists() and not force:
        _fail(EXIT_BAD_INPUT, f"{path} exists (pass --force to overwrite)")
    target.write_text(EXAMPLE_POLICY, encoding="utf-8")
    click.echo(f"wrote {path}")


@policy_group.command("check")
@click.argument("path", default=POLICY_FILE, type=click.Path(dir_okay=False))
def policy_check(path: str) -> None:
    """Validate a policy file (exit 2 with the line and key of the first error)."""
    try:
        load_gate_inputs(path, None)
    except PolicyError as exc:
        _fail(EXIT_BAD_INPUT, str(exc))
    click.echo(f"{path}: valid")


@click.group("baseline")
def baseline_group() -> None:
    """The gate's baseline: findings that exist today and do not fail the gate."""


@baseline_group.command("write")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_path", default=None, help=f"default: the policy's [gate] baseline, or {DEFAULT_BASELINE}")
@click.option("--policy", "policy_file", default=None, metavar="FILE")
def baseline_write(report: str, out_path: str | None, policy_file: str | None) -> None:
    """Record the findings of REPORT (a report.json) by their stable ids."""
    try:
        baseline = baseline_from_report_json(Path(report).read_text(encoding="utf-8"))
    except ValueError as exc:
        _fail(EXIT_BAD_INPUT, f"{report}: not a privacyscan report: {str(exc).splitlines()[0]}")
    if out_path is None:
        try:
            found = find_policy(policy_file)
            configured = load_policy(found).baseline_path() if found else None
        except PolicyError as exc:
            _fail(EXIT_BAD_INPUT, str(exc))
        out_path = str(configured or DEFAULT_BASELINE)
    Path(out_path).write_text(baseline.to_json(), encoding="utf-8")
    click.echo(f"wrote {out_path}: {len(baseline.findings)} findings of {baseline.site_url} (scan {baseline.scan_id})")


@click.command("batch")
@click.argument("sites_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--workers", "-n", default=2, show_default=True, type=click.IntRange(1, 64),
              help="sites scanned at once (one Chromium each)")
@click.option("--out", default="./privacyscan-reports", show_default=True, help="folder or s3://bucket/prefix")
@click.option("--batch-id", default=None, help="resume this batch: sites with a finished report are skipped")
@click.option("--site-timeout", default=None, type=click.FloatRange(10, 86_400),
              help="seconds a site may take before its worker is killed (default: time budget + 120)")
@click.option("--policy", "policy_file", default=None, metavar="FILE")
@click.option("--max-pages", default=None, type=click.IntRange(1, 10_000))
@click.option("--max-depth", default=None, type=click.IntRange(0, 50))
@click.option("--time-budget", default=600.0, show_default=True, type=click.FloatRange(5, 86_400))
@click.option("--settle", default=None, type=click.FloatRange(0, 120))
@click.option("--page-timeout", default=None, type=click.FloatRange(1, 600))
@click.option("--phases", default=None, help="comma list; default: all three")
@click.option("--resolve", multiple=True, metavar="HOST:ADDR[:PORT]")
@click.option("--ignore-https-errors", is_flag=True)
@click.option("--allow-private-network", is_flag=True)
@click.option("--format", "formats", default="json,html", show_default=True, help=f"comma list of {', '.join(FORMATS)}")
@click.option("--chromium", default=None)
def batch_command(sites_file: str, workers: int, out: str, batch_id: str | None, site_timeout: float | None,
                  policy_file: str | None, max_pages: int | None, max_depth: int | None, time_budget: float,
                  settle: float | None, page_timeout: float | None, phases: str | None, resolve: tuple[str, ...],
                  ignore_https_errors: bool, allow_private_network: bool, formats: str, chromium: str | None) -> None:
    """Scan every site in SITES_FILE (YAML or CSV), N at a time; then write the portfolio index."""
    try:
        sites = parse_sites(Path(sites_file))
        if policy_file or find_policy(None):
            policy_file = str(find_policy(policy_file))
            load_gate_inputs(policy_file, None)
    except (BatchFileError, PolicyError) as exc:
        _fail(EXIT_BAD_INPUT, str(exc))
    defaults: dict = {"time_budget_s": time_budget, "formats": [f.strip() for f in formats.split(",") if f.strip()],
                      "ignore_https_errors": ignore_https_errors}
    for key, value in (("max_pages", max_pages), ("max_depth", max_depth), ("settle_s", settle),
                       ("page_timeout_s", page_timeout)):
        if value is not None:
            defaults[key] = value
    if phases:
        defaults["phases"] = [p.strip() for p in phases.split(",") if p.strip()]
    if resolve:
        defaults["resolve"] = list(resolve)
    settings = BatchSettings(store=out, workers=workers, site_timeout_s=site_timeout or time_budget + 120,
                             policy_file=policy_file, defaults=defaults,
                             runtime=RuntimeSettings(store_url=out, chromium_path=chromium,
                                                     allow_private_network=allow_private_network))
    try:
        batch_id = batch_id or new_batch_id()
        console = Console()
        console.print(f"batch {batch_id}: {len(sites)} sites, {workers} workers (resume with --batch-id {batch_id})",
                      highlight=False)

        def show(result) -> None:
            console.print(f"  {result.status:<13} {result.url}  {result.seconds:.0f} s"
                          + (f"  {'; '.join(result.causes)}" if result.causes else ""), highlight=False, markup=False)

        runner = BatchRunner(sites, settings, batch_id, sites_file=sites_file, on_result=show)
    except (BatchFileError, ValueError) as exc:
        _fail(EXIT_BAD_INPUT, str(exc))

    def on_signal(signum: int, _frame: object) -> None:
        err.print(f"privacyscan: {signal.Signals(signum).name}: stopping the batch; resume with --batch-id "
                  f"{batch_id}", highlight=False, markup=False)
        runner.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        state = runner.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not out.startswith("s3://"):
        index_dir = state_path(settings, batch_id).parent
        written = _batch_portfolio(state, Path(out), policy_file, index_dir)
        console.print(f"portfolio: {written}", highlight=False)
    sys.exit(batch_exit_code(state))


def batch_exit_code(state: BatchState) -> int:
    if state.interrupted:
        return EXIT_INTERRUPTED
    statuses = {r.status for r in state.results.values()}
    if statuses & FAULTS:
        return EXIT_INCOMPLETE
    if any(r.gate_passed is False for r in state.results.values()):
        return EXIT_FINDINGS
    return EXIT_OK


def _batch_portfolio(state: BatchState, root: Path, policy_file: str | None, index_dir: Path) -> Path:
    policy, _, _ = load_gate_inputs(policy_file, None) if policy_file else (None, None, None)
    scans = {r.site_id: r.scan_id for r in state.results.values()
             if (root / "sites" / r.site_id / "scans" / r.scan_id / "report.json").is_file()}
    missing = {r.site_id: (r.url, r.status) for r in state.results.values() if r.site_id not in scans}
    labels = {r.site_id: r.label for r in state.results.values() if r.label}
    portfolio = build_portfolio(root, policy, scans=scans, labels=labels, missing=missing, batch_id=state.batch_id,
                                index_dir=index_dir)
    write_portfolio(portfolio, index_dir)
    return index_dir / "index.html"


@click.command("portfolio")
@click.option("--out", default="./privacyscan-reports", show_default=True, help="the local report folder")
@click.option("--to", "to_dir", default=None, help="where to write index.html and portfolio.json (default: --out)")
@click.option("--batch-id", default=None, help="only this batch's scans")
@click.option("--policy", "policy_file", default=None, metavar="FILE")
def portfolio_command(out: str, to_dir: str | None, batch_id: str | None, policy_file: str | None) -> None:
    """Write the portfolio index (HTML, JSON) of every site in a local report folder."""
    root = Path(out)
    if out.startswith("s3://") or not (root / "sites").is_dir():
        _fail(EXIT_BAD_INPUT, f"{out}: not a local report folder (no sites/ in it)")
    try:
        policy, _, _ = load_gate_inputs(policy_file, None) if (policy_file or find_policy(None)) else (None, None, None)
    except PolicyError as exc:
        _fail(EXIT_BAD_INPUT, str(exc))
    if batch_id:
        path = state_path(BatchSettings(store=out), batch_id)
        if not path.is_file():
            _fail(EXIT_BAD_INPUT, f"no batch {batch_id} in {out}")
        state = BatchState.model_validate_json(path.read_text())
        click.echo(_batch_portfolio(state, root, policy_file, Path(to_dir) if to_dir else path.parent))
        return
    index_dir = Path(to_dir) if to_dir else root
    write_portfolio(build_portfolio(root, policy, index_dir=index_dir), index_dir)
    click.echo(index_dir / "index.html")
