"""The command line: `privacyscan scan URL`, `privacyscan demo`, `privacyscan schema`.

Exit codes (also in the README):
  0  scan written, the gate passed (no finding failed the policy / --fail-on)
  1  scan written, the gate failed: the findings that failed it are printed with the reason
  2  bad input: invalid URL or option
  3  the site could not be reached (DNS, connection, TLS, no page loaded); partial results are written
  4  refused: the target is a private, loopback or link-local address (see --allow-private-network)
  5  scan incomplete because of a fault (browser crash, time budget); partial results are written
  6  Chromium is missing or would not start
  7  the report could not be written to the store (the scan was kept in a local fallback folder)
130  interrupted (Ctrl-C or SIGTERM); what was gathered is written, marked incomplete
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from pydantic import ValidationError
from rich.console import Console

from . import cli_gate
from .crawl.control import StopToken
from .crawl.crawler import ConsentDriver
from .demo.site import demo_web
from .gate import Baseline, GateDecision, Policy, PolicyError, load_gate_inputs
from .models import Phase, Severity
from .netguard import HostMapping
from .report.diff import diff_reports
from .report.i18n import report_language
from .report.model import ScanReport
from .report.terminal import print_summary
from .settings import ScanOptions
from .store import open_store
from .urls import BadUrl, host_of, parse_site_url
from .usecase import FORMATS, ScanOutcome, ScanStatus, store_scan
from .wording import LANGUAGES

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_UNREACHABLE, EXIT_REFUSED, EXIT_INCOMPLETE, EXIT_NO_BROWSER = range(7)
EXIT_STORE_FAILED = 7
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it; SIGTERM ends the same way

err = Console(stderr=True)


def fail(code: int, message: str) -> None:
    err.print(f"[bold red]privacyscan:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(code)


@click.group()
@click.version_option(package_name="privacyscan")
def main() -> None:
    """privacyscan: what a website does with its visitors' data, with evidence."""


def _mappings(values: tuple[str, ...], host_map: str | None) -> tuple[HostMapping, ...]:
    specs = list(values)
    if host_map:
        path = Path(host_map)
        if not path.is_file():
            raise click.BadParameter(f"no such file: {host_map}", param_hint="--host-map")
        specs += [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    try:
        return tuple(HostMapping.parse(s) for s in specs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--resolve") from exc


@main.command()
@click.argument("url")
@click.option("--out", default="./privacyscan-reports", show_default=True, help="folder or s3://bucket/prefix")
@click.option("--max-pages", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--max-depth", default=3, show_default=True, type=click.IntRange(0, 50))
@click.option("--time-budget", default=600.0, show_default=True, type=click.FloatRange(5, 86_400),
              help="seconds for the whole scan; what was gathered by then is written, marked incomplete")
@click.option("--settle", default=0.0, show_default=True, type=click.FloatRange(0, 120),
              help="fixed extra seconds to wait after each load; without it the crawl waits until requests, "
                   "DOM changes, cookie writes and the page's short timers have stopped (capped)")
@click.option("--page-timeout", default=30.0, show_default=True, type=click.FloatRange(1, 600))
@click.option("--include", multiple=True, help="regex a URL must match to be crawled (repeatable)")
@click.option("--exclude", multiple=True, help="regex that keeps a URL out of the crawl (repeatable)")
@click.option("--seed", "seeds", multiple=True, help="extra start URL on the same site (repeatable)")
@click.option("--user-agent", default=None)
@click.option("--resolve", "resolve", multiple=True, metavar="HOST:ADDR[:PORT]",
              help="reach HOST at ADDR (and PORT) for every scheme, like curl --resolve (repeatable)")
@click.option("--host-map", default=None, metavar="FILE", help="file of HOST:ADDR[:PORT] lines")
@click.option("--ignore-https-errors", is_flag=True, help="accept invalid TLS certificates")
@click.option("--allow-private-network", is_flag=True, help="allow private, loopback and link-local targets")
@click.option("--phases", default="before_consent,after_reject,after_accept", show_default=True)
@click.option("--format", "formats", default="json,html", show_default=True, help=f"comma list of {', '.join(FORMATS)}")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="language of the HTML, PDF and Markdown reports (default: the site's, when nb or en)")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity] + ["never"]), default=None,
              help="exit 1 when a finding of this severity or worse is found (shorthand for the policy's "
                   "[gate] fail_on; default: the policy's, or never without one)")
