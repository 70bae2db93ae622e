"""Chromium's singleton socket lives under TMPDIR and a unix socket path is at most 107 bytes: a long TMPDIR
(a CI job's nested temp folder) made Chromium die at start. The browser gets a short TMPDIR instead."""

from __future__ import annotations

from privacyscan.crawl.browser import MAX_BROWSER_TMPDIR, browser_environment


def test_a_long_tmpdir_is_replaced_for_the_browser_only(monkeypatch) -> None:
    long_dir = "/tmp/pytest-of-root/pytest-109/test_a_signal_after_a_few_pag0/tmp"
    assert len(long_dir) > MAX_BROWSER_TMPDIR
    monkeypatch.setenv("TMPDIR", long_dir)
    env = browser_environment(())
    assert env is not None and env["TMPDIR"] == "/tmp"


def test_a_short_tmpdir_is_inherited_unchanged(monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", "/tmp/ps-x")
    assert browser_environment(()) is None  # nothing to add: Chromium inherits ours
    assert browser_environment((("HOME", "/tmp"),))["TMPDIR"] == "/tmp/ps-x"


def test_a_lambda_tmpdir_given_by_the_factory_is_kept_when_short(monkeypatch) -> None:
    monkeypatch.delenv("TMPDIR", raising=False)
    env = browser_environment((("TMPDIR", "/tmp"), ("LD_LIBRARY_PATH", "/tmp/al2023/lib")))
    assert env["TMPDIR"] == "/tmp" and env["LD_LIBRARY_PATH"] == "/tmp/al2023/lib"
