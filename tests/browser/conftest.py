"""Shared fixtures for browser tests: one fixture web for the session and a `scan` helper that runs the
real pipeline (real Chromium) against it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.pipeline import scan_site
from privacyscan.report.model import ScanReport
from privacyscan.settings import ScanOptions

from .spine_sites import add_faults, add_shop

pytestmark = pytest.mark.browser

CHROMIUM_MARKER = f"--privacyscan-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def fixture_web() -> Iterator[VirtualHostWeb]:
    with VirtualHostWeb() as web:
        add_shop(web)
        add_faults(web, CHROMIUM_MARKER)
        yield web


def scan_options(web: VirtualHostWeb, url: str, **overrides) -> ScanOptions:
    settings = dict(
        site_url=url, mappings=web.mappings(), ignore_https_errors=True, settle_s=0.3, quiet_window_s=0.3,
        quiet_cap_s=3.0, page_timeout_s=5.0, time_budget_s=120.0, phases=(Phase.before_consent,),
        extra_chromium_args=(CHROMIUM_MARKER,), consent_detect_s=1.0,
    )
    settings.update(overrides)
    return ScanOptions(**settings)


@pytest.fixture
def scan(fixture_web: VirtualHostWeb, tmp_path: Path):
    def run(url: str, consent=None, **overrides) -> ScanReport:
        return scan_site(scan_options(fixture_web, url, **overrides), tmp_path, consent=consent)

    return run


@pytest.fixture(scope="session")
def behaviour_web() -> Iterator[VirtualHostWeb]:
    """The behaviour fixture sites (tests/browser/behaviour_sites.py) on a web of their own."""
    from .behaviour_sites import add_behaviour_sites

    with VirtualHostWeb() as web:
        add_behaviour_sites(web)
        yield web


@pytest.fixture(scope="session")
def behaviour_scan(behaviour_web: VirtualHostWeb, tmp_path_factory: pytest.TempPathFactory):
    """Scan a behaviour fixture site once per session (before consent; with `consent=True` all three
    phases with the real consent driver) and hand every test the same report."""
    from privacyscan.crawl.consent import make_consent_driver

    reports: dict[tuple[str, bool], ScanReport] = {}

    def run(host: str, consent: bool = False) -> ScanReport:
        if (host, consent) not in reports:
            workdir = tmp_path_factory.mktemp(host.replace(".", "-"))
            overrides = dict(phases=tuple(Phase), consent_detect_s=3.0, consent_settle_s=1.0, consent_quiet_s=0.5,
                             consent_cap_s=4.0) if consent else {}
            options = scan_options(behaviour_web, f"https://{host}/", **overrides)
            reports[(host, consent)] = scan_site(options, workdir, consent=make_consent_driver() if consent else None)
        return reports[(host, consent)]

    return run
