"""The HTML report for people: one self-contained file (inline CSS, images as data: URIs, no script and a
CSP that forbids any), rendered from Jinja2 templates (`report/templates/`) with autoescaping on.

Layout, after the models we studied (Lighthouse: the verdict and a light per area first; the EDPS Website
Evidence Collector: what was scanned, recipients, cookies and raw evidence in an appendix; Cookiebot:
cookies by category and what each consent choice changed): the verdict, a traffic light per area, what was
scanned and a table of contents on the first screen; then the findings by area and severity, each rule's
explanation, law and fix once, and every finding's own evidence inline (screenshot crops embedded); then
recipients, cookies, the Art. 13 checklist, the per-phase comparison and the appendix.

This module turns the report into plain view values (strings, human values in the chosen language); the
templates only lay them out. Everything from the scanned site is hostile input and stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..models import EvidenceItem, Finding, Severity
from ..rules import RuleArea, rule_registry
from ..urls import display_url
from .consent_section import consent_view
from .cookies_section import cookie_rows, storage_rows
from .i18n import Messages
from .markup import (
    Image,
    ImageEmbedder,
    css_string,
    environment,
    esc,
    phases_text,
    relative_link,
    safe_href,
)
from .model import ScanReport
from .notice_section import notice_view
from .recipients_section import catalogue_note, recipient_rows
from .verdict import COMPLIANCE_AREAS, AreaLight, Verdict, by_severity, finding_area, finding_label, verdict

__all__ = ["esc", "render_html", "verdict_texts"]

INLINE_EVIDENCE = 5  # evidence lines shown inside a finding; the rest are in the appendix
IMAGES_PER_FINDING = 3



def _css() -> str:
    return (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")


@dataclass
class EvidenceView:
    description: str
    url: str | None
    href: str | None
    page: str | None
    on: str
    phase: str | None
    at: str | None
    selector: str | None
    selector_label: str
    quote: str | None
    shot_link: str | None
    shot_label: str


@dataclass
class FindingView:
    id: str
    anchor: str
    heading: str
    severity: Severity
    confidence: object
    phases: str
    pages: list[str]
    explanation: str
    english: bool
    english_title: str | None
    fix: str | None
    fix_english: bool
    evidence: list[EvidenceView]
    all_evidence: list[EvidenceView]
    more: int
    images: list[Image]


@dataclass
class RuleView:
    rule_id: str
    title: str
    severity: Severity
    description: str
    legal: list[str]
    fix: str
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class AreaGroup:
    area: RuleArea
    rules: list[RuleView]


def anchor(finding: Finding) -> str:
    return "f-" + finding.id.replace("/", "-")


def _evidence_view(t: Messages, e: EvidenceItem, embedder: ImageEmbedder) -> EvidenceView:
    shown_url = display_url(e.url) if e.url else None
    embedded = embedder.data_uri(e.screenshot) is not None
    return EvidenceView(
        description=t.words(e.description_wording, e.description),
        url=shown_url,
        href=safe_href(e.url),
        page=display_url(e.page_url) if e.page_url and e.page_url != e.url else None,
        on=t("finding.on_pages"),
        phase=t.enum("phase", e.phase) if e.phase else None,
        at=t("evidence.at", seconds=f"{e.at_ms / 1000:.1f}") if e.at_ms is not None else None,
        selector=e.selector,
        selector_label=t("evidence.selector"),
        quote=e.quote,
        shot_link=None if embedded else relative_link(e.screenshot),
        shot_label=t("evidence.screenshot"),
    )


def _finding_view(t: Messages, f: Finding, embedder: ImageEmbedder) -> FindingView:
    spec = rule_registry().get(f.rule_id)
    en_text = spec.text("en") if spec else None
    local = t.rule_text(f.rule_id)
    heading = finding_label(t, f)
    # A finding's own words come as wordings (data/finding_texts) and read in the report's language. Only a
    # text without one (a report from before, or a key this version lacks) is shown in English, marked so.
    english = t.lang != "en" and local is not None and not t.translates(f.explanation_wording)
    english_title = None
    if english and not t.translates(f.title_wording) and not (en_text and f.title == en_text.title):
        english_title = f.title
    if f.fix_wording is not None and t.translates(f.fix_wording):
        own_fix, fix_english = t.words(f.fix_wording, f.fix), False
    else:
        own_fix = None if en_text and f.fix == en_text.fix else f.fix
        fix_english = own_fix is not None and t.lang != "en"
    views = [_evidence_view(t, e, embedder) for e in f.evidence]
    images: list[Image] = []
    for e in f.evidence:
        uri = embedder.data_uri(e.screenshot)
        if uri and all(i.src != uri for i in images) and len(images) < IMAGES_PER_FINDING:
            images.append(Image(src=uri, caption=t("evidence.screenshot_of",
                                                     what=t.words(e.description_wording, e.description))))
    return FindingView(
        id=f.id, anchor=anchor(f), heading=heading, severity=f.severity, confidence=f.confidence,
        phases=phases_text(t, f.phases), pages=f.pages, explanation=t.words(f.explanation_wording, f.explanation),
        english=english, english_title=english_title, fix=own_fix, fix_english=fix_english, evidence=views[:INLINE_EVIDENCE], all_evidence=views,
        more=max(0, len(views) - INLINE_EVIDENCE), images=images,
    )


def finding_groups(t: Messages, findings: list[Finding], embedder: ImageEmbedder) -> list[AreaGroup]:
    """Findings by area (the four compliance areas always, scan health when it has findings), within an
    area by rule, the most serious rule first; each rule's texts once."""
    areas = list(COMPLIANCE_AREAS) + (
        [RuleArea.crawl_health] if any(finding_area(f) is RuleArea.crawl_health for f in findings) else []
    )
    groups = []
    for area in areas:
        rules: dict[str, RuleView] = {}
        for f in by_severity([f for f in findings if finding_area(f) is area]):
            view = rules.get(f.rule_id)
            if view is None:
                spec = rule_registry().get(f.rule_id)
                text = t.rule_text(f.rule_id)
                view = rules[f.rule_id] = RuleView(
                    rule_id=f.rule_id,
                    title=text.title if text else f.title,
                    severity=f.severity,
                    description=text.description if text else "",
                    legal=[t.legal(ref) for ref in dict.fromkeys([*(spec.legal if spec else []), *f.legal_reference])],
                    fix=text.fix if text else "",
                )
            view.findings.append(_finding_view(t, f, embedder))
        groups.append(AreaGroup(area=area, rules=list(rules.values())))
    return groups


