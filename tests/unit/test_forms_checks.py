"""The form rules, scenario by scenario: what a visitor meets in a form, and whether privacyscan flags it.
Evidence is built by hand here; the same scenarios exist as pages under tests/fixtures/forms/ for the
browser tests."""

from __future__ import annotations

from privacyscan.check import CheckContext
from privacyscan.check.forms import (
    RULES,
    bundled_consent,
    consent_refers_elsewhere,
    consent_required_for_service,
    insecure_form,
    preticked_consent,
    third_party_form_post,
)
from privacyscan.classify.model import Classification, HostLabel
from privacyscan.models import (
    Confidence,
    FormControl,
    FormRecord,
    Phase,
    Severity,
)

from ..builders import Shop, classified, phase

SHOP = Shop("https://www.butikken.no/")
PAGE = "https://www.butikken.no/nyhetsbrev"


def email_field() -> FormControl:
    return FormControl(tag="input", type="email", name="email", label="E-post", selector="#email")


def checkbox(label: str, *, checked: bool = False, authored: bool | None = None, **fields) -> FormControl:
    return FormControl(
        tag="input",
        type="checkbox",
        label=label,
        checked=checked,
        checked_attribute=checked if authored is None else authored,
        selector=fields.pop("selector", f"#box-{abs(hash(label)) % 10_000}"),
        **fields,
    )


def form(
    *controls: FormControl, action: str = "https://www.butikken.no/subscribe", page: str = PAGE, **fields
) -> FormRecord:
    return FormRecord(
        page_url=page,
        selector=fields.pop("selector", "#signup"),
        action=action,
        method="post",
        controls=list(controls),
        **fields,
    )


def context(
    *forms: FormRecord, phases: tuple[Phase, ...] = (Phase.before_consent,), page: str = PAGE
) -> CheckContext:
    return classified(SHOP.evidence(*(phase(which, pages=[SHOP.page(page, forms=list(forms))]) for which in phases)))


# ------------------------------------------------------------------------------ preticked_consent


def test_a_newsletter_form_with_a_preticked_marketing_box_is_flagged_high():
    ctx = context(form(email_field(), checkbox("Ja, jeg vil motta nyhetsbrev", checked=True, selector="#nl")))
    [finding] = preticked_consent(ctx)
    assert finding.severity is Severity.high
    assert finding.confidence is Confidence.high
    assert "checked attribute" in finding.explanation
    [item, *_] = finding.evidence
    assert item.selector == "#nl" and item.page_url == PAGE and item.quote == "Ja, jeg vil motta nyhetsbrev"
    assert "C-673/17" in " ".join(finding.legal_reference)


def test_a_box_ticked_by_a_script_after_load_is_flagged_as_such():
    ctx = context(form(email_field(), checkbox("I agree to receive marketing", checked=True, authored=False)))
    [finding] = preticked_consent(ctx)
    assert "ticked by a script" in finding.evidence[0].description


def test_an_aria_switch_shown_on_is_flagged():
    toggle = FormControl(
        tag="div",
        role="switch",
        aria_checked="true",
        checked=True,
        label="Personalised offers based on my purchases",
        selector="#personalise",
    )
    [finding] = preticked_consent(context(form(toggle, is_form_element=False, action=None)))
    assert 'aria-checked="true"' in finding.evidence[0].description


def test_a_preselected_yes_radio_is_flagged_and_a_preselected_no_is_not():
    question = "Möchten Sie unseren Newsletter erhalten?"
    yes = FormControl(
        tag="input",
        type="radio",
        name="nl",
        value="ja",
        label="Ja",
        group_label=question,
        checked=True,
        checked_attribute=True,
        selector="#nl-yes",
    )
    no = FormControl(
        tag="input",
        type="radio",
        name="nl",
        value="nein",
        label="Nein",
        group_label=question,
        checked=False,
        checked_attribute=False,
        selector="#nl-no",
    )
    assert len(preticked_consent(context(form(email_field(), yes, no)))) == 1
    no_selected = no.model_copy(update={"checked": True, "checked_attribute": True})
    yes_unselected = yes.model_copy(update={"checked": False, "checked_attribute": False})
    assert preticked_consent(context(form(email_field(), yes_unselected, no_selected))) == []


def test_an_unticked_opt_out_box_is_consent_by_default_and_flagged():
    ctx = context(
        form(email_field(), checkbox("Tick this box if you do not want to receive marketing from us"))
    )
    [finding] = preticked_consent(ctx)
    assert "opt-out" in finding.title


def test_a_login_form_with_a_preticked_remember_me_is_not_flagged():
    login = form(
        FormControl(tag="input", type="text", name="username", label="Brukernavn", selector="#u"),
        FormControl(tag="input", type="password", name="password", label="Passord", selector="#p"),
        checkbox("Husk meg", checked=True),
        checkbox("Remember me", checked=True),
    )
    assert preticked_consent(context(login)) == []


