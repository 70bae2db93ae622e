"""Issue 16 on real Chromium: pages whose `load` never fires, tracking judged by behaviour, bounded safe
interaction, implied-consent and sign-up form variants. Fixture sites: `unseen_sites.py`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from privacyscan.cli import EXIT_OK, EXIT_UNREACHABLE, run_scan
from privacyscan.crawl.consent import make_consent_driver
from privacyscan.demo.webserver import VirtualHostWeb
from privacyscan.models import Confidence, Phase, PhaseEvidence
from privacyscan.pipeline import scan_site
from privacyscan.report.model import ScanReport
from privacyscan.settings import ScanOptions

from .behaviour_helpers import findings_of as findings
from .conftest import scan_options
from .test_faults import stored_report
from .unseen_sites import (
    AFFIRMATIVE,
    CLICKABLE,
    COOKIELESS,
    EXTERNAL,
    FORMS,
    HANGING_HOME,
    IMPLIED_EN_BROWSE,
    IMPLIED_NB_USE,
    NO_SERVER,
    NOCOOKIE,
    SEGMENT,
    SLOW_TAG,
    VISITOR_ID,
    YOUTUBE,
    unseen_web,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def web() -> Iterator[VirtualHostWeb]:
    with unseen_web() as server:
        yield server


def options(web: VirtualHostWeb, host: str, **overrides) -> ScanOptions:
    """The browser tests' options, with shorter waits for these small sites."""
    return scan_options(web, f"https://{host}/", **{"quiet_cap_s": 2.0, "page_timeout_s": 4.0, "time_budget_s": 90.0,
                                                    "consent_detect_s": 2.0, **overrides})


@pytest.fixture(scope="module")
def scanned(web: VirtualHostWeb, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., ScanReport]:
    """One scan per site (before consent only), with the consent driver unless `consent=False`."""
    reports: dict[str, ScanReport] = {}

    def scan(host: str, consent: bool = True) -> ScanReport:
        if host not in reports:
            workdir = tmp_path_factory.mktemp(host.replace(".", "-"))
            reports[host] = scan_site(options(web, host), workdir,
                                      consent=make_consent_driver() if consent else None)
        return reports[host]

    return scan


def before(report: ScanReport) -> PhaseEvidence:
    found = report.evidence.phase(Phase.before_consent)
    assert found is not None
    return found


# ------------------------------------------------------------------ item 1: a page whose load never fires


def test_a_home_page_whose_load_never_fires_is_a_page_its_links_are_followed_and_trackers_found(web, tmp_path):
    assert run_scan(options(web, HANGING_HOME), str(tmp_path), ["json"], quiet=True) == EXIT_OK
    report = stored_report(tmp_path)
    assert report["status"] == "complete"
    pages = {p["url"]: p for p in report["evidence"]["phases"][0]["pages"]}
    home = pages[f"https://{HANGING_HOME}/"]
    assert home["error"] is None and home["error_kind"] is None
    assert home["title"] == "Hengende forside" and home["load_state"] == "domcontentloaded"
    assert "`load` event did not fire" in home["load_note"]
    assert SLOW_TAG in home["hanging_requests"]  # the evidence: the request that never answered
    for sub in ("produkter", "om-oss"):
        assert pages[f"https://{HANGING_HOME}/{sub}"]["error"] is None, sub
    hosts = {r["host"] for r in report["evidence"]["phases"][0]["requests"]}
    assert {"www.google-analytics.com", "www.facebook.com"} <= hosts  # trackers of the sub-pages


def test_a_server_that_never_answers_is_still_unreachable(web, tmp_path):
    code = run_scan(options(web, NO_SERVER, page_timeout_s=2.0), str(tmp_path), ["json"], quiet=True)
    assert code == EXIT_UNREACHABLE


# ------------------------------------------------------------------ item 2: behaviour decides


def test_cookieless_analytics_and_a_self_hosted_counter_are_not_tracking(scanned):
    report = scanned(COOKIELESS)
    phase = before(report)
    assert phase.banners, "the banner must be found, else the rule would not run"
    assert any(r.host == "plausible.io" and r.url.endswith("/api/event") for r in phase.requests)
    assert any(r.url.startswith(f"https://{COOKIELESS}/teller") for r in phase.requests)
    assert findings(report, "tracking_before_consent") == []
    assert findings(report, "unknown_identifier_before_consent") == []


def test_a_youtube_embed_that_sets_its_cookies_is_tracking_before_consent(scanned):
    report = scanned(YOUTUBE)
    names = {c.name for c in before(report).cookies if c.domain.endswith("youtube.com")}
    assert {"YSC", "VISITOR_INFO1_LIVE"} <= names
    [found] = findings(report, "tracking_before_consent")
    assert "YouTube" in found.title and "video embed" in found.title
    described = " ".join(e.description for e in found.evidence)
    assert "VISITOR_INFO1_LIVE" in described


def test_a_privacy_enhanced_youtube_embed_that_sets_nothing_is_not_tracking(scanned):
    report = scanned(NOCOOKIE)
    assert any(r.host == "www.youtube-nocookie.com" for r in before(report).requests)
    assert findings(report, "tracking_before_consent") == []


