"""A finding's own words are data in both languages: the Norwegian report speaks Norwegian all the way down.

The checks word each explanation, own title, own fix and evidence description as a key of
data/finding_texts/{en,nb}.json with named values; report.json keeps the English text (what its readers rely
on) with the wording beside it, and the HTML, PDF, Markdown and terminal reports render it in their language.
The catalogues hold the same keys and placeholders, every key a check names exists, and scans that between
them break every rule render in bokmål with no English sentence left; a report without wordings (written
before) still shows its English text, marked as such."""

from __future__ import annotations

import json
import re
from html import escape
from importlib import resources
from pathlib import Path

import pytest
from rich.console import Console

from privacyscan.check import run_checks
from privacyscan.classify.model import Category, DpfStatus
from privacyscan.forms.consent_labels import Document, Purpose
from privacyscan.gate import Policy, decide_report
from privacyscan.models import (
    SCHEMA_VERSION,
    BannerButton,
    EvidenceItem,
    Finding,
    Party,
    Phase,
    Severity,
    Wording,
    WordingList,
)
from privacyscan.pipeline import report_from_evidence
from privacyscan.report import render
from privacyscan.report.i18n import Messages
from privacyscan.report.markdown import render_markdown
from privacyscan.report.model import ScanReport
from privacyscan.report.terminal import print_summary
from privacyscan.rules import rule_registry
from privacyscan.wording import LANGUAGES, counted, finding_texts, placeholders, words
from privacyscan.wording import render as render_wording

from ..builders import violating_scans

CHECKS = Path(__file__).resolve().parents[2] / "src" / "privacyscan" / "check"
CLASSIFY = Path(__file__).resolve().parents[2] / "src" / "privacyscan" / "classify"
# English words that never occur in bokmål prose: one of them in a Norwegian text is a leftover English sentence.
ENGLISH = {"the", "and", "which", "was", "were", "received", "visitor", "visitors", "after", "before", "without",
           "only", "its", "their", "could", "must", "should", "this", "that", "with", "from", "has", "have", "been",
           "not", "of", "or", "an", "is", "are", "sent", "cookies", "request", "requests", "page"}
# Names that stay English in a Norwegian text (a framework, a ruling's name, a link label a site may use).
ENGLISH_NAMES = ("Data Privacy Framework", "Privacy Shield", "Privacy policy", "CLOUD Act")
MASK = "◊"


def english_words(text: str) -> set[str]:
    for name in ENGLISH_NAMES:
        text = text.replace(name, "")
    return {w for w in re.findall(r"[A-Za-z']+", text) if w.lower() in ENGLISH}


def masked(value):
    """A wording with every fact (a string value from the site or the evidence) replaced by a mark: what is
    left is the catalogue's own words."""
    if isinstance(value, Wording):
        return Wording(key=value.key, values={k: masked(v) for k, v in value.values.items()})
    if isinstance(value, WordingList):
        return WordingList(items=[masked(v) for v in value.items], joiner=value.joiner)
    return MASK if isinstance(value, str) and value else value


# ------------------------------------------------------------------------------------------- catalogues


def test_both_languages_have_the_same_finding_texts_with_the_same_placeholders():
    en, nb = finding_texts("en"), finding_texts("nb")
    assert set(en) == set(nb) and len(en) > 300
    for key in en:
        assert placeholders(en[key]) == placeholders(nb[key]), key
        assert nb[key].strip() or not en[key].strip(), key
    plurals = {k.removesuffix(".one") for k in en if k.endswith(".one")}
    assert plurals and all(f"{p}.other" in en for p in plurals)


def test_the_norwegian_texts_are_bokmal_and_say_what_the_english_say_in_their_own_words():
    en, nb = finding_texts("en"), finding_texts("nb")
    leftovers = {key: english_words(PLACEHOLDER_FREE.sub(" ", text)) for key, text in nb.items()}
    assert not {k: w for k, w in leftovers.items() if w}
    prose = [k for k in en if len(en[k]) > 60]
    assert all(nb[k] != en[k] for k in prose), [k for k in prose if nb[k] == en[k]]
    # Datatilsynet's vocabulary, not calques
    joined = " ".join(nb.values())
    for term in ("informasjonskapsel", "samtykke", "personopplysninger", "tredjeland", "overføring", "ekomloven",
                 "behandlingsansvarlig", "personvernerklæringen"):
        assert term in joined, term


