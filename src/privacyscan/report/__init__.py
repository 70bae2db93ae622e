"""Report formats. `render(report, fmt)` returns the files (name -> bytes) a format produces."""

from __future__ import annotations

from ..models import ScanReport


def render(report: ScanReport, fmt: str) -> dict[str, bytes]:
    if fmt == "json":
        return {"report.json": report.model_dump_json(indent=2).encode()}
    if fmt == "html":
        from .html import render_html

        return {"report.html": render_html(report).encode()}
    if fmt == "sarif":
        from .sarif import render_sarif

        return {"report.sarif": render_sarif(report).encode()}
    if fmt == "junit":
        from .junit import render_junit

        return {"report.junit.xml": render_junit(report).encode()}
    raise ValueError(f"unknown format {fmt}")
