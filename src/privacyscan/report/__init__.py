"""Report formats. `render(report, fmt, lang=..., artefacts=...)` returns the files (name -> bytes) a format
produces. `lang` (nb or en) is for the formats people read; `artefacts` is the scan folder, whose screenshots
the HTML and PDF embed; `chromium` the browser that prints the PDF."""

from __future__ import annotations

from pathlib import Path

from ..gate import GateDecision
from .html import render_html
from .junit import render_junit
from .markdown import render_markdown
from .model import ReportSummary, ScanReport
from .pdf import render_pdf
from .sarif import render_sarif

__all__ = ["ReportSummary", "ScanReport", "render"]


def render(report: ScanReport, fmt: str, *, lang: str | None = None, artefacts: Path | None = None,
           chromium: str | None = None, gate: GateDecision | None = None) -> dict[str, bytes]:
    """`gate`: the CI gate's decision, which SARIF, JUnit and the Markdown summary report (None: SARIF and
    JUnit judge by the built-in policy; the Markdown summary then shows no gate)."""
    if fmt == "json":
        return {"report.json": report.model_dump_json(indent=2).encode()}
    if fmt == "html":
        return {"report.html": render_html(report, lang, artefacts).encode()}
    if fmt == "md":
        return {"report.md": render_markdown(report, lang, gate).encode()}
    if fmt == "pdf":
        return {"report.pdf": render_pdf(render_html(report, lang, artefacts), chromium=chromium)}
    if fmt == "sarif":
        return {"report.sarif": render_sarif(report, gate).encode()}
    if fmt == "junit":
        return {"report.junit.xml": render_junit(report, gate).encode()}
    raise ValueError(f"unknown format {fmt}")
