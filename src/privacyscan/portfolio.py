"""The portfolio index across sites, for an agency: one row per site with its status, the gate's verdict,
high findings, US recipients, notice completeness and the change since the previous scan, linking to each
report. Written as `portfolio.json` and static HTML.

Sorting without scripts: the report pages forbid scripts by CSP, and so does the index. Each sortable
column's header links to a copy of the table sorted by that column (`index.html` by site,
`index-by-<column>.html` for the others), all rendered here, server-side; a dozen sites or a thousand, it is
a few small files and works in any browser, mail client or S3 static hosting.
"""

from __future__ import annotations

import html
import json
import os
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .gate import Policy, decide_report
from .notice.model import ItemStatus
from .report.diff import diff_reports
from .report.model import ScanReport
from .store import REPORT_FILE, LocalStore, previous_comparable, scan_order


class PortfolioRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    site_url: str
    site_id: str
    label: str | None = None
    scan_id: str | None = None
    scanned_at: datetime | None = None
    status: str = Field(description="complete, incomplete, unreachable, refused, aborted, or a batch status")
    verdict: str = Field(description="pass / fail (the gate) or 'no verdict' for a scan that could not look")
    high_findings: int = Field(0, description="findings of high or critical severity")
    us_recipients: list[str] = Field(default_factory=list, description="receiving organisations in the US")
    notice_items: int | None = Field(None, description="of the 13 Art. 13 items, how many the notice gives")
    notice_found: bool | None = None
    new_findings: int | None = Field(None, description="since the previous comparable scan (None: none)")
    resolved_findings: int | None = None
    report: str | None = Field(None, description="link to the report, relative to the index")

    @property
    def change(self) -> str:
        if self.new_findings is None:
            return "first scan"
        return f"+{self.new_findings} / -{self.resolved_findings}"

    @property
    def notice(self) -> str:
        if self.notice_found is None:
            return "-"
        return f"{self.notice_items}/13" if self.notice_found else "not found"