def test_a_customer_data_platform_filed_as_a_tag_manager_is_tracking_by_its_identifiers(scanned):
    report = scanned(SEGMENT)
    phase = before(report)
    assert any(c.name == "ajs_anonymous_id" for c in phase.cookies)
    assert any(s.key == "ajs_anonymous_id" for s in phase.storage)
    sent = next(r for r in phase.requests if r.host == "api.segment.io")
    assert "anonymousId" in sent.identifier_params
    [found] = findings(report, "tracking_before_consent")
    assert "Segment" in found.title
    kinds = {e.kind for e in found.evidence}
    assert {"request", "cookie", "storage"} <= kinds


def test_a_first_party_visitor_id_no_catalogue_names_gets_a_medium_confidence_finding(scanned):
    report = scanned(VISITOR_ID)
    cookie = next(c for c in before(report).cookies if c.name == "vis_id")
    [found] = findings(report, "unknown_identifier_before_consent")
    assert found.confidence is Confidence.medium and found.subject.startswith("vis_id@")
    [item] = found.evidence
    # the page asks for two years; Chromium caps every cookie at 400 days
    assert "UUID" in item.description and "lifetime 1.1 years" in item.description
    assert cookie.value not in item.description and cookie.value not in found.explanation  # shape, never value
    assert f"sent to {VISITOR_ID}" in item.description
    # decoys on the same site: a language cookie and a session id
    assert not [f for f in report.findings if f.subject.startswith(("lang@", "sess@"))]


# ------------------------------------------------------------------ item 4: bounded, safe interaction


def test_disclosures_tabs_and_js_only_links_are_clicked_and_never_forbidden_controls(scanned, web):
    report = scanned(CLICKABLE, consent=False)
    phase = before(report)
    home = next(p for p in phase.pages if p.url == f"https://{CLICKABLE}/")
    by_text = {i.text: i for i in home.interactions}
    # the tracker behind "Vis mer" loaded after the click, on the home page
    assert by_text["Vis mer"].outcome == "expanded" and by_text["Vis mer"].new_requests >= 1
    assert any(r.host == "static.hotjar.com" and r.page_url == home.url for r in phase.requests)
    assert "Her er resten av teksten" in home.text_excerpt
    assert by_text["Kart"].kind == "tab"
    # the JS-only link: its page was crawled, and its tracker found
    link = by_text["Våre butikker"]
    assert (link.kind, link.outcome, link.url) == ("js_link", "navigated", f"https://{CLICKABLE}/butikker")
    assert any(p.url == f"https://{CLICKABLE}/butikker" and p.error is None for p in phase.pages)
    assert any(r.host == "www.facebook.com" for r in phase.requests)
    # an external JS-only link is recorded but neither sent nor followed
    external = by_text.get("Samarbeidspartner")
    assert external is None or external.url == f"https://{EXTERNAL}/"
    assert web.requests_to(EXTERNAL) == []
    assert not any(r.host == EXTERNAL for r in phase.requests)  # held back in the browser: not evidence of a send
    assert findings(report, "request_to_private_network") == [] and findings(report, "page_failed") == []
    assert not any(p.url.startswith(f"https://{EXTERNAL}") for p in phase.pages)
    # bounded and safe: never a delete, purchase or logout click, never a form submitted
    assert len(home.interactions) <= 10
    clicked = {h.query for h in web.requests_to(CLICKABLE, "/klikk")}
    assert clicked == {"knapp=fane"}
    assert web.requests_to(CLICKABLE, "/abonner") == []
    assert not {"Slett konto", "Kjøp", "Logg ut"} & set(by_text)


# ------------------------------------------------------------------ item 5: banner and form variants


@pytest.mark.parametrize(("host", "wording", "button"), [
    (IMPLIED_NB_USE, "Ved å bruke denne nettsiden samtykker du", "'Lukk'"),
    (IMPLIED_EN_BROWSE, "By continuing to browse you agree", "'Close'"),
])
def test_implied_consent_variants_with_only_a_close_button_offer_no_refusal(scanned, host, wording, button):
    report = scanned(host)
    [found] = findings(report, "implied_consent")
    assert wording in next(e.quote for e in found.evidence if e.kind == "quote")
    assert f"offers only {button}: no way to refuse" in found.title


def test_an_affirmative_click_banner_is_not_implied_consent(scanned):
    report = scanned(AFFIRMATIVE)
    assert before(report).banners
    assert findings(report, "implied_consent") == []
    assert findings(report, "no_reject_on_first_layer") == []


def test_a_newsletter_signup_without_consent_information_is_found_and_its_decoys_are_not(scanned):
    report = scanned(FORMS, consent=False)
    pages = {p.url for p in before(report).pages}
    assert {f"https://{FORMS}/{path}" for path in ("logg-inn", "sok", "kontakt", "pamelding")} <= pages
    [found] = findings(report, "signup_without_consent_information")
    assert found.subject == "signup #nyhetsbrev /nyhetsbrev"
    assert found.evidence[0].page_url == f"https://{FORMS}/"
    assert "email" in found.explanation and "name" in found.explanation
