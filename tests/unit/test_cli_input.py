"""Bad input gets a one-line error and a documented exit code, never a traceback — before any browser."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from privacyscan.cli import EXIT_BAD_INPUT, EXIT_REFUSED, main
from privacyscan.report.model import ScanReport


@pytest.mark.parametrize(
    "args, message",
    [
        (["file:///etc/passwd"], "unsupported URL scheme 'file:'"),
        (["javascript:alert(1)"], "unsupported URL scheme 'javascript:'"),
        (["ftp://example.com/"], "unsupported URL scheme 'ftp:'"),
        (["https://exa mple.com/"], "invalid host name"),
        (["https://example.com", "--resolve", "example.com"], "HOST:ADDR"),
        (["https://example.com", "--format", "docx"], "unknown --format docx"),
        (["https://example.com", "--phases", "after_lunch"], "--phases"),
        (["https://example.com", "--include", "(["], "invalid --include/--exclude pattern"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = CliRunner().invoke(main, ["scan", *args])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://169.254.169.254/", "http://[::1]:8080/", "http://192.168.0.1/"])
def test_private_targets_are_refused_with_exit_4(url, tmp_path):
    result = CliRunner().invoke(main, ["scan", url, "--out", str(tmp_path)])
    assert result.exit_code == EXIT_REFUSED
    assert "--allow-private-network" in result.output and "Traceback" not in result.output


def test_schema_command_prints_the_report_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == ScanReport.model_json_schema()
    assert "schema_version" in schema["properties"]
