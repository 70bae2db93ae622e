"""The consent rules on hand-made evidence, classified by the real classify stage with real vendor hosts
from the catalogue: what each rule catches and the look-alike it must leave alone."""

from __future__ import annotations

from privacyscan.check.consent import (
    implied_consent,
    no_banner_but_tracking,
    no_reject_on_first_layer,
    preticked_purposes,
    reject_not_honoured,
    tracking_before_consent,
)
from privacyscan.models import (
    BannerButton,
    BannerRecord,
    Confidence,
    ConsentAction,
    FormControl,
    Phase,
    Severity,
    TcfConsent,
)
from privacyscan.report.consent_section import consent_section

from ..builders import Shop, classified, phase, report

SHOP = Shop("https://www.butikk.no/")
SITE = SHOP.url
request, cookie, evidence, ctx = SHOP.request, SHOP.cookie, SHOP.evidence, classified


def banner(
    *buttons: tuple[str, str, float], toggles: list[FormControl] | None = None, text: str = ""
) -> BannerRecord:
    return BannerRecord(
        page_url=SITE,
        detected_by="heuristic",
        selector="#banner",
        screenshot="screenshots/banner.jpg",
        text=text or "Vi bruker informasjonskapsler.",
        toggles=toggles or [],
        buttons=[BannerButton(text=t, selector=f"#{r}", role=r, width=w, height=30) for t, r, w in buttons],
    )


BANNER = banner(("Avvis alle", "reject", 100), ("Godta alle", "accept", 100))
REJECTED = ConsentAction(
    action="reject", succeeded=True, method="click", at_ms=2000, selector="#reject", button_text="Avvis alle"
)


# ------------------------------------------------------------------ before consent


def test_analytics_before_consent_is_flagged_but_the_consent_platform_is_not() -> None:
    before = phase(
        Phase.before_consent,
        banners=[BANNER],
        requests=[request("www.google-analytics.com", 800), request("cdn.cookielaw.org", 100, path="/otSDK.js")],
        cookies=[cookie("_ga", 900), cookie("OptanonConsent", 50)],
    )
    after = phase(Phase.after_reject, consent_action=REJECTED)
    [finding] = tracking_before_consent(ctx(evidence(before, after)))
    # the recipient is the real catalogue's organisation (the test-only view named it by registrable domain)
    assert finding.subject == "Google LLC"
    assert finding.severity is Severity.high and finding.confidence is Confidence.high
    kinds = {(e.kind, e.at_ms) for e in finding.evidence}
    assert ("request", 800) in kinds and ("cookie", 900) in kinds
    assert no_banner_but_tracking(ctx(evidence(before, after))) == []


def test_without_any_banner_the_site_gets_one_no_banner_finding_instead() -> None:
    before = phase(
        Phase.before_consent,
        requests=[
            request("www.google-analytics.com", 800),
            request("connect.facebook.net", 900, path="/fbevents.js"),
        ],
    )
    after = phase(
        Phase.after_reject,
        consent_action=ConsentAction(
            action="reject", succeeded=False, detail="no consent banner found within 12s"
        ),
    )
    ev = evidence(before, after)
    assert tracking_before_consent(ctx(ev)) == []
    [finding] = no_banner_but_tracking(ctx(ev))
    assert finding.subject == "butikk.no"
    assert (
        "Google Analytics" in finding.explanation and "no consent banner found" in finding.explanation
    )


def test_when_no_consent_driver_ran_trackers_are_reported_per_recipient() -> None:
    before = phase(Phase.before_consent, requests=[request("www.google-analytics.com", 800)])
    ev = evidence(before)
    assert no_banner_but_tracking(ctx(ev)) == []
    [finding] = tracking_before_consent(ctx(ev))
    assert "No consent driver ran" in finding.explanation


# ------------------------------------------------------------------ after reject


def test_trackers_after_the_reject_click_are_flagged_with_times_from_the_click() -> None:
    before = phase(Phase.before_consent, banners=[BANNER])
    after = phase(
        Phase.after_reject,
        consent_action=REJECTED,
        requests=[request("www.google-analytics.com", 1500), request("www.google-analytics.com", 2600)],
        cookies=[cookie("_ga", 1400), cookie("_ga", 2700, domain="www.butikk.no")],
    )
    [finding] = reject_not_honoured(ctx(evidence(before, after)))
    requests = [e for e in finding.evidence if e.kind == "request"]
    assert [e.at_ms for e in requests] == [600]  # the request before the click does not count
    assert [e.at_ms for e in finding.evidence if e.kind == "cookie"] == [700]
    assert "+600 ms after the reject click" in requests[0].description
    assert finding.confidence is Confidence.high
    assert "received nothing" in finding.explanation


