"""A consent banner's own purpose toggles are reported by the consent checks, not again by the form
rules; the same box in an ordinary newsletter form is still a form finding."""

from __future__ import annotations

from privacyscan.check.forms import preticked_consent
from privacyscan.models import BannerRecord, Evidence, FormControl, FormRecord, Phase

from ..builders import Shop, classified, phase

SHOP = Shop("https://x.example/")


def marketing_box(selector: str, control_id: str) -> FormControl:
    return FormControl(tag="input", type="checkbox", id=control_id, name="marketing", checked=True,
                       checked_attribute=True, label="Ja, jeg samtykker til markedsføring på e-post", selector=selector)


def evidence(form_selector: str, control: FormControl, banner: BannerRecord | None) -> Evidence:
    form = FormRecord(page_url=SHOP.url, selector=form_selector, controls=[control])
    return SHOP.evidence(
        phase(Phase.before_consent, banners=[banner] if banner else [], pages=[SHOP.page(forms=[form])])
    )


def test_a_banner_toggle_is_left_to_the_consent_checks():
    box = marketing_box("#CybotCookiebotDialog > div > input", "CybotMarketing")
    banner = BannerRecord(page_url="https://x.example/", detected_by="autoconsent:Cybotcookiebot",
                          selector="#CybotCookiebotDialog", toggles=[box])
    assert preticked_consent(classified(evidence("#CybotCookiebotDialog > div", box, banner))) == []


def test_the_same_box_in_a_newsletter_form_is_still_flagged():
    banner = BannerRecord(page_url="https://x.example/", detected_by="heuristic", selector="#cookie-banner")
    box = marketing_box("#marketing", "marketing")
    findings = preticked_consent(classified(evidence("#newsletter", box, banner)))
    assert [f.rule_id for f in findings] == ["preticked_consent"]
