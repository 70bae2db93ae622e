"""The privacy notice as a checklist: the 13 items of GDPR Art. 13, each with the notice's own words."""

from __future__ import annotations

from .markup import esc
from .model import ScanReport

STATUS_MARK = {"present": "✔ present", "absent": "✘ missing", "not_applicable": "– not applicable"}


def notice_section(report: ScanReport) -> str:
    notice = report.privacy_notice
    if notice is None:
        return ""
    if not notice.found:
        return "<h2>Privacy notice</h2><p><b>No privacy notice was found</b> among the pages visited.</p>"
    documents = ", ".join(f"<a class=mono href=\"{esc(d.url)}\">{esc(d.url)}</a> ({esc(d.role)})" for d in notice.documents)
    rows = []
    for item in notice.items:
        quotes = "".join(f"<q>{esc(q)}</q><br>" for q in item.quotes[:2])
        rows.append(
            f"<tr><td>{item.number}</td><td>{esc(item.title)}</td><td>{esc(STATUS_MARK.get(item.status.value, item.status.value))}"
            f"</td><td>{esc(item.confidence)}</td><td>{quotes or esc(item.law)}</td></tr>"
        )
    return (
        f"<h2>Privacy notice</h2><p>Read: {documents} · language {esc(notice.language)}</p>"
        "<table><thead><tr><th>#</th><th>GDPR Art. 13 item</th><th>status</th><th>confidence</th>"
        "<th>what the notice says (or what the law asks)</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
