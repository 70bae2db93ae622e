"""The Lambda code path on this machine: the layer's Amazon Linux Chromium, unpacked to a /tmp stand-in
and launched through the composed factory with Playwright's Node from the layer, scans a fixture site and
finds the same evidence as the Debian Chromium (/usr/bin/chromium) on the same site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from privacyscan.crawl.browser_factory import BrowserLaunch, LocalChromium
from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.models import Phase
from privacyscan.pipeline import default_consent_driver, scan_site
from privacyscan.report.model import ScanReport

from ..browser.conftest import scan_options
from .parity_site import SITE, add_parity_site

pytestmark = [pytest.mark.browser, getattr(pytest.mark, "lambda")]  # `lambda` is a keyword
DEBIAN_CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ALL_PHASES = (Phase.before_consent, Phase.after_reject, Phase.after_accept)


@pytest.fixture(scope="module")
def parity_web():
    with VirtualHostWeb() as web:
        add_parity_site(web)
        yield web


def _scan(web: VirtualHostWeb, workdir: Path, launch: BrowserLaunch) -> ScanReport:
    options = scan_options(web, f"https://{SITE}/", phases=ALL_PHASES, max_pages=3, max_depth=1,
                           consent_detect_s=3.0, consent_settle_s=1.0, consent_quiet_s=0.5, consent_cap_s=4.0)
    return scan_site(launch.configure(options), workdir, consent=default_consent_driver())


@pytest.fixture(scope="module")
def debian_report(parity_web, tmp_path_factory) -> ScanReport:
    return _scan(parity_web, tmp_path_factory.mktemp("debian"), LocalChromium(DEBIAN_CHROMIUM).prepare())


@pytest.fixture(scope="module")
def lambda_report(parity_web, lambda_env, lambda_stand_in) -> ScanReport:
    return _scan(parity_web, lambda_stand_in.tmp / "scan-workdir", lambda_env)


def evidence_facts(report: ScanReport) -> dict:
    """What a finding rests on, per phase: cookie names, third-party hosts, the banner and its buttons, the
    consent action, the form controls."""
    facts = {}
    for phase in report.evidence.phases:
        facts[phase.phase.value] = {
            "cookies": sorted({c.name for c in phase.cookies if c.stored}),
            "third_party_hosts": phase.third_party_hosts,
            "banners": sorted((b.detected_by, b.cmp, tuple(sorted(btn.text for btn in b.buttons)))
                              for b in phase.banners),
            "consent_action": (phase.consent_action.action, phase.consent_action.succeeded,
                               phase.consent_action.button_text) if phase.consent_action else None,
            "forms": sorted((p.url, f.action, tuple((c.tag, c.type, c.name, c.checked, c.label) for c in f.controls))
                            for p in phase.pages for f in p.forms),
            "pages": sorted(p.url for p in phase.pages if p.error is None),
        }
    return facts


def test_the_two_scans_really_ran_different_browsers(debian_report, lambda_report, lambda_env):
    """The decoy for the comparison below: it would pass trivially if both had run the same Chromium."""
    assert lambda_env.executable.endswith("privacyscan-chromium/chromium")
    assert lambda_report.evidence.browser.version.startswith("153.")
    assert debian_report.evidence.browser.version and not debian_report.evidence.browser.version.startswith("153.")
    # Both present themselves as a desktop Chrome of their own version, not as HeadlessChrome.
    assert "HeadlessChrome" not in lambda_report.evidence.browser.user_agent
    assert "Chrome/153." in lambda_report.evidence.browser.user_agent


def test_lambda_chromium_finds_what_debian_chromium_finds(debian_report, lambda_report):
    lambda_facts, debian_facts = evidence_facts(lambda_report), evidence_facts(debian_report)
    assert lambda_facts == debian_facts
    # ... and that evidence is the site's: not an empty scan that equals another empty scan.
    before, accepted = debian_facts["before_consent"], debian_facts["after_accept"]
    assert {"sid", "js_pref", "fr"} <= set(before["cookies"])
    assert "www.facebook.com" in before["third_party_hosts"]
    assert "www.googletagmanager.com" not in before["third_party_hosts"]
    assert "www.googletagmanager.com" in accepted["third_party_hosts"]
    assert before["banners"] and "Avvis alle" in before["banners"][0][2]
    assert debian_facts["after_reject"]["consent_action"][:2] == ("reject", True)
    newsletter = [f for f in before["forms"] if f[0].endswith("/nyhetsbrev")]
    assert newsletter and ("input", "checkbox", "newsletter", True, "Ja, jeg vil motta nyhetsbrev") in newsletter[0][2]


def test_the_findings_are_the_same(debian_report, lambda_report):
    def findings(report):
        return sorted((f.rule_id, f.severity) for f in report.findings)

    assert findings(lambda_report) == findings(debian_report) and findings(debian_report)


def test_the_scan_left_no_profile_behind(lambda_report, lambda_stand_in):
    assert not (lambda_stand_in.tmp / "scan-workdir" / ".profiles").exists()


def test_playwright_runs_the_node_unpacked_from_the_layer(lambda_env, lambda_stand_in):
    """PLAYWRIGHT_NODEJS_PATH is honoured: the driver process is the unpacked Node, not the wheel's."""
    node = lambda_stand_in.tmp / "privacyscan-node" / "node"
    assert os.environ["PLAYWRIGHT_NODEJS_PATH"] == str(node)
    with sync_playwright():
        children = _children(os.getpid())
        executables = {os.path.realpath(f"/proc/{pid}/exe") for pid in children if os.path.exists(f"/proc/{pid}")}
    assert str(node.resolve()) in executables
    assert not any(e.endswith("playwright/driver/node") for e in executables)


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry))
    return found