PLACEHOLDER_FREE = re.compile(r"{\w+(?:[:!][^{}]*)?}")


def _keys_in_source(*folders: Path) -> tuple[set[str], set[str], set[str]]:
    """Literal keys passed to `words`, plural keys passed to `counted`, and prefixes of keys built at run time."""
    literal, plural, prefixes = set(), set(), set()
    for folder in folders:
        for path in folder.glob("*.py"):
            source = path.read_text(encoding="utf-8")
            literal |= set(re.findall(r'\bwords\(\s*"([\w.-]+)"', source))
            literal |= set(re.findall(r'\bwords\(\s*"([\w.-]+)" if', source))
            literal |= set(re.findall(r'else "([\w.-]+)"', source))
            plural |= set(re.findall(r'\bcounted\(\s*"([\w.-]+)"', source))
            prefixes |= set(re.findall(r'\bwords\(\s*f"([\w.-]+)\{', source))
            prefixes |= set(re.findall(r'\b_maybe\(\s*"([\w.-]+)"', source))
    return literal, plural, prefixes


def test_every_key_a_check_or_the_classifier_names_is_in_both_catalogues():
    literal, plural, prefixes = _keys_in_source(CHECKS, CLASSIFY)
    assert len(literal) > 150 and len(plural) >= 10 and prefixes
    for lang in LANGUAGES:
        texts = finding_texts(lang)
        assert not [k for k in literal if "." in k and k not in texts], lang
        assert not [k for k in plural if f"{k}.one" not in texts or f"{k}.other" not in texts], lang
        assert not [p for p in prefixes if not any(k.startswith(p) for k in texts)], lang


def test_keys_built_at_run_time_cover_every_value_they_are_built_from():
    texts = finding_texts("nb")
    personal = json.loads(resources.files("privacyscan").joinpath("data/personal_fields.json").read_text())["categories"]
    notice = json.loads(resources.files("privacyscan").joinpath("data/notice_patterns.json").read_text())["items"]
    expected = (
        [f"category.{c.value}" for c in Category]
        + [f"purpose.{p.value}" for p in Purpose] + [f"document.{d.value}" for d in Document]
        + [f"dpf_status.{s.value}" for s in DpfStatus]
        + [f"recipient_fact.dpf.{s.value}" for s in DpfStatus if s is not DpfStatus.unknown]
        + [f"button_role.{r}" for r in BannerButton.model_fields["role"].annotation.__args__]
        + [f"field.{c}" for c in personal] + [f"party.{p.value}" for p in Party]
        + [f"phase.{p.value}" for p in Phase] + [f"phase_start.{p.value}" for p in Phase]
        + [f"set_by.{s}" for s in ("header", "script", "unknown")]
        + [f"known_from.{k}" for k in ("vendor_catalogue", "form_services_list", "domain_name_only")]
        + [f"notice_role.{r}" for r in ("notice", "stub", "linked")]
        + [f"evidence.storage_key.{k}" for k in ("local", "session")]
        + [f"technique.{k}" for k in ("canvas", "webgl", "audio", "font_probe")]
        + [f"notice_item.{part}.{item['key']}" for item in notice.values() for part in ("title", "law")]
    )
    assert not [k for k in expected if k not in texts]


def test_the_notice_items_english_texts_are_the_notice_patterns_own():
    notice = json.loads(resources.files("privacyscan").joinpath("data/notice_patterns.json").read_text())["items"]
    en = finding_texts("en")
    for item in notice.values():
        assert en[f"notice_item.title.{item['key']}"] == item["title"]
        assert en[f"notice_item.law.{item['key']}"] == item["law"][0].lower() + item["law"][1:]


def test_bokmal_writes_decimal_commas_and_its_own_plurals():
    lifetime = words("cookie_lifetime_excessive.explanation", category=words("category.analytics"), name="_ga",
                     domain=".butikk.no", owner="Google LLC", days=400.0, months=400 / 30.44)
    assert "(13,1 måneder)" in render_wording(lifetime, "nb") and "(13.1 months)" in render_wording(lifetime, "en")
    assert render_wording(counted("transfer.requests", 1), "nb") == "1 forespørsel"
    assert render_wording(counted("transfer.requests", 2), "nb") == "2 forespørsler"
    assert render_wording(counted("transfer.requests", 2), "en") == "2 request(s)"  # as the checks always wrote it


