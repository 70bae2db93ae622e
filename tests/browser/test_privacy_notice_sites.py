"""The privacy notice found in a real crawl: behind each common link label, through a stub that points
to the full statement, and not at all."""

from __future__ import annotations

import pytest

from privacyscan.demo.webserver import Response, VirtualHostWeb
from privacyscan.notice.assess import assess_notice_text
from privacyscan.pipeline import scan_site

from ..unit.notice_samples import BOKMAL_COMPLIANT, ENGLISH_COMPLIANT, GERMAN_COMPLIANT, SWEDISH_COMPLIANT
from .conftest import scan_options

pytestmark = pytest.mark.browser


def html_page(title: str, body: str, lang: str = "nb") -> Response:
    return Response(f"<!doctype html><html lang={lang}><head><meta charset=utf-8><title>{title}</title></head>"
                    f"<body>{body}</body></html>")


def notice_html(text: str) -> str:
    return "<main>" + "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n")) + "</main>"


def home(link_label: str, href: str, lang: str = "nb") -> Response:
    return html_page("Forside", f'<h1>Velkommen</h1><a href="/produkter">Produkter</a>'
                                f'<footer><a href="{href}">{link_label}</a></footer>', lang)


# (link label, path, notice text, html lang): one site each; the path says nothing, only the label does.
LABELS = [
    ("Personvern", "/side/17", BOKMAL_COMPLIANT, "nb"),
    ("Personvernerklæring og informasjonskapsler", "/side/18", BOKMAL_COMPLIANT, "nb"),
    ("Privacy policy", "/page/9", ENGLISH_COMPLIANT, "en"),
    ("Integritetspolicy", "/sida/3", SWEDISH_COMPLIANT, "sv"),
    ("Datenschutzerklärung", "/seite/4", GERMAN_COMPLIANT, "de"),
]


@pytest.fixture(scope="module")
def notice_web():
    web = VirtualHostWeb()
    web.start()
    for index, (label, path, text, lang) in enumerate(LABELS):
        host = f"label{index}.example"
        web.route(host, "/", home(label, path, lang))
        web.route(host, "/produkter", html_page("Produkter", "<p>Sko</p>", lang))
        web.route(host, path, html_page("Info", notice_html(text), lang))
    # A stub "Personvern" page that only points to the full statement (public bodies do this).
    web.route("stub.example", "/", home("Personvern", "/personvern"))
    web.route("stub.example", "/personvern", html_page(
        "Personvern", '<h1>Personvern</h1><p>Les vår <a href="/personvern/erklaering">personvernerklæring</a>.</p>'))
    web.route("stub.example", "/personvern/erklaering", html_page("Personvernerklæring", notice_html(BOKMAL_COMPLIANT)))
    # No notice anywhere.
    web.route("none.example", "/", html_page("Forside", '<a href="/om-oss">Om oss</a>'))
    web.route("none.example", "/om-oss", html_page("Om oss", "<p>Vi selger sko.</p>"))
    yield web
    web.stop()


@pytest.mark.parametrize("index", range(len(LABELS)), ids=[label for label, *_ in LABELS])
def test_the_notice_is_found_by_its_link_label_and_assessed(notice_web, tmp_path, index):
    label, path, text, lang = LABELS[index]
    report = scan_site(scan_options(notice_web, f"http://label{index}.example/", max_pages=3), tmp_path)
    notice = report.privacy_notice
    assert notice.found, label
    assert [d.url for d in notice.documents] == [f"http://label{index}.example{path}"]
    assert notice.language in ({"nb", "nn"} if lang == "nb" else {lang})
    # Extracted from the crawled HTML, the notice reads exactly as its plain text does.
    assert [i.status for i in notice.items] == [i.status for i in assess_notice_text(text).items]
    present = [i for i in notice.items if i.status.value == "present"]
    assert len(present) >= 7 and all(i.quotes for i in present)
    assert not [f for f in report.findings if f.rule_id == "privacy_notice_missing"]


def test_a_stub_and_the_statement_it_points_to_are_read_together(notice_web, tmp_path):
    report = scan_site(scan_options(notice_web, "http://stub.example/", max_pages=4), tmp_path)
    notice = report.privacy_notice
    roles = {d.url: d.role for d in notice.documents}
    assert roles == {"http://stub.example/personvern": "stub", "http://stub.example/personvern/erklaering": "linked"}
    assert notice.item(10).status.value == "present"  # the complaint to Datatilsynet is in the linked page


def test_a_site_without_a_notice_gets_a_finding(notice_web, tmp_path):
    report = scan_site(scan_options(notice_web, "http://none.example/", max_pages=3), tmp_path)
    assert report.privacy_notice.found is False
    missing = [f for f in report.findings if f.rule_id == "privacy_notice_missing"]
    assert len(missing) == 1 and missing[0].evidence
