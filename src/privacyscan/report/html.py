"""The HTML report for people: one self-contained file (inline CSS, no script, a CSP that forbids any).

Everything that came from the scanned site (cookie names, URLs, page text) is hostile input: it passes
through `esc` on its way in, and the Content-Security-Policy stops any script that slipped through.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models import Finding, PhaseEvidence
from .consent_section import consent_section
from .markup import esc, table
from .model import ScanReport
from .notice_section import notice_section
from .recipients_section import recipients_section

__all__ = ["esc", "render_html", "table"]

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px} h2{margin-top:32px;border-bottom:2px solid #dde1e7;padding-bottom:4px}
.meta{color:#5b6474} .incomplete{background:#fff4d6;border:1px solid #e6c35c;padding:8px 12px;border-radius:6px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #e1e5ea;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#eef1f5}
.finding{background:#fff;border:1px solid #e1e5ea;border-left:6px solid #999;border-radius:6px;padding:10px 14px;margin:10px 0}
.sev-critical{border-left-color:#7a0019}.sev-high{border-left-color:#d12c2c}.sev-medium{border-left-color:#e68a00}
.sev-low{border-left-color:#3a7bd5}.sev-info{border-left-color:#8a94a6}
.badge{display:inline-block;font-size:12px;padding:1px 7px;border-radius:10px;background:#e8ebf0;margin-right:6px}
.finding h3{margin:0 0 6px;font-size:16px} .fix{background:#eef8ee;padding:6px 10px;border-radius:4px}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.shots img{max-width:360px;border:1px solid #ccd;margin:4px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #e1e5ea;border-radius:6px;padding:10px 16px}
.card b{display:block;font-size:22px}
"""


def finding_html(f: Finding) -> str:
    items = []
    for e in f.evidence:
        parts = [esc(e.description)]
        if e.url:
            parts.append(f"<span class=mono>{esc(e.url)}</span>")
        if e.page_url:
            parts.append(f"on <span class=mono>{esc(e.page_url)}</span>")
        if e.selector:
            parts.append(f"selector <code>{esc(e.selector)}</code>")
        if e.quote:
            parts.append(f"<q>{esc(e.quote)}</q>")
        if e.at_ms is not None:
            parts.append(f"at {e.at_ms / 1000:.1f}s")
        if e.screenshot:
            parts.append(f'<a href="{esc(e.screenshot)}">screenshot</a>')
        items.append("<li>" + " — ".join(parts) + "</li>")
    refs = ", ".join(esc(r) for r in f.legal_reference)
    return (
        f'<div class="finding sev-{esc(f.severity.value)}"><h3>{esc(f.title)}</h3>'
        f'<span class=badge>{esc(f.severity.value)}</span><span class=badge>confidence {esc(f.confidence.value)}</span>'
        f'<span class=badge>{esc(f.rule_id)}</span>'
        + (f"<span class=badge>{esc(f.phase.value)}</span>" if f.phase else "")
        + f"<p>{esc(f.explanation)}</p>"
        + (f"<p><b>Law:</b> {refs}</p>" if refs else "")
        + (f"<ul>{''.join(items)}</ul>" if items else "")
        + f'<p class=fix><b>Fix:</b> {esc(f.fix)}</p></div>'
    )


def phase_html(phase: PhaseEvidence) -> str:
    out = [f"<h2>Phase: {esc(phase.phase.value)}</h2>"]
    if phase.consent_action:
        a = phase.consent_action
        out.append(f"<p>Consent action: <b>{esc(a.action)}</b> via {esc(a.method)} — "
                   f"{'succeeded' if a.succeeded else 'did not succeed'}. {esc(a.detail)}</p>")
    if not phase.complete:
        out.append(f"<p class=incomplete>Incomplete: {esc(phase.incomplete_reason)}</p>")
    out.append("<h3>Cookies</h3>")
    out.append(table(
        ("name", "domain", "party", "lifetime (days)", "secure", "httpOnly", "sameSite", "set by", "first seen on", "stored"),
        ((c.name, c.domain, c.party.value, "session" if c.lifetime_days is None else c.lifetime_days, c.secure,
          c.http_only, c.same_site, c.set_by_url or c.set_by, c.first_seen_page, c.stored) for c in phase.cookies),
    ))
    if phase.storage:
        out.append("<h3>Local and session storage</h3>")
        out.append(table(("kind", "origin", "key", "value (start)"),
                         ((s.kind, s.origin, s.key, s.value_preview) for s in phase.storage)))
    out.append("<h3>Third-party hosts</h3>")
    counts: dict[str, int] = {}
    for r in phase.requests:
        if r.party.value == "third":
            counts[r.host] = counts.get(r.host, 0) + 1
    out.append(table(("host", "requests"), sorted(counts.items())))
    out.append("<h3>Pages</h3>")
    out.append(table(("url", "status", "title", "error"), ((p.url, p.status, p.title, p.error) for p in phase.pages)))
    shots = [p for p in phase.pages if p.screenshot][:6]
    if shots:
        out.append("<div class=shots>" + "".join(
            f'<a href="{esc(p.screenshot)}"><img src="{esc(p.screenshot)}" alt="{esc(p.url)}"></a>' for p in shots
        ) + "</div>")
    return "".join(out)


def extra_sections() -> list[Callable[[ScanReport], str]]:
    """The sections of the stages after the crawl, in report order."""
    return [consent_section, recipients_section, notice_section]


def render_html(report: ScanReport) -> str:
    s = report.summary
    cards = "".join(
        f"<div class=card><b>{esc(v)}</b>{esc(k)}</div>"
        for k, v in (("pages", s.pages_visited), ("cookies", s.cookies), ("third-party hosts", s.third_party_hosts),
                     ("findings", len(report.findings)))
    )
    findings = "".join(finding_html(f) for f in report.findings) or "<p>No findings.</p>"
    extra = "".join(section(report) for section in extra_sections())
    phases = "".join(phase_html(p) for p in report.evidence.phases)
    incomplete = "" if report.complete else f"<p class=incomplete>Incomplete scan: {esc(report.incomplete_reason)}</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>privacyscan report: {esc(report.site_url)}</title><style>{CSS}</style></head>
<body><main>
<h1>Privacy scan of {esc(report.site_url)}</h1>
<p class=meta>Scan {esc(report.scan_id)} · {esc(report.started_at)} · {esc(report.evidence.browser.name)} {esc(report.evidence.browser.version)} · privacyscan {esc(report.tool_version)} · schema {esc(report.schema_version)}</p>
{incomplete}<div class=cards>{cards}</div>
<h2>Findings</h2>{findings}{extra}{phases}
</main></body></html>
"""