def test_a_preselected_delivery_option_and_a_send_me_a_copy_box_are_not_flagged():
    delivery = FormControl(
        tag="input",
        type="radio",
        name="delivery",
        value="home",
        label="Hjemlevering",
        checked=True,
        checked_attribute=True,
        selector="#home",
    )
    copy = checkbox("Send meg en kopi av meldingen", checked=True)
    terms = checkbox("Jeg har lest og godtar kjøpsvilkårene")
    assert preticked_consent(context(form(email_field(), delivery, copy, terms))) == []


def test_a_correct_form_with_separate_unticked_specific_boxes_is_not_flagged_by_any_rule():
    correct = form(
        email_field(),
        checkbox("Ja, send meg nyhetsbrev på e-post", selector="#nl"),
        checkbox("Ja, jeg vil få tilpassede tilbud basert på mine kjøp", selector="#profiling"),
        checkbox("Jeg har lest og godtar kjøpsvilkårene", required=True, selector="#terms"),
    )
    ctx = context(correct)
    assert [f for rule in RULES for f in rule(ctx)] == []


def test_a_form_seen_in_three_phases_is_reported_once_from_the_first():
    ctx = context(
        form(email_field(), checkbox("Ja, jeg vil motta nyhetsbrev", checked=True)),
        phases=(Phase.before_consent, Phase.after_reject, Phase.after_accept),
    )
    [finding] = preticked_consent(ctx)
    assert finding.phase is Phase.before_consent


# -------------------------------------------------------------------------------- bundled_consent


def test_one_box_for_terms_privacy_policy_and_marketing_is_bundled():
    ctx = context(
        form(email_field(), checkbox("I accept the terms, the privacy policy and to receive marketing"))
    )
    [finding] = bundled_consent(ctx)
    assert finding.severity is Severity.medium
    assert "accepting the terms" in finding.title


def test_accepting_terms_and_privacy_policy_in_one_box_is_not_bundled_consent():
    ctx = context(form(email_field(), checkbox("Jeg godtar kjøpsvilkårene og personvernerklæringen")))
    assert bundled_consent(ctx) == []


# ----------------------------------------------------------------------- consent_refers_elsewhere


def test_consent_that_only_says_see_our_terms_is_flagged():
    ctx = context(form(email_field(), checkbox("Jeg samtykker (se våre vilkår)", selector="#ok")))
    [finding] = consent_refers_elsewhere(ctx)
    assert finding.severity is Severity.medium and finding.confidence is Confidence.medium
    [item] = finding.evidence
    assert (item.selector, item.page_url, item.quote) == ("#ok", PAGE, "Jeg samtykker (se våre vilkår)")
    assert finding.subject == "#ok"


def test_consent_that_names_its_purpose_and_links_the_policy_is_not_flagged():
    ctx = context(form(email_field(), checkbox("Send me the newsletter. See our privacy policy.")))
    assert consent_refers_elsewhere(ctx) == []


def test_vague_consent_under_a_newsletter_heading_is_not_flagged():
    vague = checkbox("I consent to the privacy policy", nearby_text="Sign up for our newsletter")
    assert consent_refers_elsewhere(context(form(email_field(), vague))) == []


# ------------------------------------------------------------------ consent_required_for_service


def test_a_download_form_that_requires_the_marketing_box_is_flagged():
    download = form(
        email_field(),
        FormControl(tag="input", type="text", name="company", label="Company", selector="#company"),
        checkbox("I agree to receive marketing emails from Acme", required=True, selector="#mkt"),
    )
    [finding] = consent_required_for_service(context(download))
    assert finding.confidence is Confidence.high
    assert "Art. 7(4)" in " ".join(finding.legal_reference)
    [item] = finding.evidence
    assert (item.selector, item.page_url, item.quote) == ("#mkt", PAGE, "I agree to receive marketing emails from Acme")
    assert item.description_wording.key == "required.attribute"


def test_a_validation_attribute_counts_as_required():
    box = checkbox("Ja, jeg vil motta nyhetsbrev", attributes={"data-val-required": "Du må krysse av"})
    contact = form(
        email_field(), FormControl(tag="textarea", name="message", label="Melding", selector="#m"), box
    )
    [finding] = consent_required_for_service(context(contact))
    assert finding.confidence is Confidence.medium
    assert "data-val-required" in finding.evidence[0].description


def test_a_newsletter_only_form_may_require_its_newsletter_box():
    signup = form(email_field(), checkbox("Ja, jeg vil motta nyhetsbrev", required=True))
    assert consent_required_for_service(context(signup)) == []