# ------------------------------------------------------------------------------------------- first screen


def verdict_texts(t: Messages, report: ScanReport, v: Verdict) -> tuple[str, str]:
    """The verdict line and the sentence under it, in the report's language."""
    pages = report.summary.pages_visited
    if not v.looked:
        reason = report.incomplete_reason or "; ".join(c.detail for c in report.causes) or t("unknown")
        return t("verdict.no_verdict"), t("verdict.no_verdict_detail", status=t.enum("status", report.status),
                                           reason=reason)
    if v.kind == "clean":
        return t("verdict.clean"), t("verdict.clean_detail", pages=pages)
    counts = ", ".join(f"{n} {t.enum('severity', s)}" for s, n in v.severity_counts.items())
    return t.plural(f"verdict.{v.kind}", v.count), t("verdict.detail", counts=counts, pages=pages)


def area_state(t: Messages, light: AreaLight) -> str:
    if light.level == "grey":
        return t("light.grey")
    counts = light.counts()
    if not counts:
        return t("light.none")
    return ", ".join(f"{n} {t.enum('severity', s)}" for s, n in counts.items())


def scanned_rows(t: Messages, report: ScanReport) -> list[tuple[str, str]]:
    s = report.summary
    rows = [
        (t("scanned.site"), display_url(report.site_url)),
        (t("scanned.status"), t.enum("status", report.status)),
        (t("scanned.date"), t.datetime(report.started_at)),
    ]
    if report.finished_at:
        minutes, seconds = divmod(round((report.finished_at - report.started_at).total_seconds()), 60)
        rows.append((t("scanned.duration"), f"{minutes} min {seconds} s" if minutes else f"{seconds} s"))
    rows.append((t("scanned.pages"), t("scanned.pages_value", visited=s.pages_visited, failed=s.pages_failed)))
    phases = report.scope.phases if report.scope and report.scope.phases else [p.phase for p in report.evidence.phases]
    rows.append((t("scanned.phases"), phases_text(t, phases)))
    rows.append((t("scanned.cookies"), str(s.cookies)))
    rows.append((t("scanned.third_party_hosts"), str(s.third_party_hosts)))
    if report.scope:
        scope = report.scope
        options = t("scanned.options_value", max_pages=scope.max_pages, max_depth=scope.max_depth)
        for key, values in (("scanned.include", scope.include), ("scanned.exclude", scope.exclude),
                            ("scanned.seeds", [display_url(u) for u in scope.seeds])):
            if values:
                options += f"; {t(key)}: {', '.join(values)}"
        rows.append((t("scanned.options"), options))
    browser = report.evidence.browser
    rows.append((t("scanned.version"), f"privacyscan {report.tool_version or '?'}"))
    rows.append((t("scanned.browser"), f"{browser.name} {browser.version}".strip()))
    rows.append((t("scanned.scan_id"), report.scan_id))
    return rows