@click.option("--policy", "policy_file", default=None, metavar="FILE",
              help="policy file (default: ./privacyscan.toml when it exists)")
@click.option("--baseline", "baseline_file", default=None, metavar="FILE",
              help="baseline file: fail only on findings not in it (default: the policy's [gate] baseline)")
@click.option("--no-screenshots", is_flag=True)
@click.option("--chromium", default=None, help="path to the Chromium executable")
@click.option("--quiet", "-q", is_flag=True, help="print only the report location")
@click.option("--verbose", "-v", is_flag=True, help="print every page as it is visited")
def scan(url: str, out: str, max_pages: int, max_depth: int, time_budget: float, settle: float,
         page_timeout: float, include: tuple[str, ...], exclude: tuple[str, ...], seeds: tuple[str, ...],
         user_agent: str | None, resolve: tuple[str, ...], host_map: str | None, ignore_https_errors: bool,
         allow_private_network: bool, phases: str, formats: str, lang: str | None, fail_on: str | None,
         policy_file: str | None, baseline_file: str | None, no_screenshots: bool, chromium: str | None, quiet: bool,
         verbose: bool) -> None:
    """Crawl URL in headless Chromium and write a privacy report."""
    try:
        site_url = parse_site_url(url)
        seed_urls = tuple(parse_site_url(s) for s in seeds)
    except BadUrl as exc:
        fail(EXIT_BAD_INPUT, f"invalid URL: {exc}")
    try:
        chosen_phases = tuple(Phase(p.strip()) for p in phases.split(",") if p.strip())
    except ValueError:
        fail(EXIT_BAD_INPUT, f"--phases takes a comma list of {', '.join(p.value for p in Phase)}")
    chosen_formats = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen_formats if f not in FORMATS]
    if unknown:
        fail(EXIT_BAD_INPUT, f"unknown --format {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
    for pattern in (*include, *exclude):
        try:
            re.compile(pattern)
        except re.error as exc:
            fail(EXIT_BAD_INPUT, f"invalid --include/--exclude pattern {pattern!r}: {exc}")
    try:
        mappings = _mappings(resolve, host_map)
    except click.BadParameter as exc:
        fail(EXIT_BAD_INPUT, exc.format_message())
    try:
        policy, baseline, baseline_name = load_gate_inputs(policy_file, fail_on, baseline_file)
    except PolicyError as exc:
        fail(EXIT_BAD_INPUT, str(exc))
    options = ScanOptions(
        site_url=site_url, max_pages=max_pages, max_depth=max_depth, time_budget_s=time_budget, settle_s=settle,
        page_timeout_s=page_timeout, include=include, exclude=exclude, seeds=seed_urls, user_agent=user_agent,
        mappings=mappings, ignore_https_errors=ignore_https_errors, allow_private_network=allow_private_network,
        phases=chosen_phases, screenshots=not no_screenshots, chromium_path=chromium,
    )
    code = run_scan(options, out, chosen_formats, quiet=quiet, verbose=verbose, lang=lang, policy=policy,
                    baseline=baseline, baseline_name=baseline_name)
    sys.exit(code)


def run_scan(options: ScanOptions, out: str, formats: list[str], fail_on: str | None = None, *, quiet: bool = False,
             verbose: bool = False, consent: ConsentDriver | None = None, lang: str | None = None,
             policy: Policy | None = None, baseline: Baseline | None = None, baseline_name: str | None = None) -> int:
    """Run the use case for the command line and map its outcome to an exit code (table in the README).
    `fail_on` is shorthand for the policy's threshold; without a policy the gate never fails."""
    policy = policy or Policy.never()
    if fail_on is not None:
        policy = policy.with_fail_on(fail_on)
    out_console = Console(quiet=quiet)
    stop = StopToken()
    with _stop_on_signals(stop), out_console.status(f"Scanning {options.site_url} ...") as status:

        def progress(phase: Phase, n: int, url: str) -> None:
            status.update(f"[{phase.value}] page {n}/{options.max_pages}: {url}")
            if verbose:
                out_console.print(f"[dim]{phase.value}[/] {n:>3} {url}", highlight=False)

        outcome = store_scan(options, open_store(out), formats=formats, lang=lang, progress=progress, consent=consent,
                             stop=stop, policy=policy, baseline=baseline, baseline_name=baseline_name)
    return _report_outcome(outcome, out_console, quiet, lang)


EXIT_BY_STATUS = {
    ScanStatus.written: EXIT_OK,
    ScanStatus.duplicate: EXIT_OK,
    ScanStatus.unreachable: EXIT_UNREACHABLE,
    ScanStatus.refused: EXIT_REFUSED,
    ScanStatus.incomplete: EXIT_INCOMPLETE,
    ScanStatus.interrupted: EXIT_INTERRUPTED,
    ScanStatus.no_browser: EXIT_NO_BROWSER,
    ScanStatus.store_failed: EXIT_STORE_FAILED,
    ScanStatus.bad_input: EXIT_BAD_INPUT,
    ScanStatus.part_stored: EXIT_OK,  # only a fanned-out scan's invocation (Lambda) stores a part without a report
}


def _report_outcome(outcome: ScanOutcome, console: Console, quiet: bool, lang: str | None = None) -> int:
    status = outcome.status
    causes = "; ".join(outcome.causes)
    report = outcome.report
    if report is None:  # nothing was scanned
        if status is ScanStatus.refused:
            err.print(f"[bold red]privacyscan:[/] refusing to scan {host_of(outcome.site_url)}: {causes}",
                      highlight=False, soft_wrap=True)
        elif status is ScanStatus.duplicate:
            err.print(f"privacyscan: a report for scan {outcome.scan_id} already exists; it was kept",
                      highlight=False, soft_wrap=True)
        else:
            err.print(f"[bold red]privacyscan:[/] {causes}", highlight=False, soft_wrap=True)
        return EXIT_BY_STATUS[status]
    if quiet:
        click.echo(outcome.report_location)
    else:
        print_summary(console, report, outcome.report_location or "", report_language(report, lang))
        if outcome.diff is not None:
            console.print(outcome.diff.summary_line(), highlight=False)
    if status is ScanStatus.unreachable:
        hint = " (pass --ignore-https-errors to accept it)" if _tls_error(report) else ""
        err.print(f"[bold red]privacyscan:[/] {report.site_url} could not be reached: {causes}{hint}",
                  highlight=False, soft_wrap=True)
    elif status is ScanStatus.refused:
        err.print(f"[bold red]privacyscan:[/] {report.site_url}: {causes}", highlight=False, soft_wrap=True)
    elif status is ScanStatus.duplicate:
        err.print(f"privacyscan: a report for scan {report.scan_id} already exists; it was kept, not overwritten",
                  highlight=False, soft_wrap=True)
    elif status is not ScanStatus.written:
        err.print(f"[yellow]privacyscan: {status.value}: {causes}[/]", highlight=False, soft_wrap=True)
    if status is ScanStatus.written and outcome.gate is not None:
        print_gate(outcome.gate, quiet)
        if not outcome.gate.passed:
            return EXIT_FINDINGS
    return EXIT_BY_STATUS[status]


def print_gate(gate: GateDecision, quiet: bool) -> None:
    """The gate's verdict on stderr (stdout stays the report, or only its location with --quiet): on
    failure every finding that failed it, with rule, subject, severity, confidence and why."""
    err.print(gate.summary_line(), highlight=False, soft_wrap=True, markup=False)
    for verdict in gate.failures:
        err.print("  " + verdict.line(), highlight=False, soft_wrap=True, markup=False)
    if not quiet:
        for verdict in gate.verdicts:
            if verdict.acceptance_expired and not verdict.fails:
                err.print("  " + verdict.line(), highlight=False, soft_wrap=True, markup=False)
        for entry in gate.fixed:
            err.print(f"  FIXED           {entry.rule_id}  {entry.subject or entry.title}  (in the baseline, no longer "
                      "found)", highlight=False, soft_wrap=True, markup=False)


def _tls_error(report: ScanReport) -> bool:
    """Only a hint for the message; the exit code never depends on it."""
    first = report.evidence.phases[0] if report.evidence.phases else None
    error = first.pages[0].error if first and first.pages else None
    return bool(error) and ("CERT" in error or "SSL" in error)


@contextmanager
def _stop_on_signals(stop: StopToken) -> Iterator[None]:
    """Ctrl-C or SIGTERM (CI cancel, container stop) asks the crawl to stop and write what it gathered; a
    second Ctrl-C exits at once."""

    def handle(signum: int, _frame: object) -> None:
        if stop.is_set():
            os._exit(EXIT_INTERRUPTED)
        stop.stop(f"interrupted by {signal.Signals(signum).name}")
        err.print("privacyscan: stopping; writing what was gathered (press Ctrl-C again to quit at once)",
                  highlight=False)

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="print the diff as JSON")
def diff_command(old: str, new: str, as_json: bool) -> None:
    """Compare two report.json files of the same site; exit 1 when the newer one has new findings."""
    try:
        reports = [ScanReport.model_validate_json(Path(p).read_text()) for p in (old, new)]
    except (ValidationError, ValueError) as exc:
        fail(EXIT_BAD_INPUT, f"not a privacyscan report: {str(exc).splitlines()[0]}")
    diff = diff_reports(*reports)
    if as_json:
        click.echo(diff.model_dump_json(indent=2))
    else:
        console = Console()
        console.print(diff.summary_line(), highlight=False)
        for label, findings in (("new", diff.new_findings), ("resolved", diff.resolved_findings)):
            for f in findings:
                console.print(f"  {label:<8} [{f.severity.value}] {f.rule_id}: {f.title}", highlight=False)
        for label, items in (("+ cookie", diff.cookies_added), ("- cookie", diff.cookies_removed),
                             ("+ host", diff.third_party_hosts_added), ("- host", diff.third_party_hosts_removed)):
            for item in items:
                console.print(f"  {label} {item}", highlight=False)
    sys.exit(EXIT_FINDINGS if diff.new_findings else EXIT_OK)


