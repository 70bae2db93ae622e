"""Banner wording and sign-up forms on sites never seen (issue 16 item 5): implied-consent variants, a
close-only notice that offers no refusal, and newsletter sign-ups without consent information."""

from __future__ import annotations

import pytest

from privacyscan.check.consent import implied_consent, no_reject_on_first_layer
from privacyscan.check.forms import signup_without_consent_information
from privacyscan.data.banner_phrases import banner_phrases
from privacyscan.models import BannerButton, BannerRecord, Confidence, FormControl, FormRecord, Phase
from privacyscan.report.i18n import Messages
from privacyscan.report.verdict import finding_label

from ..builders import Shop, classified, phase

SHOP = Shop("https://www.butikk.no/")
PHRASES = banner_phrases()


@pytest.mark.parametrize("text", [
    "Ved å bruke denne nettsiden samtykker du til at vi bruker informasjonskapsler.",
    "Ved å bruke nettsiden vår godtar du bruk av cookies.",
    "Når du bruker nettstedet godtar du at vi lagrer informasjonskapsler.",
    "Ved å benytte nettsiden aksepterer du vår bruk av cookies.",
    "Ved å fortsette godtar du bruken av informasjonskapsler.",
    "By continuing to browse you agree to our use of cookies.",
    "By using this site, you agree to the use of cookies.",
    "By visiting our website you agree to our cookie policy.",
    "Use of this website constitutes acceptance of our cookie policy.",
    "Når du brukar nettsida godtek du informasjonskapslar.",
])
def test_implied_consent_variants_are_found(text):
    assert PHRASES["implied_consent"].search(text)


@pytest.mark.parametrize("text", [
    "Ved å klikke «Godta alle» samtykker du til informasjonskapsler for statistikk.",
    "By clicking 'Accept all' you agree to the use of cookies.",
    "Hvis du bruker nettsiden med skjermleser, se tilgjengelighetserklæringen.",
    "Du kan når som helst endre samtykket ditt.",
])
def test_an_affirmative_act_and_ordinary_text_are_not_implied_consent(text):
    assert PHRASES["implied_consent"].search(text) is None


def banner_scan(text: str, *buttons: tuple[str, str]):
    banner = BannerRecord(page_url=SHOP.url, detected_by="heuristic", selector="#info", text=text,
                          buttons=[BannerButton(text=t, selector=f"#b{i}", role=r, width=80, height=30)
                                   for i, (t, r) in enumerate(buttons)])
    return classified(SHOP.evidence(phase(Phase.before_consent, banners=[banner], pages=[SHOP.page()])))


def test_a_close_only_notice_that_calls_use_consent_offers_no_refusal():
    ctx = banner_scan("Ved å bruke denne nettsiden samtykker du til informasjonskapsler.", ("Lukk", "close"))
    [finding] = implied_consent(ctx)
    assert finding.title == "The notice treats use as consent and offers only 'Lukk': no way to refuse on its first layer"
    assert "no way to refuse" in finding.explanation and finding.confidence is Confidence.medium
    assert no_reject_on_first_layer(ctx) == []  # one finding for one problem


def test_an_implied_consent_banner_with_accept_keeps_the_generic_title_and_its_accept_only_finding():
    ctx = banner_scan("By continuing to browse you agree to our cookies.", ("OK", "accept"))
    [finding] = implied_consent(ctx)
    assert "no way to refuse" not in finding.title
    assert [f.rule_id for f in no_reject_on_first_layer(ctx)] == ["no_reject_on_first_layer"]


def test_a_banner_with_reject_and_affirmative_wording_is_clean():
    ctx = banner_scan("Ved å klikke «Godta alle» samtykker du.", ("Avvis alle", "reject"), ("Godta alle", "accept"))
    assert implied_consent(ctx) == [] and no_reject_on_first_layer(ctx) == []


# ------------------------------------------------------------------ sign-up forms


def field(type_: str, name: str, label: str, **more) -> FormControl:
    return FormControl(tag="textarea" if type_ == "textarea" else "input", type=None if type_ == "textarea" else type_,
                       name=name, label=label, selector=f"#{name}", **more)


def form(selector: str, text: str, *controls: FormControl, action: str = "/x") -> FormRecord:
    return FormRecord(page_url=SHOP.url, selector=selector, action=f"https://www.butikk.no{action}", method="post",
                      text=text, controls=list(controls))


def signups(*forms: FormRecord):
    ctx = classified(SHOP.evidence(phase(Phase.before_consent, pages=[SHOP.page(forms=list(forms))])))
    return signup_without_consent_information(ctx)


EMAIL = field("email", "epost", "E-post")


@pytest.mark.parametrize("signup", [
    form("#nl", "Meld deg på nyhetsbrevet! Meld meg på", EMAIL, action="/nyhetsbrev"),
    form("#en", "Subscribe to our newsletter Sign up", field("email", "email", "Email"), action="/subscribe"),
    form("#id", "Få tilbud først", field("text", "name", "Navn"), EMAIL),
    form("#de", "Newsletter abonnieren", field("email", "email", "E-Mail-Adresse")),
])
def test_a_signup_without_consent_wording_or_a_privacy_reference_is_found(signup):
    [finding] = signups(signup)
    assert finding.rule_id == "signup_without_consent_information"
    assert finding.confidence is Confidence.medium and finding.subject.startswith(f"signup {signup.selector}")
    [item] = finding.evidence
    assert (item.kind, item.selector, item.quote) == ("form_control", signup.selector, signup.text[:300])
    assert item.page_url == SHOP.page().url and item.url is None  # the form is on the page, in no frame
    label = finding_label(Messages("nb"), finding)  # the subject is a key: never in a reader's label
    assert label.startswith("Påmeldingsskjema ber om") and "signup" not in label and signup.selector not in label


@pytest.mark.parametrize("decoy", [
    # a login form
    form("#login", "Logg inn", EMAIL, field("password", "passord", "Passord"), action="/logg-inn"),
    # a search form
    form("#sok", "Søk", field("search", "q", "Søk i nyhetsbrev-arkivet"), action="/sok"),
    # a contact form with a privacy link
    form("#kontakt", "Kontakt oss. Vi behandler henvendelsen som beskrevet i personvernerklæringen. Send",
         field("text", "navn", "Navn"), EMAIL, field("textarea", "melding", "Melding"), action="/kontakt"),
    # a sign-up with a consent box
    form("#ok", "Nyhetsbrev", EMAIL,
         FormControl(tag="input", type="checkbox", name="samtykke", selector="#samtykke",
                     label="Ja, jeg samtykker til å motta nyhetsbrev på e-post"), action="/nyhetsbrev"),
    # a sign-up whose text points to the privacy notice
    form("#info", "Meld deg på nyhetsbrevet. Les personvernerklæringen vår.", EMAIL, action="/nyhetsbrev"),
    # a contact form without a privacy link is not a sign-up (other rules look at it)
    form("#kontakt2", "Kontakt oss Send", field("text", "navn", "Navn"), EMAIL, action="/kontakt"),
])
def test_decoys_are_not_signups_without_consent_information(decoy):
    assert signups(decoy) == []
