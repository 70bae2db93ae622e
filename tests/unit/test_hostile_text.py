"""Hostile page text cannot lose a scan: lone UTF-16 surrogates, pairs split by a cut, emoji at a cut and
characters XML 1.0 forbids go through the models and every report format, and every output parses."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

import privacyscan.store as report_formats
from privacyscan.models import (
    CookieRecord,
    Evidence,
    EvidenceItem,
    Finding,
    FormControl,
    FormRecord,
    LinkRecord,
    PageRecord,
    Phase,
    PhaseEvidence,
    Severity,
    StorageItem,
)
from privacyscan.pipeline import report_from_evidence
from privacyscan.report import render
from privacyscan.report.junit import xml_text
from privacyscan.store import DROPPED_NOTE, LocalStore, render_formats
from privacyscan.text import clean_text

NOW = datetime(2026, 11, 23, tzinfo=UTC)
LONE_HIGH = "a\ud800b"  # document.title = 'a\uD800b'
LONE_LOW = "x\udfffy"
SPLIT_PAIR = "smile \ud83d\ude00"  # a pair that crossed the bridge as two code points
EMOJI_AT_CUT = "a" * 199 + "\U0001f600"  # 199 characters then an emoji: a UTF-16 cut at 200 splits it
CONTROL = "Jeg samtykker\x01 til\x08 nyhetsbrev\ufffe\uffff\x0b\x0c\x1f"
ALL_FORMATS = ("json", "html", "sarif", "junit")


def test_clean_text_replaces_lone_surrogates_and_joins_split_pairs():
    assert clean_text(LONE_HIGH) == "a\ufffdb"
    assert clean_text(LONE_LOW) == "x\ufffdy"
    assert clean_text(SPLIT_PAIR) == "smile \U0001f600"
    assert clean_text("\udc00\ud800") == "\ufffd\ufffd"  # wrong order: not a pair
    assert clean_text(EMOJI_AT_CUT[:200] + "\ud83d") == EMOJI_AT_CUT + "\ufffd"
    # everything else is left as it is, control characters included (JSON can carry them)
    assert clean_text(CONTROL) == CONTROL
    assert clean_text("blåbær 😀") == "blåbær 😀"


def hostile_report():
    control = FormControl(tag="input", type="checkbox", name="consent", label=CONTROL, nearby_text=LONE_LOW,
                          checked=True, selector="#c", attributes={"data-x\ud800": SPLIT_PAIR})
    page = PageRecord(
        url="https://www.example.no/", status=200, title=LONE_HIGH, text_excerpt="tekst " + EMOJI_AT_CUT[:200],
        links=[LinkRecord(url="https://www.example.no/a", text=EMOJI_AT_CUT + "…"),
               LinkRecord(url="https://www.example.no/personvern", text="Personvern\ud83d")],
        forms=[FormRecord(page_url="https://www.example.no/", selector="form", text=CONTROL, controls=[control])],
    )
    phase = PhaseEvidence(
        phase=Phase.before_consent, started_at=NOW, pages=[page],
        cookies=[CookieRecord(name="c\ud800", value=CONTROL, domain="www.example.no",
                              first_seen_page="https://www.example.no/", first_seen_ms=1.0)],
        storage=[StorageItem(kind="local", origin="https://www.example.no", key=LONE_HIGH, value_preview=CONTROL,
                             page_url="https://www.example.no/")],
    )
    evidence = Evidence(site_url="https://www.example.no/", site_id="www.example.no-1", registrable_domain="example.no",
                        scan_id="s1", started_at=NOW, phases=[phase])
    report = report_from_evidence(evidence)
    report.findings.append(Finding(
        rule_id="preticked_consent", title=f"Pre-ticked: {CONTROL}", severity=Severity.high,
        explanation=f"{LONE_HIGH} {EMOJI_AT_CUT}", fix="Untick it.", subject=CONTROL + LONE_LOW,
        evidence=[EvidenceItem(kind="form_control", description=CONTROL, quote=SPLIT_PAIR)],
    ))
    return report


def test_the_models_clean_text_on_construction_and_on_assignment():
    report = hostile_report()
    page = report.evidence.phases[0].pages[0]
    assert page.title == "a\ufffdb"
    assert page.links[0].text == EMOJI_AT_CUT + "…" and page.links[1].text == "Personvern\ufffd"
    assert page.forms[0].controls[0].attributes == {"data-x\ufffd": "smile \U0001f600"}
    assert report.evidence.phases[0].cookies[0].name == "c\ufffd"
    page.html = "<title>a\ud800b</title>"  # the crawler sets fields after construction
    assert page.html == "<title>a\ufffdb</title>"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _parse_html(text: str) -> None:
    parser = HTMLParser()
    parser.feed(text)
    parser.close()


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_every_format_renders_hostile_text_and_parses(fmt):
    report = hostile_report()
    files = render(report, fmt)
    assert files
    for name, data in files.items():
        text = data.decode("utf-8")  # strict: no surrogate ever reaches the bytes
        assert "\ufffd" in text or fmt == "junit" or fmt == "sarif"
        if name.endswith(".json"):
            parsed = json.loads(text)
            assert parsed["evidence"]["phases"][0]["pages"][0]["title"] == "a\ufffdb"
            assert parsed["evidence"]["phases"][0]["pages"][0]["links"][0]["text"] == EMOJI_AT_CUT + "…"
            assert parsed["evidence"]["phases"][0]["pages"][0]["forms"][0]["controls"][0]["label"] == CONTROL
        elif name.endswith(".sarif"):
            parsed = json.loads(text)
            assert parsed["version"] == "2.1.0" and parsed["runs"][0]["results"]
            assert any(CONTROL in text for text in _strings(parsed["runs"][0]["results"]))
        elif name.endswith(".xml"):
            suite = ET.fromstring(data)  # well-formed despite U+0001, U+0008, U+FFFE in the label
            # one test case per check now: the finding's subject is carried in its check's failure or output
            texts = [t for element in suite.iter() for t in (element.text, *element.attrib.values()) if t]
            assert any(xml_text(CONTROL + "x\ufffdy") in t for t in texts)
            assert "\\u0001" in xml_text(CONTROL) and "\\ufffe" in xml_text(CONTROL)
        elif name.endswith(".html"):
            _parse_html(text)
            assert "a\ufffdb" in text and EMOJI_AT_CUT in text


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ufffe", "\uffff",
                                 "\ud800", "\udfff"])
def test_junit_text_drops_no_finding_for_characters_xml_forbids(bad):
    ET.fromstring(f"<a b='{xml_text('x' + bad + 'y')}'>{xml_text(bad)}</a>")
    assert xml_text("tab\tnewline\nreturn\r😀 blåbær") == "tab\tnewline\nreturn\r😀 blåbær"  # allowed: kept


def test_text_that_bypassed_validation_is_still_written(tmp_path):
    report = hostile_report()
    # a raw string put where no validator runs (a list appended to, a field set through __dict__)
    report.evidence.phases[0].pages[0].__dict__["title"] = "raw \ud800 title"
    report.evidence.phases[0].requests = []
    report.evidence.phases[0].pages[0].links[0].__dict__["text"] = "\udc00"
    with pytest.raises(Exception, match="surrogates"):
        render(report, "json")  # the plain renderer fails on it ...
    rendered = render_formats(report, list(ALL_FORMATS))  # ... the store's path does not
    assert set(rendered) == {"report.json", "report.html", "report.sarif", "report.junit.xml"}
    assert json.loads(rendered["report.json"])["evidence"]["phases"][0]["pages"][0]["title"] == "raw \ufffd title"
    ET.fromstring(rendered["report.junit.xml"])
    assert LocalStore(tmp_path).put_scan(report, rendered, None) is True
    stored = json.loads((tmp_path / "sites/www.example.no-1/scans/s1/report.json").read_bytes())
    assert stored["scan_id"] == "s1"


def test_a_format_that_cannot_render_is_named_and_the_others_are_written(monkeypatch, tmp_path):
    real_render = report_formats.render

    def sarif_breaks(report, fmt, **options):
        if fmt == "sarif":
            raise RuntimeError("renderer bug")
        return real_render(report, fmt, **options)

    monkeypatch.setattr(report_formats, "render", sarif_breaks)
    report = hostile_report()
    rendered = render_formats(report, list(ALL_FORMATS))
    assert "report.sarif" not in rendered
    assert {"report.json", "report.html", "report.junit.xml", DROPPED_NOTE} <= set(rendered)
    note = rendered[DROPPED_NOTE].decode()
    assert "sarif: RuntimeError: renderer bug" in note and "s1" in note
    assert LocalStore(tmp_path).put_scan(report, rendered, None) is True
    folder = tmp_path / "sites/www.example.no-1/scans/s1"
    assert sorted(p.name for p in folder.iterdir()) == [DROPPED_NOTE, "report.html", "report.json", "report.junit.xml"]
