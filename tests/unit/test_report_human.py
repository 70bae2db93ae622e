"""The formats people read: verdict, languages, human values, Markdown and terminal summaries.

A high finding makes a site "not compliant", crawl-health findings never do, and a scan that could not look
gets no verdict at all; every rule has its texts in both languages; values read as people say them."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest
from rich.console import Console

from privacyscan.check.consolidate import consolidate
from privacyscan.check.finding import finding
from privacyscan.models import Evidence, EvidenceItem, PageRecord, Phase, PhaseEvidence, Severity
from privacyscan.pipeline import report_from_evidence
from privacyscan.report import render
from privacyscan.report.i18n import LANGUAGES, Messages, catalogue, report_language
from privacyscan.report.markdown import render_markdown
from privacyscan.report.terminal import print_summary
from privacyscan.report.verdict import verdict
from privacyscan.rules import rule_registry

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
HOSTILE = "<img src=x onerror=alert(1)>[click](javascript:alert(1))"


def scanned(*findings, lang: str = "nb", status: str = "complete"):
    phases = [
        PhaseEvidence(phase=p, started_at=NOW, pages=[PageRecord(url="https://www.xn--blbr-roah.no/", status=200,
                                                                 lang=lang, title="Forside")])
        for p in Phase
    ]
    evidence = Evidence(site_url="https://www.xn--blbr-roah.no/", site_id="s", registrable_domain="xn--blbr-roah.no",
                        scan_id="s1", started_at=NOW, phases=phases)
    report = report_from_evidence(evidence)
    report.findings = consolidate(findings)
    report.status = status
    return report


def transfer(organisation: str, phase: Phase):
    return finding("third_country_transfer", subject=organisation, phase=phase,
                   title=f"Personal data sent to {organisation} (US)", explanation="Schrems II ...",
                   evidence=[EvidenceItem(kind="request", description=f"request to {organisation}",
                                          url="https://www.google-analytics.com/g/collect", phase=phase)])


def test_every_rule_has_its_title_description_and_fix_in_both_languages():
    for rule_id, spec in rule_registry().items():
        for lang in LANGUAGES:
            text = spec.texts.get(lang)
            assert text is not None, f"{rule_id} has no {lang} text"
            assert text.title.strip() and text.description.strip() and text.fix.strip(), (rule_id, lang)
        assert spec.texts["nb"].title != spec.texts["en"].title, rule_id  # translated, not copied


def test_both_catalogues_have_the_same_messages_and_placeholders():
    en, nb = catalogue("en"), catalogue("nb")
    assert set(en) == set(nb)
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", nb[key])), key
        assert nb[key].strip() or not en[key].strip(), key


@pytest.mark.parametrize(("lang", "days", "words"), [
    ("en", 400.0, "13 months"), ("nb", 400.0, "13 måneder"), ("en", None, "until the browser closes"),
    ("nb", 1.0, "1 dag"), ("en", 0.5, "12 hours"), ("nb", 800, "2 år"), ("en", 30, "30 days"),
])
def test_a_lifetime_reads_as_people_say_it(lang, days, words):
    assert Messages(lang).lifetime(days) == words


def test_phases_yes_no_and_dates_are_words():
    nb, en = Messages("nb"), Messages("en")
    assert nb.enum("phase", Phase.before_consent) == "før samtykke" and en.enum("phase", Phase.after_reject) == (
        "after “reject all”")
    assert (nb.yes_no(True), nb.yes_no(False), en.yes_no(False)) == ("ja", "nei", "no")
    assert nb.date(NOW) == "23. november 2026" and en.date(NOW) == "23 November 2026"


def test_the_report_language_is_the_sites_when_nb_or_en_else_english():
    assert report_language(scanned(lang="nb-NO")) == "nb"
    assert report_language(scanned(lang="en-GB")) == "en"
    assert report_language(scanned(lang="de")) == "en"
    assert report_language(scanned(lang="de"), "nb") == "nb"


def test_one_organisation_in_three_phases_is_one_transfer_finding_and_two_are_two():
    report = scanned(*(transfer("Google LLC", p) for p in Phase), transfer("Meta Platforms, Inc.", Phase.after_accept))
    html = render(report, "html", lang="en")["report.html"].decode()
    assert html.count('<div class="finding" id="f-third_country_transfer-') == 2
    assert "Seen before consent, after “reject all”, after “accept all”" in html
    # the rule's explanation and fix once, not per finding
    assert html.count(escape(rule_registry()["third_country_transfer"].texts["en"].description)) == 1


def test_a_high_finding_makes_the_site_not_compliant():
    report = scanned(finding("insecure_form", subject="form", explanation="e"), transfer("Google LLC", Phase.after_accept))
    v = verdict(report)
    assert (v.kind, v.count, v.level) == ("not_compliant", 1, "red")
    assert [a.level for a in v.areas] == ["green", "amber", "red", "green", "green"]  # + behaviour
    html = render(report, "html", lang="nb")["report.html"].decode()
    assert "Ikke i samsvar: 1 alvorlig funn" in html
    assert "Not compliant: 1 high finding" in render(report, "html", lang="en")["report.html"].decode()


def test_crawl_health_findings_never_make_a_site_non_compliant():
    report = scanned(finding("page_failed", subject="https://x/404", explanation="HTTP 404", severity=Severity.high))
    assert verdict(report).kind == "clean"
    assert "Ingen problemer funnet" in render(report, "html", lang="nb")["report.html"].decode()


@pytest.mark.parametrize("status", ["unreachable", "refused", "aborted"])
def test_a_scan_that_could_not_look_gets_no_verdict(status):
    report = scanned(finding("page_failed", subject="https://x/", explanation="no document"), status=status)
    html = render(report, "html", lang="en")["report.html"].decode()
    assert "No verdict: the site could not be scanned" in html
    assert "Not compliant" not in html and "No problems found" not in html
    assert render_markdown(report, "nb").startswith("## ⚪ Ingen vurdering")


def test_the_site_address_is_shown_in_unicode():
    html = render(scanned(), "html", lang="nb")["report.html"].decode()
    assert "<h1>https://www.blåbær.no/</h1>" in html


def test_screenshots_are_embedded_from_the_scan_folder_and_nothing_outside_it_is_read(tmp_path: Path):
    folder = tmp_path / "scan"
    (folder / "screenshots").mkdir(parents=True)
    jpeg = b"\xff\xd8\xff\xe0" + b"crop" * 10
    (folder / "screenshots" / "control-0001.jpg").write_bytes(jpeg)
    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8secret")
    shots = [EvidenceItem(kind="form_control", description="the ticked box", screenshot="screenshots/control-0001.jpg"),
             EvidenceItem(kind="form_control", description="outside", screenshot="../secret.jpg")]
    report = scanned(finding("preticked_consent", subject="#m", explanation="e", evidence=shots))
    html = render(report, "html", lang="en", artefacts=folder)["report.html"].decode()
    assert f"data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}" in html
    assert base64.b64encode(b"\xff\xd8secret").decode() not in html and 'href="../secret.jpg"' not in html
    linked = render(report, "html", lang="en")["report.html"].decode()  # no scan folder: linked, not embedded
    assert 'href="screenshots/control-0001.jpg"' in linked and "data:image" not in linked


class Gate:
    passed = False
    reasons = ["1 high finding (policy: fail on high)"]


def test_the_markdown_summary_is_short_escaped_and_links_into_the_report():
    findings = [finding("tracking_before_consent", subject=f"Vendor {i} {HOSTILE}", explanation="e",
                        phase=Phase.before_consent) for i in range(12)]
    markdown = render_markdown(scanned(*findings), "en", gate=Gate())
    assert markdown.startswith("## 🔴 Not compliant: 12 high findings")
    assert "**Policy gate: failed**" in markdown and "1 high finding (policy: fail on high)" in markdown
    assert markdown.count("](report.html#f-tracking_before_consent-") == 8 and "- 4 more in the report" in markdown
    norwegian = render_markdown(scanned(*findings), "nb")  # names the subject: the site's text
    assert r"Vendor 0 \<img src=x onerror=alert(1)\>\[click\](javascript:alert(1))" in norwegian
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(javascript", norwegian)
    assert len(markdown) < 4000


def test_the_terminal_summary_says_how_many_more_the_report_has_and_keeps_full_rule_ids():
    findings = [finding("privacy_notice_inconsistent_with_observed", subject=f"recipient:[bold red]Org {i}",
                        explanation="e") for i in range(30)]
    console = Console(record=True, width=200)
    print_summary(console, scanned(*findings), "/tmp/x", "nb", limit=25)
    text = console.export_text()
    assert "Ikke i samsvar" not in text and "Bør rettes: 30 middels alvorlige funn" in text
    assert text.count("privacy_notice_inconsistent_with_observed") == 25  # the full id, never cut
    assert "5 til i rapporten" in text
    assert "[bold red]Org 0" in text  # markup from the site stays text
    assert "Rapport: /tmp/x" in text


def test_report_json_is_unchanged_by_the_language():
    report = scanned(transfer("Google LLC", Phase.before_consent))
    assert json.loads(render(report, "json", lang="nb")["report.json"]) == json.loads(render(report, "json")["report.json"])
