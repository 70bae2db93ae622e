"""Finding the notice among crawled pages: link labels in each language, a stub that points to the full
notice, and a site with none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from privacyscan.models import Evidence, LinkRecord, PageRecord, Phase, PhaseEvidence
from privacyscan.notice import assess_privacy_notice, notice_link_score
from privacyscan.notice.locate import notice_pages
from privacyscan.notice.model import ItemStatus

from .notice_samples import BOKMAL_COMPLIANT

SITE = "https://bakeri.example"


@pytest.mark.parametrize(
    "label",
    [
        "Personvern",
        "Personvernerklæring",
        "Personvernerklæring og informasjonskapsler",
        "Integritetspolicy",
        "Privatlivspolitik",
        "Datenschutz",
        "Datenschutzerklärung",
        "Privacy policy",
        "Privacy notice",
        "Cookie policy",
    ],
)
def test_every_notice_label_scores_above_zero(label: str) -> None:
    assert notice_link_score(label, f"{SITE}/side") > 0


def test_a_privacy_notice_outranks_a_cookie_policy_and_a_settings_button_ranks_last() -> None:
    notice = notice_link_score("Personvernerklæring", f"{SITE}/personvern")
    cookie_policy = notice_link_score("Cookie policy", f"{SITE}/cookies")
    settings = notice_link_score("Cookie settings", f"{SITE}/innstillinger")
    assert notice > cookie_policy > settings


def test_ordinary_links_and_script_links_score_zero() -> None:
    assert notice_link_score("Om oss", f"{SITE}/om-oss") == 0
    assert notice_link_score("Personvern", "javascript:void(0)") == 0
    assert notice_link_score("Personvern", "#personvern") == 0


def test_the_url_path_alone_is_a_weaker_signal() -> None:
    assert (
        0 < notice_link_score("Les mer", f"{SITE}/personvern") < notice_link_score("Personvern", f"{SITE}/x")
    )


def _page(
    url: str, title: str = "", text: str = "", links: list[LinkRecord] | None = None, **extra
) -> PageRecord:
    page = PageRecord(url=url, title=title, text_excerpt=text, links=links or [])
    for name, value in extra.items():
        object.__setattr__(page, name, value)  # the crawler's `html` field, before it lands in PageRecord
    return page


def _evidence(*pages: PageRecord) -> Evidence:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return Evidence(
        site_url=SITE,
        site_id="bakeri",
        registrable_domain="bakeri.example",
        scan_id="scan-1",
        started_at=now,
        phases=[PhaseEvidence(phase=Phase.before_consent, started_at=now, pages=list(pages))],
    )


def test_the_page_a_footer_link_calls_personvern_is_read_as_the_notice() -> None:
    home = _page(
        f"{SITE}/",
        "Fjordbakeriet",
        "Velkommen til bakeriet",
        [
            LinkRecord(url=f"{SITE}/om", text="Om oss", region="nav"),
            LinkRecord(url=f"{SITE}/side/42", text="Personvern", region="footer"),
        ],
    )
    notice = _page(f"{SITE}/side/42", "Side 42", BOKMAL_COMPLIANT)
    about = _page(f"{SITE}/om", "Om oss", "Vi baker brød.")
    assessment = assess_privacy_notice(_evidence(home, about, notice))
    assert assessment.found
    assert [d.url for d in assessment.documents] == [f"{SITE}/side/42"]
    assert assessment.item(10).status is ItemStatus.present


def test_a_stub_page_is_read_together_with_the_full_notice_it_points_to() -> None:
    home = _page(
        f"{SITE}/", "Kommunen", "Velkommen", [LinkRecord(url=f"{SITE}/personvern", text="Personvern")]
    )
    stub = _page(
        f"{SITE}/personvern",
        "Personvern",
        "Personvern\nKommunen tar personvernet ditt på alvor. Les personvernerklæringen for detaljer.",
        [LinkRecord(url=f"{SITE}/personvern/erklaering", text="Personvernerklæring", region="main")],
    )
    full = _page(f"{SITE}/personvern/erklaering", "Personvernerklæring", BOKMAL_COMPLIANT)
    assessment = assess_privacy_notice(_evidence(home, stub, full))
    assert [(d.url, d.role) for d in assessment.documents] == [
        (f"{SITE}/personvern", "stub"),
        (f"{SITE}/personvern/erklaering", "linked"),
    ]
    assert assessment.item(1).status is ItemStatus.present


def test_html_is_preferred_to_the_text_excerpt_when_the_crawler_kept_it() -> None:
    html = (
        "<html><body><nav>Meny</nav><div id='cookie-banner'>Vi bruker informasjonskapsler</div>"
        "<main><h1>Personvernerklæring</h1>"
        + "".join(f"<p>{line}</p>" for line in BOKMAL_COMPLIANT.splitlines() if line)
        + "</main><footer>© Bakeriet</footer></body></html>"
    )
    page = _page(f"{SITE}/personvern", "Personvernerklæring", "kort utdrag", html=html)
    pages = notice_pages(_evidence(page))
    assert pages.read[0].text_source == "html"
    assert "Datatilsynet" in pages.read[0].text
    assert "informasjonskapsler" not in pages.read[0].text


def test_a_site_without_a_notice_is_not_found() -> None:
    home = _page(f"{SITE}/", "Bakeriet", "Velkommen", [LinkRecord(url=f"{SITE}/om", text="Om oss")])
    about = _page(f"{SITE}/om", "Om oss", "Vi baker brød.")
    assessment = assess_privacy_notice(_evidence(home, about))
    assert not assessment.found
    assert assessment.items == []