# ----------------------------------------------------------------------------------- what the checks wrote


def failing_rule(_ctx):
    raise RuntimeError("boom")


@pytest.fixture(scope="module")
def every_rule() -> list[ScanReport]:
    """Scans that between them break every rule (builders.violating_scans), plus a check that raises."""
    reports = []
    for ctx in violating_scans():
        report = report_from_evidence(ctx.evidence)
        report.findings = run_checks(ctx)
        report.privacy_notice = ctx.privacy_notice
        reports.append(report)
    reports[0].findings += run_checks(violating_scans()[0], [failing_rule])
    return reports


def _texts(f: Finding):
    """(what, English text, wording) for a finding's own words and its evidence descriptions."""
    yield "explanation", f.explanation, f.explanation_wording
    if f.title_wording is not None:
        yield "title", f.title, f.title_wording
    if f.fix_wording is not None:
        yield "fix", f.fix, f.fix_wording
    for e in f.evidence:
        yield "evidence", e.description, e.description_wording


def test_the_scans_break_every_rule(every_rule):
    assert {f.rule_id for r in every_rule for f in r.findings} == set(rule_registry())


def test_every_finding_keeps_its_english_text_and_words_it_the_same(every_rule):
    for f in (f for r in every_rule for f in r.findings):
        for what, english, wording in _texts(f):
            assert wording is not None, (f.rule_id, what, english)
            assert render_wording(wording, "en") == english, (f.rule_id, what)


def test_every_finding_reads_in_bokmal_with_no_english_sentence_left(every_rule):
    for f in (f for r in every_rule for f in r.findings):
        for what, english, wording in _texts(f):
            norwegian = render_wording(wording, "nb")
            own_words = render_wording(masked(wording), "nb")
            assert not english_words(own_words), (f.rule_id, what, own_words)
            if english_words(render_wording(masked(wording), "en")):  # a sentence, not a bare value
                assert norwegian != english, (f.rule_id, what)


def test_the_norwegian_html_has_no_english_detail_and_the_english_html_is_unchanged(every_rule):
    for report in every_rule:
        nb = render(report, "html", lang="nb")["report.html"].decode()
        en = render(report, "html", lang="en")["report.html"].decode()
        assert "Detaljer (på engelsk)" not in nb and 'lang="en"' not in nb
        for f in report.findings:
            assert escape(render_wording(f.explanation_wording, "nb")) in nb, f.rule_id
            assert escape(f.explanation) not in nb or f.rule_id in ("internal_error",), f.rule_id
            assert escape(f.explanation) in en, f.rule_id
            if f.fix_wording is not None:
                assert escape(render_wording(f.fix_wording, "nb")) in nb and escape(f.fix) in en
            for e in f.evidence[:5]:
                assert escape(render_wording(e.description_wording, "nb")) in nb


def test_markdown_and_terminal_name_the_findings_in_bokmal(every_rule):
    report = every_rule[0]
    markdown = render_markdown(report, "nb")
    assert "kjører før den besøkende har samtykket" in markdown or "Sporing før samtykke" in markdown
    console = Console(record=True, width=300)
    print_summary(console, report, "/tmp/r", lang="nb", limit=100)
    shown = console.export_text()
    for f in report.findings:
        if f.title_wording is not None:
            assert render_wording(f.title_wording, "nb") in shown, f.rule_id
            assert f.title not in shown or f.title == render_wording(f.title_wording, "nb"), f.rule_id


def test_the_markdown_gate_lines_follow_the_report_language(every_rule):
    report = every_rule[0]
    failed = decide_report(report, Policy().with_fail_on("high"))
    nb = render_markdown(report, "nb", gate=failed)
    assert "**Policy-sjekk: ikke bestått**" in nb and "Policy-sjekken er ikke bestått (stopper ved høy" in nb
    assert "gate FAILED" not in nb and "at or above" not in nb and "confidence" not in nb
    assert "stopper: " in nb and "er på eller over høy" in nb
    en = render_markdown(report, "en", gate=failed)
    assert failed.summary_line().split(":")[0] in en  # English keeps the gate's own lines, as the CLI prints them
    passed = render_markdown(report, "nb", gate=decide_report(report, Policy.never()))
    assert "Policy-sjekken er bestått (stopper aldri)" in passed and "under terskelen" in passed


