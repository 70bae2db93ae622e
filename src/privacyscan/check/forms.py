"""Findings about forms: consent boxes that are ticked before the visitor touches them, one box for
several purposes, consent wording that only points to another page, marketing consent made a condition
of the form, and forms that send personal data to another organisation or over plain http.

Consent must be a freely given, specific, informed and unambiguous indication given by a clear
affirmative act (GDPR Art. 4(11), Art. 7, recital 32; CJEU C-673/17 Planet49). Forms are never
submitted: everything here is read from the forms as recorded after the page's scripts ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from ..forms.consent_labels import (
    Document,
    LabelReading,
    Purpose,
    is_affirmative_option,
    is_tickable,
    phrase_book,
    read_control,
    read_text,
)
from ..forms.fields import is_fillable, personal_fields
from ..forms.phrases import compile_phrases, name_words, normalise
from ..forms.recipients import (
    Recipient,
    name_recipient,
    processor_for_markers,
    processor_for_url,
)
from ..models import (
    Confidence,
    EvidenceItem,
    Finding,
    FormControl,
    FormRecord,
    PageRecord,
    Phase,
    Severity,
    Wording,
    WordingList,
)
from ..urls import host_of, registrable_domain
from ..wording import country_words, listing, words
from .context import CheckContext
from .finding import evidence_item, finding

# Where a label was read from decides how sure a finding can be: the control's own label is what the
# visitor reads next to the box; surrounding text or a field name is an inference.
_CONFIDENCE_BY_SOURCE = {
    "label": Confidence.high,
    "group_label": Confidence.high,
    "nearby_text": Confidence.medium,
    "form_text": Confidence.medium,
    "name": Confidence.medium,
}
# Validation libraries mark a required box with these attributes instead of `required`.
_REQUIRED_ATTRIBUTES = frozenset(
    {"data-val-required", "data-parsley-required", "data-rule-required", "data-required", "data-msg-required"}
)
# The things one tick can stand for, as `forms.consent_labels.LabelReading.bundled_with` names them.
_BUNDLED_WORDS = {
    "direct marketing": "purpose_family.direct_marketing",
    "disclosure to others": "purpose_family.disclosure",
    "the visitor's own request": "purpose_family.own_request",
}


@dataclass(frozen=True)
class _FormOnPage:
    """A form as recorded in one phase, with the page it was found on."""

    phase: Phase
    page: PageRecord
    form: FormRecord

    @property
    def page_url(self) -> str:
        return self.page.final_url or self.page.url

    @property
    def frame_url(self) -> str | None:
        """The frame the form lives in, when it is not the page itself."""
        if self.form.frame_url:
            return self.form.frame_url
        return self.form.page_url if self.form.page_url not in (self.page.url, self.page.final_url) else None


def _forms(ctx: CheckContext) -> Iterator[_FormOnPage]:
    for phase in ctx.evidence.phases:
        for page in phase.pages:
            for form in page.forms:
                yield _FormOnPage(phase.phase, page, form)


def _first_per_subject(findings: Iterable[Finding]) -> list[Finding]:
    """The same form is recorded in every phase; report it once, from the first phase it was seen in."""
    seen: dict[str, Finding] = {}
    for found in findings:
        seen.setdefault(found.subject, found)
    return list(seen.values())


def _is_on(control: FormControl) -> bool:
    if control.checked is not None:
        return control.checked
    if control.aria_checked is not None:
        return control.aria_checked.lower() == "true"
    return bool(control.checked_attribute)


def _is_radio(control: FormControl) -> bool:
    return (control.type or "").lower() == "radio" or (control.role or "").lower() == "radio"


def _state(control: FormControl) -> Wording:
    """How the control stands before the visitor touched it, in words a reader can check in devtools."""
    role = (control.role or "").lower()
    if control.tag != "input" and role in {"switch", "checkbox", "menuitemcheckbox"}:
        return words("form_state.aria_on", role=role, aria=str(control.aria_checked))
    if _is_radio(control):
        return words("form_state.radio_html" if control.checked_attribute else "form_state.radio_script")
    if control.checked_attribute:
        return words("form_state.checked_html")
    return words("form_state.checked_script")


def _purposes_in_words(reading: LabelReading) -> Wording | WordingList:
    named = [words(f"purpose.{p.value}") for p in Purpose if p in reading.purposes]
    return listing(named) if named else words("purpose.unstated")


def _bundled_in_words(things: list[str]) -> WordingList:
    out: list[Wording | str] = []
    for thing in things:
        document = thing.removeprefix("accepting the ")
        if document != thing:
            out.append(words("purpose_family.accepting", document=_document_words(document.replace(" ", "_"))))
        else:
            out.append(words(_BUNDLED_WORDS[thing]) if thing in _BUNDLED_WORDS else thing)
    return listing(out, "semicolon")


def _document_words(document: str) -> Wording | str:
    return words(f"document.{document}") if document in {d.value for d in Document} else document.replace("_", " ")


def _fields_in_words(categories: Iterable[str]) -> WordingList:
    """Kinds of personal field (`forms.fields` categories: email, name, phone ...) as a reader says them."""
    return listing([words(f"field.{c}") for c in sorted(set(categories))])


def _confidence(reading: LabelReading, control: FormControl) -> Confidence:
    confidence = _CONFIDENCE_BY_SOURCE[reading.source]
    if not control.visible and confidence is Confidence.high:
        # An invisible input under a styled toggle is common, but so is a box in a closed section.
        return Confidence.medium
    return confidence


def _control_evidence(seen: _FormOnPage, control: FormControl, description: Wording) -> list[EvidenceItem]:
    items = [
        evidence_item(
            description,
            kind="form_control",
            page_url=seen.page_url,
            url=seen.frame_url,
            phase=seen.phase,
            selector=control.selector,
            quote=control.label or control.nearby_text or None,
            screenshot=control.screenshot or seen.form.screenshot,
        )
    ]
    if control.group_label:
        items.append(
            evidence_item(words("evidence.control_question"), kind="quote", quote=control.group_label)
        )
    return items


def _form_evidence(seen: _FormOnPage, description: Wording, *, url: str | None) -> EvidenceItem:
    """The form as a whole: its selector, what it says and its screenshot; `url` is where it sends or lives."""
    return evidence_item(
        description,
        kind="form_control",
        page_url=seen.page_url,
        url=url,
        phase=seen.phase,
        selector=seen.form.selector,
        quote=seen.form.text[:300] or None,
        screenshot=seen.form.screenshot,
    )


def _subject(seen: _FormOnPage, control: FormControl) -> str:
    # Radios of one question share a name: one finding per question, not per option.
    # No page in the subject: the same form on every page (a footer sign-up) is one problem, seen on many pages.
    return f"{seen.form.selector} {control.name}" if _is_radio(control) and control.name else control.selector


def _banner_parts(ctx: CheckContext) -> tuple[set[str], set[str]]:
    """Selectors and ids of the consent banners' own controls. A cookie banner's purpose toggles are the
    consent checks' business (`preticked_purposes`), not a form's: reporting them here would say the
    same thing twice, once per page the banner shows on."""
    roots, ids = set(), set()
    for phase in ctx.evidence.phases:
        for banner in phase.banners:
            if banner.selector:
                roots.add(banner.selector)
            for toggle in banner.toggles:
                roots.add(toggle.selector)
                if toggle.id:
                    ids.add(toggle.id)
    return roots, ids


def _in_banner(control: FormControl, form: FormRecord, roots: set[str], ids: set[str]) -> bool:
    if control.id and control.id in ids:
        return True
    return any(sel == root or sel.startswith(root + " ") for root in roots for sel in (control.selector, form.selector))


def _consent_controls(ctx: CheckContext) -> Iterator[tuple[_FormOnPage, FormControl, LabelReading]]:
    roots, ids = _banner_parts(ctx)
    for seen in _forms(ctx):
        for control in seen.form.controls:
            if not is_tickable(control) or _in_banner(control, seen.form, roots, ids):
                continue
            reading = read_control(control, seen.form)
            if reading.is_consent:
                yield seen, control, reading


# ------------------------------------------------------------------------------------------- rules


def preticked_consent(ctx: CheckContext) -> list[Finding]:
    """A consent control that is on before the visitor touches it: a checkbox with `checked`, one ticked
    by a script after load, a role="switch"/"checkbox" with aria-checked="true", a pre-selected "yes"
    radio; and its mirror image, an unticked "tick if you do NOT want marketing" box. Consent needs an
    active choice (Planet49). Decoys: a pre-ticked "Remember me" or "Send me a copy", a pre-selected
    delivery option or country, a pre-selected "No" radio, and an unticked terms box."""
    findings = []
    for seen, control, reading in _consent_controls(ctx):
        on = _is_on(control)
        if _is_radio(control):
            if not (on and is_affirmative_option(control, reading)):
                continue
            state = _state(control)
        elif reading.opt_out:
            if on or not control.visible:
                continue
            state = words("form_state.opt_out")
        else:
            if not on:
                continue
            state = _state(control)
        purposes = _purposes_in_words(reading)
        findings.append(
            finding(
                "preticked_consent",
                title=words("preticked_consent.title_opt_out" if reading.opt_out else "preticked_consent.title",
                            purposes=purposes),
                severity=Severity.high if reading.optional_purposes else Severity.medium,
                confidence=_confidence(reading, control),
                phase=seen.phase,
                explanation=words("preticked_consent.explanation", purposes=purposes, text=reading.text[:200],
                                  state=state),
                fix=words("preticked_consent.fix_opt_out") if reading.opt_out else None,
                evidence=_control_evidence(seen, control, state),
                subject=_subject(seen, control),
            )
        )
    return _first_per_subject(findings)


def bundled_consent(ctx: CheckContext) -> list[Finding]:
    """One control that covers several purposes, or a purpose together with accepting terms ("I accept
    the terms, the privacy policy and to receive marketing"). Consent must be granular and separate from
    other matters (Art. 7(2), recital 32 and 43). Decoys: "I accept the terms and the privacy policy"
    (documents only, no consent), "news and offers by e-mail and SMS" (one purpose, several channels),
    and several separate boxes, one per purpose."""
    findings = []
    for seen, control, reading in _consent_controls(ctx):
        if reading.source not in ("label", "group_label") or not reading.bundled_with:
            continue
        if _is_radio(control) and not is_affirmative_option(control, reading):
            continue
        covered = _bundled_in_words(reading.bundled_with)
        findings.append(
            finding(
                "bundled_consent",
                title=words("bundled_consent.title", covered=covered),
                confidence=_CONFIDENCE_BY_SOURCE[reading.source],
                phase=seen.phase,
                explanation=words("bundled_consent.explanation", text=reading.text[:200], covered=covered),
                evidence=_control_evidence(seen, control, words("evidence.bundled_control", covered=covered)),
                subject=_subject(seen, control),
            )
        )
    return _first_per_subject(findings)


def consent_refers_elsewhere(ctx: CheckContext) -> list[Finding]:
    """Consent wording that says what it is about only by pointing at another page: "Jeg samtykker (se
    våre vilkår)", "I consent to the privacy policy", "Ich willige gemäß der Datenschutzerklärung ein".
    Informed consent names its purposes where it is asked (recital 42; Planet49). Decoys: a box that
    names its purpose and links to the notice for details ("Send me the newsletter - see our privacy
    policy"), a plain "I accept the terms of sale", and a consent box inside a section whose heading or
    legend names the purpose."""
    findings = []
    for seen, control, reading in _consent_controls(ctx):
        if reading.source not in ("label", "group_label") or not reading.refers_elsewhere:
            continue
        context = " ".join(t for t in (control.group_label, control.nearby_text) if t and t != control.label)
        if context and read_text(context, "nearby_text").stated_purposes:
            continue  # the purpose stands next to the box, e.g. a "Newsletter" heading
        documents = listing([_document_words(d) for d in sorted(d.value for d in reading.documents)], "and")
        contact_form = any(c.tag == "textarea" for c in seen.form.controls)
        findings.append(
            finding(
                "consent_refers_elsewhere",
                confidence=Confidence.low if contact_form else Confidence.medium,
                phase=seen.phase,
                explanation=words("consent_refers_elsewhere.explanation", text=reading.text[:200],
                                  documents=documents,
                                  contact=words("consent_refers_elsewhere.contact_form") if contact_form else None),
                evidence=_control_evidence(seen, control, words("evidence.no_stated_purpose")),
                subject=_subject(seen, control),
            )
        )
    return _first_per_subject(findings)


def _required_signal(control: FormControl) -> tuple[Wording, Confidence] | None:
    if control.required:
        return words("required.attribute"), Confidence.high
    attributes = {k.lower(): v for k, v in control.attributes.items()}
    marked = sorted(_REQUIRED_ATTRIBUTES & attributes.keys())
    if marked:
        return words("required.validation", attribute=marked[0]), Confidence.medium
    if "required" in attributes.get("class", "").lower().replace("-", " ").replace("_", " ").split():
        return words("required.class"), Confidence.medium
    if control.label.rstrip().endswith("*"):
        return words("required.asterisk"), Confidence.low
    return None


def _is_newsletter_signup(form: FormRecord) -> bool:
    """A form whose only job is the newsletter (e-mail and maybe a name, plus the box): requiring the
    box there is the sign-up itself, not a condition on some other service."""
    personal = {p.control.selector: p.category for p in personal_fields(form)}
    for control in form.controls:
        if (
            is_fillable(control)
            and control.visible
            and personal.get(control.selector) not in ("email", "name")
        ):
            return False
    consents = [r for r in (read_control(c, form) for c in form.controls if is_tickable(c)) if r.is_consent]
    return bool(consents) and all(r.optional_purposes <= {Purpose.marketing} for r in consents)


def consent_required_for_service(ctx: CheckContext) -> list[Finding]:
    """A form that cannot be submitted without ticking the marketing (or profiling, or sharing) box, as
    far as can be seen without submitting: `required`, aria-required, a validation library's attribute,
    a required class, or a label marked with '*'. Consent that is a condition of a service is not freely
    given (Art. 7(4), recital 43). Decoys: a required terms box, a required box on a form whose only job
    is the newsletter sign-up, and an optional marketing box."""
    findings = []
    for seen, control, reading in _consent_controls(ctx):
        if reading.opt_out or not reading.optional_purposes:
            continue
        signal = _required_signal(control)
        if signal is None or _is_newsletter_signup(seen.form):
            continue
        why, confidence = signal
        purposes = _purposes_in_words(reading)
        findings.append(
            finding(
                "consent_required_for_service",
                title=words("consent_required_for_service.title", purposes=purposes),
                confidence=confidence,
                phase=seen.phase,
                explanation=words("consent_required_for_service.explanation", text=reading.text[:200],
                                  purposes=purposes, why=why),
                evidence=_control_evidence(seen, control, why),
                subject=_subject(seen, control),
            )
        )
    return _first_per_subject(findings)


def _is_third_party(url: str, ctx: CheckContext, seen: _FormOnPage) -> bool:
    host = host_of(url)
    if not host or urlsplit(url).scheme not in ("http", "https"):
        return False
    own = {ctx.evidence.registrable_domain, registrable_domain(host_of(seen.page_url))}
    return registrable_domain(host) not in own


def _form_recipient(ctx: CheckContext, seen: _FormOnPage) -> Recipient | None:
    lookup = ctx.classification.host
    form = seen.form
    if form.is_form_element and form.action and _is_third_party(form.action, ctx, seen):
        return name_recipient(form.action, "action", lookup)
    if seen.frame_url and _is_third_party(seen.frame_url, ctx, seen):
        return name_recipient(
            seen.frame_url, "frame", lookup, processor_for_url(seen.frame_url, as_frame=True)
        )
    processor = processor_for_markers(form)
    if processor is not None:
        url = f"https://{processor.action_hosts[0]}"
        return name_recipient(url, "embed marker", lookup, processor)
    return None


def third_party_form_post(ctx: CheckContext) -> list[Finding]:
    """A form whose contents go to another organisation: its action posts to a third-party host (HubSpot
    api.hsforms.com, Mailchimp *.list-manage.com, Google Forms docs.google.com/forms ...), it is shown in
    a third-party frame, or it carries a hosted form service's embed markers. That organisation is a
    processor or recipient (Art. 28, Art. 13(1)(e)) and, outside the EU/EEA, a transfer (Art. 44).
    Decoys: a form posting to the site's own domain (or a subdomain), and a site search posting a
    search term to a search engine (no personal fields, not a form service)."""
    findings = []
    for seen in _forms(ctx):
        recipient = _form_recipient(ctx, seen)
        if recipient is None:
            continue
        personal = personal_fields(seen.form)
        fillable = [c for c in seen.form.controls if is_fillable(c)]
        if not personal and not (recipient.service and fillable):
            continue
        outside_eea = recipient.in_eea is False
        fields = _fields_in_words(p.category for p in personal) if personal else words("field.visitor_answers")
        how = {
            "action": words("form_post.how.action", url=recipient.url),
            "frame": words("form_post.how.frame", host=recipient.host),
            "embed marker": words("form_post.how.embed", service=str(recipient.service), host=recipient.host),
        }[recipient.via]
        where = country_words(recipient.country)
        findings.append(
            finding(
                "third_party_form_post",
                title=words("third_party_form_post.title", fields=fields, org=recipient.organisation, where=where),
                severity=Severity.medium if outside_eea else Severity.low,
                confidence=Confidence.medium if recipient.via == "embed marker" else Confidence.high,
                # Art. 44 only when the recipient is outside the EU/EEA
                legal=None if outside_eea else ["GDPR Art. 28", "GDPR Art. 13(1)(e)"],
                phase=seen.phase,
                explanation=words(
                    "third_party_form_post.explanation", how=how, fields=fields, org=recipient.organisation,
                    in_country=words("form_post.in_country", country=where) if recipient.country else None,
                    known_from=words(f"known_from.{recipient.known_from.replace(' ', '_')}"),
                    end=words("form_post.outside_eea" if outside_eea else "form_post.end"),
                ),
                fix=words("third_party_form_post.fix", org=recipient.organisation,
                          transfer=words("form_post.fix_transfer") if outside_eea else None),
                evidence=[
                    _form_evidence(seen, words("evidence.form_that", how=how), url=recipient.url),
                    evidence_item(
                        words("evidence.form_recipient", org=recipient.organisation, where=where, host=recipient.host,
                              service=f" ({recipient.service})" if recipient.service else None,
                              fields=words("evidence.form_personal_fields",
                                           names=", ".join(p.control.name or p.control.selector for p in personal))
                              if personal else None),
                        kind="note",
                    ),
                ],
                subject=f"{seen.form.selector} -> {recipient.host}",
            )
        )
    return _first_per_subject(findings)


def insecure_form(ctx: CheckContext) -> list[Finding]:
    """A form with personal fields (e-mail, name, phone, password ...) that submits over plain http,
    where anyone on the network can read or change it (Art. 32(1)(a), Art. 5(1)(f)). Decoys: a search
    box over http (no personal fields), an https form on an http page (the data still travel
    encrypted), and a group of boxes outside any <form> (no submit target known)."""
    findings = []
    for seen in _forms(ctx):
        form = seen.form
        if not form.is_form_element:
            continue
        target = form.action or form.page_url
        if urlsplit(target).scheme != "http":
            continue
        personal = personal_fields(form)
        if not personal:
            continue
        categories = _fields_in_words(p.category for p in personal)
        findings.append(
            finding(
                "insecure_form",
                title=words("insecure_form.title", fields=categories),
                phase=seen.phase,
                explanation=words("insecure_form.explanation", target=target, fields=categories),
                evidence=[
                    evidence_item(
                        words("evidence.form_submitting", target=target, method=form.method.upper()),
                        kind="form_control",
                        page_url=seen.page_url,
                        url=target,
                        phase=seen.phase,
                        selector=form.selector,
                        screenshot=form.screenshot,
                    ),
                    *(
                        evidence_item(
                            words("evidence.personal_field", field=words(f"field.{p.category}")),
                            kind="form_control",
                            page_url=seen.page_url,
                            phase=seen.phase,
                            selector=p.control.selector,
                            quote=p.control.label or None,
                        )
                        for p in personal[:5]
                    ),
                ],
                subject=f"{form.selector} -> {form.action or ''}",
            )
        )
    return _first_per_subject(findings)


@lru_cache(maxsize=1)
def _signup_patterns() -> tuple:
    raw = resources.files("privacyscan").joinpath("data/consent_phrases.json").read_text(encoding="utf-8")
    signup = json.loads(raw)["signup_forms"]
    return compile_phrases(signup["signup"]), compile_phrases(signup["search"])


def _form_words(form: FormRecord) -> str:
    """Everything a form says about its job: its text, its id/class/action, its fields' names and labels."""
    names = " ".join(" ".join(name_words(c.name, c.id)) for c in form.controls)
    attributes = " ".join(name_words(*form.attributes.values(), urlsplit(form.action or "").path))
    labels = " ".join(f"{c.label} {(c.value or '') if c.type in ('submit', 'button') else ''}" for c in form.controls)
    return normalise(f"{form.text} {labels}") + " " + names + " " + attributes


def _is_marketing_signup(form: FormRecord) -> bool:
    """A newsletter/marketing sign-up with a contact field: not a login or account form (a password
    field), not a search form."""
    signup, search = _signup_patterns()
    categories = {p.category for p in personal_fields(form) if p.control.visible}
    if not categories & {"email", "phone"}:
        return False
    if any((c.type or "").lower() in ("password", "search") or (c.role or "") == "searchbox" for c in form.controls):
        return False
    words = _form_words(form)
    if (form.attributes.get("role") or "") == "search" or (search.search(words) and not signup.search(words)):
        return False
    return bool(signup.search(words))


def _informs_or_asks_consent(form: FormRecord) -> bool:
    """A consent box or statement, or a reference to the privacy notice, anywhere in the form."""
    if any(read_control(c, form).is_consent for c in form.controls if is_tickable(c)):
        return True
    text = f"{form.text} " + " ".join(f"{c.label} {c.nearby_text}" for c in form.controls)
    # A purpose word alone ("nyhetsbrev") names the sign-up, it asks nothing: a consent or acceptance
    # verb must say what the visitor agrees to.
    if read_text(text, "form_text").consent_wording:
        return True
    return bool(phrase_book().documents[Document.privacy_policy].search(normalise(text)))


def signup_without_consent_information(ctx: CheckContext) -> list[Finding]:
    """A newsletter or marketing sign-up form with personal fields and neither a consent statement (a box
    or wording that says what the visitor agrees to) nor a reference to the privacy notice. Decoys: a login
    form, a search form, a contact form with a privacy link, a sign-up with a consent box."""
    findings = []
    for seen in _forms(ctx):
        form = seen.form
        if not _is_marketing_signup(form) or _informs_or_asks_consent(form):
            continue
        fields = _fields_in_words(p.category for p in personal_fields(form))
        findings.append(
            finding(
                "signup_without_consent_information",
                # Worded here, not the rule's generic title: the subject is a key ("signup #nl /path"), so a
                # report in another language has no name to add to the rule's title.
                title=words("signup_without_consent_information.title", fields=fields),
                confidence=Confidence.medium,
                phase=seen.phase,
                explanation=words("signup_without_consent_information.explanation", text=form.text[:160],
                                  fields=fields),
                evidence=[_form_evidence(seen, words("evidence.signup_form", fields=fields), url=seen.frame_url)],
                # No page in the subject: a footer sign-up on every page is one problem (see `_subject`).
                subject=f"signup {form.selector} {urlsplit(form.action or '').path}".strip(),
            )
        )
    return _first_per_subject(findings)


RULES = [
    preticked_consent,
    bundled_consent,
    consent_refers_elsewhere,
    consent_required_for_service,
    signup_without_consent_information,
    third_party_form_post,
    insecure_form,
]