def test_a_required_terms_box_is_not_consent_required_for_service():
    checkout = form(
        email_field(),
        FormControl(tag="input", type="tel", name="phone", label="Telefon", selector="#t"),
        checkbox("Jeg har lest og godtar kjøpsvilkårene", required=True),
    )
    assert consent_required_for_service(context(checkout)) == []


# ------------------------------------------------------------------------- third_party_form_post


def test_a_hubspot_form_posting_to_api_hsforms_com_names_hubspot_in_the_us():
    action = "https://api.hsforms.com/submissions/v3/integration/submit/123/abc"
    hubspot = form(email_field(), action=action, text="Meld deg på nyhetsbrevet")
    [finding] = third_party_form_post(context(hubspot))
    assert "HubSpot, Inc." in finding.title and "US" in finding.title
    assert finding.severity is Severity.medium  # outside the EU/EEA
    assert "GDPR Art. 44" in finding.legal_reference
    the_form, recipient = finding.evidence
    assert (the_form.selector, the_form.page_url, the_form.url) == ("#signup", PAGE, action)
    assert the_form.quote == "Meld deg på nyhetsbrevet" and the_form.phase is Phase.before_consent
    assert "api.hsforms.com" in recipient.description and "personal fields: email" in recipient.description
    assert finding.subject == "#signup -> api.hsforms.com"


def test_a_typeform_in_a_frame_is_an_eu_recipient_and_low():
    typeform = form(
        email_field(),
        action="https://form.typeform.com/to/abc",
        page="https://form.typeform.com/to/abc",
        selector="form",
    )
    [finding] = third_party_form_post(context(typeform))
    assert "Typeform S.L." in finding.title and finding.severity is Severity.low


def test_a_mailchimp_embed_and_a_google_form_are_recognised_without_the_catalogue():
    mailchimp = form(
        email_field(),
        action="https://acme.us21.list-manage.com/subscribe/post?u=1&id=2",
        selector="#mc-embedded-subscribe-form",
    )
    google = form(
        FormControl(tag="input", type="text", name="entry.1", label="Navn", selector="#n"),
        action="https://docs.google.com/forms/d/e/XYZ/formResponse",
        selector="#gform",
    )
    titles = [f.title for f in third_party_form_post(context(mailchimp, google))]
    assert any("The Rocket Science Group" in t for t in titles)
    assert any("Google LLC" in t for t in titles)


def test_the_catalogue_lookup_wins_and_an_unknown_host_falls_back_to_its_domain():
    crm = form(email_field(), action="https://forms.crm-eksempel.se/post")
    ctx = context(crm)
    [unknown] = third_party_form_post(ctx)
    assert "unknown organisation (crm-eksempel.se)" in unknown.title and unknown.severity is Severity.low

    labels = Classification(
        hosts=[
            HostLabel(
                host="forms.crm-eksempel.se",
                registrable_domain="crm-eksempel.se",
                party="third",
                known=True,
                organisation="CRM Eksempel AB",
                country="SE",
                source="catalogue",
            )
        ]
    )
    [known] = third_party_form_post(CheckContext(evidence=ctx.evidence, classification=labels))
    assert "CRM Eksempel AB (SE)" in known.title and known.severity is Severity.low


def test_a_form_posting_to_the_sites_own_subdomain_and_a_search_box_to_google_are_not_flagged():
    own = form(email_field(), action="https://api.butikken.no/subscribe")
    search = form(
        FormControl(tag="input", type="search", name="q", label="Søk", selector="#q"),
        action="https://www.google.com/search",
        selector="#search",
    )
    assert third_party_form_post(context(own, search)) == []


# ---------------------------------------------------------------------------------- insecure_form


def test_a_login_form_posting_over_http_is_flagged_high():
    login = form(
        FormControl(tag="input", type="password", name="pw", label="Passord", selector="#pw"),
        action="http://www.butikken.no/login",
        selector="#login",
    )
    [finding] = insecure_form(context(login))
    assert finding.severity is Severity.high and "password" in finding.title
    the_form, field = finding.evidence
    assert (the_form.selector, the_form.url, the_form.page_url) == ("#login", "http://www.butikken.no/login", PAGE)
    assert (field.selector, field.quote) == ("#pw", "Passord")


def test_a_search_box_over_http_and_an_https_form_are_not_flagged():
    search = form(
        FormControl(tag="input", type="text", name="q", label="Søk", selector="#q"),
        action="http://www.butikken.no/sok",
        selector="#search",
    )
    secure = form(email_field(), action="https://www.butikken.no/subscribe")
    assert insecure_form(context(search, secure)) == []


def test_every_rule_is_exported():
    assert {r.__name__ for r in RULES} == {
        "preticked_consent",
        "bundled_consent",
        "consent_refers_elsewhere",
        "consent_required_for_service",
        "signup_without_consent_information",
        "third_party_form_post",
        "insecure_form",
    }