def test_the_art_13_checklist_states_the_law_in_bokmal(every_rule):
    nb = render(every_rule[0], "html", lang="nb")["report.html"].decode()
    checklist = nb[nb.index('<section id="notice"'):]
    assert "<span>Art. 13 nr. 2 bokstav a: hvor lenge personopplysningene vil bli lagret" in checklist
    assert "how long the personal data will be stored" not in nb and "Art. 13(2)(a)" not in nb
    en = render(every_rule[0], "html", lang="en")["report.html"].decode()
    assert "<span>Art. 13(2)(a): how long the personal data will be stored" in en


# ------------------------------------------------------------------------------------------- compatibility


def test_a_finding_written_before_finding_texts_were_data_shows_its_english_marked(every_rule):
    old = Finding(rule_id="tracking_before_consent", title="Meta Pixel (advertising) runs before the visitor consents",
                  severity=Severity.high, explanation="Before any answer to the consent banner, Meta received 2 requests.",
                  fix="Load Meta Pixel only after consent.", subject="Meta",
                  evidence=[EvidenceItem(kind="note", description="tracker cookies sent back: _fbp")])
    report = every_rule[1].model_copy(update={"findings": [old]})
    nb = render(report, "html", lang="nb")["report.html"].decode()
    assert "Detaljer (på engelsk)" in nb and "Before any answer to the consent banner" in nb
    assert 'lang="en"><b>Slik retter dere det:</b> Load Meta Pixel only after consent.' in nb
    assert "Sporing før samtykke: Meta" in nb  # the heading is still the rule's Norwegian title


def test_report_json_keeps_every_english_field_and_reads_a_report_without_wordings(every_rule):
    report = every_rule[0]
    data = json.loads(report.model_dump_json())
    assert data["schema_version"] == SCHEMA_VERSION == "2.3.0"
    f = data["findings"][0]
    assert {"title", "explanation", "fix", "evidence"} <= set(f) and f["explanation_wording"]["key"]
    stripped = _without_wordings(data)
    assert "_wording" not in json.dumps(stripped)
    older = ScanReport.model_validate(stripped)  # a 2.2.0 report: no wordings, still valid
    assert older.findings[0].explanation == report.findings[0].explanation
    assert ScanReport.model_validate_json(report.model_dump_json()) == report


def _without_wordings(node):
    if isinstance(node, dict):
        return {k: _without_wordings(v) for k, v in node.items() if not k.endswith("_wording")}
    if isinstance(node, list):
        return [_without_wordings(v) for v in node]
    return node


def test_an_unknown_key_in_a_newer_report_falls_back_to_its_english_text():
    t = Messages("nb")
    assert t.words(Wording(key="some_future.explanation"), "the English text") == "the English text"
    assert not t.translates(Wording(key="some_future.explanation")) and Messages("en").translates(None)



# ------------------------------------------------------------------------------------------- legal references


def _legal_references() -> set[str]:
    refs = {ref for spec in rule_registry().values() for ref in spec.legal}
    for path in CHECKS.glob("*.py"):
        refs |= set(re.findall(r'"((?:GDPR|ePrivacy|Ekomloven|CJEU|EDPB|CNIL|Markedsføringsloven)[^"{]*)"',
                               path.read_text(encoding="utf-8")))
    return refs


def test_every_legal_reference_is_cited_in_bokmal():
    nb, en = Messages("nb"), Messages("en")
    refs = _legal_references()
    assert len(refs) > 30
    for ref in refs:
        assert en.legal(ref) == ref, ref
        assert nb.legal(ref) != ref and not english_words(nb.legal(ref)), ref
    assert nb.legal("GDPR Art. 13 (item 7)") == "Personvernforordningen art. 13 (punkt 7)"
    assert nb.legal("Some Act § 1") == "Some Act § 1"  # unknown: as written


def test_the_norwegian_report_cites_the_law_in_norwegian(every_rule):
    nb = render(every_rule[0], "html", lang="nb")["report.html"].decode()
    laws = re.findall(r'<p class="law"><b>Regelverk:</b> (.*?)</p>', nb)
    assert laws and all("GDPR Art." not in law and "Norway" not in law for law in laws)
    assert any("Personvernforordningen art. 4 nr. 11 og art. 7" in law for law in laws)
    en = render(every_rule[0], "html", lang="en")["report.html"].decode()
    assert "GDPR Art. 4(11) and Art. 7" in en