def test_a_reject_made_through_the_platform_api_is_only_medium_confidence() -> None:
    api = REJECTED.model_copy(update={"method": "api", "detail": "Cookiebot.withdraw()"})
    after = phase(
        Phase.after_reject, consent_action=api, requests=[request("www.google-analytics.com", 2500)]
    )
    [finding] = reject_not_honoured(ctx(evidence(phase(Phase.before_consent, banners=[BANNER]), after)))
    assert finding.confidence is Confidence.medium and "JavaScript" in finding.explanation


def test_nothing_to_honour_when_the_reject_could_not_be_made() -> None:
    failed = ConsentAction(action="reject", succeeded=False, detail="the banner offers no way to refuse")
    after = phase(
        Phase.after_reject, consent_action=failed, requests=[request("www.google-analytics.com", 2500)]
    )
    assert (
        reject_not_honoured(ctx(evidence(phase(Phase.before_consent, banners=[BANNER]), after))) == []
    )


def test_a_tcf_string_with_consent_after_reject_is_flagged() -> None:
    tcf = TcfConsent(
        tc_string="CQ...", cmp_id=28, purposes_consent=[1, 2], vendor_consents=[755], read_at_ms=2300
    )
    after = phase(Phase.after_reject, consent_action=REJECTED.model_copy(update={"tcf": tcf}))
    [finding] = reject_not_honoured(ctx(evidence(phase(Phase.before_consent, banners=[BANNER]), after)))
    assert finding.subject == "tcf" and "[1, 2]" in finding.explanation
    clean = REJECTED.model_copy(update={"tcf": TcfConsent(tc_string="CQ...", cmp_id=28)})
    after_clean = phase(Phase.after_reject, consent_action=clean)
    assert (
        reject_not_honoured(ctx(evidence(phase(Phase.before_consent, banners=[BANNER]), after_clean)))
        == []
    )


# ------------------------------------------------------------------ the banner itself


def test_accept_without_reject_on_the_first_layer_is_flagged() -> None:
    accept_only = banner(("Innstillinger", "settings", 100), ("Godta alle", "accept", 120))
    [finding] = no_reject_on_first_layer(ctx(evidence(phase(Phase.before_consent, banners=[accept_only]))))
    assert finding.confidence is Confidence.medium
    assert any(e.kind == "screenshot" for e in finding.evidence)
    assert "'Godta alle' (accept, 120x30 px)" in next(
        e.description for e in finding.evidence if e.kind == "banner"
    )


def test_a_tiny_reject_next_to_a_big_accept_is_flagged_as_less_prominent() -> None:
    tiny = banner(("Avvis", "reject", 30), ("Godta alle", "accept", 200))
    [finding] = no_reject_on_first_layer(ctx(evidence(phase(Phase.before_consent, banners=[tiny]))))
    assert finding.severity is Severity.low and finding.subject.endswith("#prominence")


def test_equal_buttons_and_close_only_notices_are_left_alone() -> None:
    assert no_reject_on_first_layer(ctx(evidence(phase(Phase.before_consent, banners=[BANNER])))) == []
    close_only = banner(("Lukk", "close", 40))
    assert no_reject_on_first_layer(ctx(evidence(phase(Phase.before_consent, banners=[close_only])))) == []


def test_implied_consent_wording_is_a_medium_confidence_finding() -> None:
    implied = banner(
        ("OK", "accept", 40), text="Cookies! By continuing to browse you accept our cookies. Thanks."
    )
    [finding] = implied_consent(ctx(evidence(phase(Phase.before_consent, banners=[implied]))))
    assert finding.confidence is Confidence.medium
    assert (
        next(e.quote for e in finding.evidence if e.kind == "quote")
        == "By continuing to browse you accept our cookies."
    )
    assert implied_consent(ctx(evidence(phase(Phase.before_consent, banners=[BANNER])))) == []


def toggle(label: str, checked: bool, disabled: bool = False) -> FormControl:
    return FormControl(
        tag="input",
        type="checkbox",
        label=label,
        checked=checked,
        selector=f"#{label[:4]}",
        attributes={"disabled": "true"} if disabled else {},
    )