# ------------------------------------------------------------------------------------ tables after findings


def page_tables(t: Messages, report: ScanReport) -> list[dict]:
    return [
        {
            "title": t.enum("phase", phase.phase),
            "rows": [
                {"url": display_url(p.url), "status": p.status if p.status is not None else "—", "title": p.title,
                 "error": p.error or "", "shot": relative_link(p.screenshot)}
                for p in phase.pages
            ],
        }
        for phase in report.evidence.phases
    ]


def page_header_css(site: str, date: str) -> Markup:
    """Print headers (site and date) and page numbers in the @page margin boxes Chromium supports; the
    site-derived text goes in as a CSS string of hex escapes, so it can never end the style element."""
    return Markup(
        "@page{size:A4;margin:16mm 13mm 15mm;"
        f"@top-left{{content:{css_string(site)};font:9pt system-ui,sans-serif;color:#4a5263}}"
        f"@top-right{{content:{css_string(date)};font:9pt system-ui,sans-serif;color:#4a5263}}"
        '@bottom-right{content:counter(page) " / " counter(pages);font:9pt system-ui,sans-serif;color:#4a5263}}'
    )


def render_html(report: ScanReport, lang: str | None = None, artefacts: Path | None = None) -> str:
    """The report in `lang` (nb or en; anything else reads as English), embedding the screenshots found in
    `artefacts` (the scan folder); without it screenshots are linked relative to report.html."""
    t = Messages(lang)
    embedder = ImageEmbedder(artefacts)
    v = verdict(report)
    headline, detail = verdict_texts(t, report, v)
    groups = finding_groups(t, report.findings, embedder)
    incomplete = t("verdict.incomplete", reason=report.incomplete_reason) if (
        v.looked and not report.complete and report.incomplete_reason) else ""
    site = display_url(report.site_url)
    return environment().get_template("report.html.j2").render(
        t=t, v=v, site=site, verdict_text=headline, verdict_detail=detail, incomplete=incomplete,
        area_state=lambda light: area_state(t, light), scanned=scanned_rows(t, report),
        findings_total=len(report.findings), groups=groups,
        all_findings=[f for g in groups for r in g.rules for f in r.findings],
        recipients=recipient_rows(t, report), catalogue_note=catalogue_note(t, report), cookies=cookie_rows(t, report), storage=storage_rows(t, report),
        notice=notice_view(t, report), consent=consent_view(t, report, embedder), pages=page_tables(t, report),
        css=Markup(_css()), page_css=page_header_css(site, t.date(report.started_at)),
        version=report.tool_version or "?", generated=t.date(report.finished_at or report.started_at),
        schema=report.schema_version,
    )