class Portfolio(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generated_at: datetime
    batch_id: str | None = None
    rows: list[PortfolioRow]


def _load(store: LocalStore, site_id: str, scan_id: str) -> ScanReport | None:
    try:
        return store.load(site_id, scan_id)
    except ValueError:  # a report this version cannot read: the site shows its newest readable one
        return None


def _newest(store: LocalStore, site_id: str) -> ScanReport | None:
    """The site's newest readable report, whether or not that scan could look (an unreachable site shows)."""
    for scan_id in sorted(store.scan_ids(site_id), key=scan_order, reverse=True):
        report = _load(store, site_id, scan_id)
        if report is not None:
            return report
    return None


def row_for(report: ScanReport, previous: ScanReport | None, policy: Policy, root: Path,
            label: str | None = None, index_dir: Path | None = None) -> PortfolioRow:
    gate = decide_report(report, policy)
    notice = report.privacy_notice
    us = sorted({r.organisation or ", ".join(r.registrable_domains)
                 for phase in report.classification.phases for r in phase.recipients if r.country == "US"})
    diff = diff_reports(previous, report) if previous is not None and report.looked else None
    folder = root / "sites" / report.site_id / "scans" / report.scan_id
    link = next((Path(os.path.relpath(folder / name, index_dir or root)).as_posix()
                 for name in ("report.html", REPORT_FILE) if (folder / name).is_file()), None)
    return PortfolioRow(
        site_url=report.site_url, site_id=report.site_id, label=label, scan_id=report.scan_id,
        scanned_at=report.started_at, status=report.status,
        verdict=("pass" if gate.passed else "fail") if report.looked else "no verdict",
        high_findings=sum(1 for f in report.findings if f.severity.rank >= 3),
        us_recipients=us,
        notice_found=notice.found if notice is not None else None,
        notice_items=sum(1 for i in notice.items if i.status is ItemStatus.present) if notice else None,
        new_findings=len(diff.new_findings) if diff else None,
        resolved_findings=len(diff.resolved_findings) if diff else None,
        report=link,
    )


def build_portfolio(root: Path, policy: Policy | None = None, *, scans: dict[str, str] | None = None,
                    labels: dict[str, str] | None = None, missing: dict[str, tuple[str, str]] | None = None,
                    batch_id: str | None = None, now: datetime | None = None,
                    index_dir: Path | None = None) -> Portfolio:
    """Rows for every site in the local store `root` (its newest report), or for `scans` (site id -> the
    scan id to show, e.g. one batch's). `missing`: site id -> (url, status) for sites with no report (a
    worker that timed out)."""
    policy = policy or Policy()
    labels = labels or {}
    store = LocalStore(root)
    rows = []
    site_ids = sorted(scans) if scans is not None else sorted(p.name for p in (root / "sites").glob("*") if p.is_dir())
    for site_id in site_ids:
        current = _load(store, site_id, scans[site_id]) if scans is not None else _newest(store, site_id)
        if current is None:
            continue
        # The same previous scan the stored diff and the alert compare with.
        previous = previous_comparable(store, current) if current.looked else None
        rows.append(row_for(current, previous, policy, root, labels.get(site_id), index_dir))
    for site_id, (url, status) in sorted((missing or {}).items()):
        rows.append(PortfolioRow(site_url=url, site_id=site_id, label=labels.get(site_id), status=status,
                                 verdict="no verdict"))
    return Portfolio(generated_at=now or datetime.now().astimezone(), batch_id=batch_id, rows=rows)


# ------------------------------------------------------------------------------------------ rendering

_VERDICT_ORDER = {"fail": 0, "no verdict": 1, "pass": 2}
# column key -> (header, sort key: worst first, then by site)
COLUMNS: dict[str, tuple[str, object]] = {
    "site": ("Site", lambda r: (r.label or r.site_url).lower()),
    "status": ("Status", lambda r: (r.status, r.site_url)),
    "verdict": ("Verdict", lambda r: (_VERDICT_ORDER.get(r.verdict, 1), r.site_url)),
    "high": ("High findings", lambda r: (-r.high_findings, r.site_url)),
    "us": ("US recipients", lambda r: (-len(r.us_recipients), r.site_url)),
    "notice": ("Privacy notice", lambda r: (r.notice_items if r.notice_found else -1, r.site_url)),
    "change": ("Change since previous scan", lambda r: (-(r.new_findings or 0), r.site_url)),
}


def page_name(column: str) -> str:
    return "index.html" if column == "site" else f"index-by-{column}.html"


def render_index(portfolio: Portfolio, column: str = "site") -> str:
    rows = sorted(portfolio.rows, key=COLUMNS[column][1])  # type: ignore[arg-type]
    esc = html.escape
    head = "".join(
        f'<th scope="col">{esc(title)}{" ▾" if key == column else ""}</th>' if key == column else
        f'<th scope="col"><a href="{page_name(key)}">{esc(title)}</a></th>'
        for key, (title, _) in COLUMNS.items())
    body = []
    for r in rows:
        name = esc(r.label or r.site_url)
        site = f'<a href="{esc(r.report)}">{name}</a>' if r.report else name
        us = esc(", ".join(r.us_recipients)) if r.us_recipients else "none"
        body.append(
            f'<tr class="{esc(r.verdict.replace(" ", "-"))}"><td>{site}<br><small>{esc(r.site_url)}</small></td>'
            f"<td>{esc(r.status)}</td><td>{esc(r.verdict)}</td><td>{r.high_findings}</td>"
            f"<td>{len(r.us_recipients)}<br><small>{us}</small></td><td>{esc(r.notice)}</td>"
            f"<td>{esc(r.change)}</td></tr>")
    title = "privacyscan portfolio" + (f" — batch {portfolio.batch_id}" if portfolio.batch_id else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self'">
<title>{esc(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem}} table{{border-collapse:collapse}}
th,td{{border:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}}
tr.fail td:nth-child(3){{color:#a00;font-weight:bold}} tr.pass td:nth-child(3){{color:#070}}
small{{color:#555}}
</style></head><body>
<h1>{esc(title)}</h1>
<p>{len(rows)} sites, generated {esc(portfolio.generated_at.isoformat(timespec="seconds"))}. Sorted by
{esc(COLUMNS[column][0].lower())}; a column header sorts by that column. Also as <a href="portfolio.json">JSON</a>.</p>
<table><thead><tr>{head}</tr></thead><tbody>
{"".join(body)}
</tbody></table></body></html>
"""


def write_portfolio(portfolio: Portfolio, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for column in COLUMNS:
        path = folder / page_name(column)
        path.write_text(render_index(portfolio, column), encoding="utf-8")
        written.append(path)
    data = portfolio.model_dump(mode="json")
    for row, model in zip(data["rows"], portfolio.rows, strict=True):
        row["change"] = model.change
    path = folder / "portfolio.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    written.append(path)
    return written
