"""Report formats. `render(report, fmt)` returns the files (name -> bytes) a format produces."""

from __future__ import annotations

from .html import render_html
from .junit import render_junit
from .model import ReportSummary, ScanReport
from .sarif import render_sarif

__all__ = ["ReportSummary", "ScanReport", "render"]


def render(report: ScanReport, fmt: str) -> dict[str, bytes]:
    if fmt == "json":
        return {"report.json": report.model_dump_json(indent=2).encode()}
    if fmt == "html":
        return {"report.html": render_html(report).encode()}
    if fmt == "sarif":
        return {"report.sarif": render_sarif(report).encode()}
    if fmt == "junit":
        return {"report.junit.xml": render_junit(report).encode()}
    raise ValueError(f"unknown format {fmt}")