@main.command()
def schema() -> None:
    """Print the JSON Schema of report.json."""
    click.echo(json.dumps(ScanReport.model_json_schema(), indent=2))


@main.command()
@click.option("--out", default="./privacyscan-reports", show_default=True)
@click.option("--settle", default=0.0, show_default=True, type=float, help="fixed extra seconds after each load")
@click.option("--format", "formats", default="json,html", show_default=True, help=f"comma list of {', '.join(FORMATS)}")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="report language (default: the site's)")
def demo(out: str, settle: float, formats: str, lang: str | None) -> None:
    """Serve the bundled demo site on loopback and scan it (no internet needed)."""
    with demo_web() as web:
        options = ScanOptions(
            site_url="https://www.demo-shop.no/", max_pages=10, max_depth=2, settle_s=settle, quiet_cap_s=4,
            mappings=web.mappings(), ignore_https_errors=True,
        )
        code = run_scan(options, out, [f.strip() for f in formats.split(",") if f.strip()], lang=lang)
    sys.exit(code)


from .cli_sites import sites  # noqa: E402  (registered last: the sites group imports nothing from here)

main.add_command(sites)


if __name__ == "__main__":
    main()


main.add_command(cli_gate.policy_group)
main.add_command(cli_gate.baseline_group)
main.add_command(cli_gate.batch_command)
main.add_command(cli_gate.portfolio_command)