def test_preticked_purposes_and_legitimate_interest_are_flagged_but_not_necessary() -> None:
    toggles = [
        toggle("Nødvendige", True, disabled=True),
        toggle("Strengt nødvendige", True),
        toggle("Statistikk", True),
        toggle("Markedsføring", False),
        toggle("Berettiget interesse: annonsemåling", True),
    ]
    with_toggles = banner(("Avvis alle", "reject", 100), ("Godta alle", "accept", 100), toggles=toggles)
    [finding] = preticked_purposes(ctx(evidence(phase(Phase.before_consent, banners=[with_toggles]))))
    described = [e.description for e in finding.evidence if e.kind == "form_control"]
    assert len(described) == 2
    assert any("Statistikk" in d for d in described)
    assert any("legitimate interest" in d for d in described)
    assert "1 as 'legitimate interest'" in finding.title
    assert {e.selector for e in finding.evidence if e.kind == "form_control"} == {"#Stat", "#Bere"}
    assert all(e.page_url == SITE and e.phase is Phase.before_consent for e in finding.evidence)


def test_a_settings_layer_with_only_the_necessary_category_on_is_not_preticked() -> None:
    """The compliant look-alike: necessary on (locked or not), every optional purpose off."""
    toggles = [toggle("Nødvendige", True, disabled=True), toggle("Strengt nødvendige", True),
               toggle("Statistikk", False), toggle("Markedsføring", False),
               toggle("Berettiget interesse: annonsemåling", False)]
    compliant = banner(("Avvis alle", "reject", 100), ("Godta alle", "accept", 100), toggles=toggles)
    assert preticked_purposes(ctx(evidence(phase(Phase.before_consent, banners=[compliant])))) == []


# ------------------------------------------------------------------ the comparison


def test_the_comparison_counts_only_what_happened_after_the_click_and_escapes_site_text() -> None:
    before = phase(
        Phase.before_consent,
        banners=[banner(("<b>Avvis</b>", "reject", 90), ("Godta", "accept", 90))],
        cookies=[cookie("<script>x</script>", 10)],
    )
    rejected = phase(
        Phase.after_reject, consent_action=REJECTED, requests=[request("www.google-analytics.com", 1500)]
    )
    accepted = phase(
        Phase.after_accept,
        consent_action=ConsentAction(action="accept", succeeded=True, method="click", at_ms=1000),
        requests=[request("www.google-analytics.com", 1800)],
        cookies=[cookie("_ga", 1900)],
    )
    scanned = report(evidence(before, rejected, accepted))
    model = scanned.consent_comparison
    assert model is not None
    ga = next(r for r in model.rows if r.kind == "recipient" and r.tracker)
    assert set(ga.cells) == {"after_accept"} and ga.cells["after_accept"].first_ms == 800
    html = consent_section(scanned)
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert "<b>Avvis</b>" not in html


def test_a_tracker_storage_key_before_consent_is_evidence_and_the_sites_own_key_is_not() -> None:
    hotjar = request("static.hotjar.com", 300, path="/c/hotjar-123.js")
    before = phase(Phase.before_consent, banners=[BANNER], requests=[hotjar],
                   storage=[SHOP.storage("_hjSessionUser_123")])
    [finding] = tracking_before_consent(ctx(evidence(before)))
    assert finding.subject == "Hotjar Ltd"
    assert [e.description for e in finding.evidence if e.kind == "storage"] == [
        "localStorage key _hjSessionUser_123 on https://www.butikk.no"]
    decoy = phase(Phase.before_consent, banners=[BANNER], storage=[SHOP.storage("basket")])
    assert tracking_before_consent(ctx(evidence(decoy))) == []


def test_the_report_keeps_the_comparison_and_the_section_only_renders_it() -> None:
    accepted = phase(
        Phase.after_accept,
        consent_action=ConsentAction(action="accept", succeeded=True, method="click", at_ms=1000),
        requests=[request("www.google-analytics.com", 1800)],
    )
    scanned = report(evidence(phase(Phase.before_consent, banners=[BANNER]), accepted))
    assert scanned.model_dump(mode="json")["consent_comparison"]["banner_found"] is True
    assert "Google LLC" in consent_section(scanned)
    assert consent_section(scanned.model_copy(update={"consent_comparison": None})) == ""
