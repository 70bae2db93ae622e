"""What a form control asks of the visitor, read from its label: a consent (and for which purposes), the
acceptance of terms, or something else that merely looks like a consent box (remember me, send me a copy).

The wording lives in data/consent_phrases.json (nb, nn, sv, da, de, en); this module only knows how to
read it. Labels are short and often mix languages (an English "Privacy policy" link in a Norwegian
sentence), so every language's phrases are tried at once instead of guessing the language first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..models import FormControl, FormRecord
from .phrases import CLAUSE_BREAK, compile_phrases, hint_in_words, name_words, normalise

# How far before a document's name an acceptance verb or a "see ..." may stand to govern it.
_GOVERNING_WINDOW_WORDS = 8


class ControlKind(StrEnum):
    """What ticking the control means."""

    consent = "consent"
    """asks for consent to a processing purpose (newsletter, profiling, sharing, processing of data)"""
    terms_acceptance = "terms_acceptance"
    """accepts or acknowledges terms of sale/use or a privacy notice: a contract or a notice, not consent"""
    functional = "functional"
    """a convenience or declaration: remember me, send me a copy, I am over 18, unsubscribe"""
    other = "other"
    """nothing the phrase book recognises (a delivery option, a country, a size)"""


class Purpose(StrEnum):
    marketing = "marketing"
    personalisation = "personalisation"
    third_party_sharing = "third_party_sharing"
    handling_request = "handling_request"
    data_processing = "data_processing"


class Document(StrEnum):
    terms = "terms"
    privacy_policy = "privacy_policy"


# Purposes a visitor can meaningfully refuse on their own: the ones a consent box exists for.
OPTIONAL_PURPOSES = frozenset({Purpose.marketing, Purpose.personalisation, Purpose.third_party_sharing})
# "processing of my personal data" says that data is processed, not what for.
STATED_PURPOSES = frozenset(Purpose) - {Purpose.data_processing}
# Personalised marketing is one purpose to a visitor (EDPB Guidelines 05/2020, para. 44: a set of closely
# related purposes may share one consent); marketing plus sharing with partners are two.
_PURPOSE_FAMILY = {
    Purpose.marketing: "direct marketing",
    Purpose.personalisation: "direct marketing",
    Purpose.third_party_sharing: "disclosure to others",
    Purpose.handling_request: "the visitor's own request",
    Purpose.data_processing: "processing",
}

TextSource = Literal["label", "group_label", "nearby_text", "form_text", "name"]


@dataclass(frozen=True)
class LabelReading:
    """What one control's wording says, and why privacyscan thinks so (the phrases that matched)."""

    kind: ControlKind
    text: str = ""
    source: TextSource = "label"
    purposes: frozenset[Purpose] = frozenset()
    documents_accepted: frozenset[Document] = frozenset()
    documents_acknowledged: frozenset[Document] = frozenset()
    documents_referenced: frozenset[Document] = frozenset()
    consent_wording: bool = False
    opt_out: bool = False
    matched: tuple[str, ...] = field(default_factory=tuple)

    @property
    def documents(self) -> frozenset[Document]:
        return self.documents_accepted | self.documents_acknowledged | self.documents_referenced

    @property
    def stated_purposes(self) -> frozenset[Purpose]:
        return self.purposes & STATED_PURPOSES

    @property
    def optional_purposes(self) -> frozenset[Purpose]:
        return self.purposes & OPTIONAL_PURPOSES

    @property
    def is_consent(self) -> bool:
        return self.kind is ControlKind.consent

    @property
    def bundled_with(self) -> list[str]:
        """The separate things one tick agrees to, when there is more than one (else []): two purpose
        families, or an optional purpose together with accepting a document."""
        if not self.is_consent or self.opt_out:
            return []
        families = sorted({_PURPOSE_FAMILY[p] for p in self.purposes} - {"processing"})
        documents = sorted(d.value.replace("_", " ") for d in self.documents_accepted)
        if len(families) >= 2 or (self.optional_purposes and documents):
            return families + [f"accepting the {d}" for d in documents]
        return []

    @property
    def refers_elsewhere(self) -> bool:
        """Consent wording that names no purpose and points at a document for what it means."""
        return self.is_consent and not self.opt_out and not self.stated_purposes and bool(self.documents)


# ------------------------------------------------------------------------------------ phrase book


class _LanguagePhrases(BaseModel):
    model_config = ConfigDict(extra="forbid")

    consent_verbs: list[str]
    acceptance_verbs: list[str]
    acknowledgement_verbs: list[str]
    references: list[str]
    opt_out: list[str]
    purposes: dict[Purpose, list[str]]
    documents: dict[Document, list[str]]
    not_consent: dict[str, list[str]]
    withdrawal: list[str]
    affirmative_answers: list[str]


class _ValueList(BaseModel):
    rationale: str
    values: list[str]


class _NameHints(BaseModel):
    rationale: str
    consent: list[str]
    functional: list[str]
    terms_acceptance: list[str]


class _PhraseFile(BaseModel):
    about: dict[str, str]
    languages: dict[str, _LanguagePhrases]
    affirmative_values: _ValueList
    name_hints: _NameHints


@dataclass(frozen=True)
class PhraseBook:
    """The phrase file compiled: one pattern per category, all languages together."""

    languages: tuple[str, ...]
    consent_verbs: re.Pattern[str]
    acceptance_verbs: re.Pattern[str]
    acknowledgement_verbs: re.Pattern[str]
    references: re.Pattern[str]
    opt_out: re.Pattern[str]
    purposes: dict[Purpose, re.Pattern[str]]
    documents: dict[Document, re.Pattern[str]]
    not_consent: dict[str, re.Pattern[str]]
    withdrawal: re.Pattern[str]
    affirmative_answers: frozenset[str]
    affirmative_values: frozenset[str]
    name_hints: dict[ControlKind, tuple[str, ...]]


@lru_cache(maxsize=1)
def phrase_book() -> PhraseBook:
    raw = resources.files("privacyscan").joinpath("data/consent_phrases.json").read_text(encoding="utf-8")
    data = _PhraseFile.model_validate(json.loads(raw))
    langs = list(data.languages.values())

    def union(pick: Callable[[_LanguagePhrases], Iterable[str]]) -> re.Pattern[str]:
        return compile_phrases(p for lang in langs for p in pick(lang))

    not_consent_keys = sorted({k for lang in langs for k in lang.not_consent})
    return PhraseBook(
        languages=tuple(data.languages),
        consent_verbs=union(lambda lang: lang.consent_verbs),
        acceptance_verbs=union(lambda lang: lang.acceptance_verbs),
        acknowledgement_verbs=union(lambda lang: lang.acknowledgement_verbs),
        references=union(lambda lang: lang.references),
        opt_out=union(lambda lang: lang.opt_out),
        purposes={p: union(lambda lang, p=p: lang.purposes.get(p, [])) for p in Purpose},
        documents={d: union(lambda lang, d=d: lang.documents.get(d, [])) for d in Document},
        not_consent={k: union(lambda lang, k=k: lang.not_consent.get(k, [])) for k in not_consent_keys},
        withdrawal=union(lambda lang: lang.withdrawal),
        affirmative_answers=frozenset(normalise(a) for lang in langs for a in lang.affirmative_answers),
        affirmative_values=frozenset(normalise(v) for v in data.affirmative_values.values),
        name_hints={
            ControlKind.consent: tuple(data.name_hints.consent),
            ControlKind.functional: tuple(data.name_hints.functional),
            ControlKind.terms_acceptance: tuple(data.name_hints.terms_acceptance),
        },
    )


# ---------------------------------------------------------------------------------------- reading


def _last_match_end(pattern: re.Pattern[str], text: str) -> int:
    ends = [m.end() for m in pattern.finditer(text)]
    return ends[-1] if ends else -1


def _words_before(text: str, position: int) -> str:
    """The words just before `position` in the same clause: where 'I accept' or 'see' would stand."""
    clause = text[:position].rsplit(CLAUSE_BREAK, 1)[-1]
    return " ".join(clause.split()[-_GOVERNING_WINDOW_WORDS:])


def _words_after(text: str, position: int) -> str:
    """The words just after `position` in the same clause: where a verb-final language ("Ich habe die
    AGB gelesen", "mit den AGB einverstanden") puts its verb."""
    clause = text[position:].split(CLAUSE_BREAK, 1)[0]
    return " ".join(clause.split()[:_GOVERNING_WINDOW_WORDS])


def _nearest_verb(book: PhraseBook, text: str) -> Literal["accept", "acknowledge", None]:
    accept = book.acceptance_verbs.search(text)
    acknowledge = book.acknowledgement_verbs.search(text)
    if accept and (not acknowledge or accept.start() < acknowledge.start()):
        return "accept"
    return "acknowledge" if acknowledge else None


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "#" * (end - start)
    return "".join(chars)


def read_text(text: str, source: TextSource = "label") -> LabelReading:
    """Read one piece of label text. Pure: the same text always gives the same reading."""
    book = phrase_book()
    normalised = normalise(text)
    if not normalised:
        return LabelReading(kind=ControlKind.other, text=text, source=source)
    matched: list[str] = []

    # Documents first, so a document's own name ("personuppgiftspolicy", "Datenschutzerklärung") is
    # not read again as a purpose.
    accepted: set[Document] = set()
    acknowledged: set[Document] = set()
    referenced: set[Document] = set()
    spans: list[tuple[int, int]] = []
    remaining = normalised
    for document in (Document.privacy_policy, Document.terms):
        for m in book.documents[document].finditer(remaining):
            spans.append(m.span())
            matched.append(m.group(0))
            before = _words_before(normalised, m.start())
            after = _words_after(normalised, m.end())
            reference_at = _last_match_end(book.references, before)
            accept_at = _last_match_end(book.acceptance_verbs, before)
            acknowledge_at = _last_match_end(book.acknowledgement_verbs, before)
            if max(accept_at, acknowledge_at) > reference_at:
                (accepted if accept_at >= acknowledge_at else acknowledged).add(document)
            elif reference_at >= 0:
                referenced.add(document)
            elif verb_after := _nearest_verb(book, after):
                (accepted if verb_after == "accept" else acknowledged).add(document)
            else:
                # A bare document name ("Privacy policy", "AGB") next to the box is a pointer to it.
                referenced.add(document)
        remaining = _blank(normalised, spans)

    purposes: set[Purpose] = set()
    for purpose, pattern in book.purposes.items():
        for m in pattern.finditer(remaining):
            purposes.add(purpose)
            matched.append(m.group(0))

    consent_words = [m.group(0) for m in book.consent_verbs.finditer(remaining)]
    matched.extend(consent_words)
    opt_out = bool(purposes & OPTIONAL_PURPOSES) and any(
        book.opt_out.search(clause) and any(book.purposes[p].search(clause) for p in OPTIONAL_PURPOSES)
        for clause in remaining.split(CLAUSE_BREAK)
    )
    functional = [name for name, pattern in book.not_consent.items() if pattern.search(remaining)]
    withdrawal = book.withdrawal.search(normalised)

    if withdrawal:
        kind = ControlKind.functional
        matched.append(withdrawal.group(0))
    elif purposes & OPTIONAL_PURPOSES:
        kind = ControlKind.consent
    elif functional:
        kind = ControlKind.functional
        matched.extend(functional)
    elif (
        consent_words
        and not purposes
        and accepted
        and not (referenced | acknowledged)
        and accepted <= {Document.terms}
    ):
        # "Jeg samtykker til kjøpsvilkårene": consent-sounding, but what is agreed is a contract.
        kind = ControlKind.terms_acceptance
    elif purposes or consent_words:
        kind = ControlKind.consent
    elif accepted or acknowledged or referenced:
        kind = ControlKind.terms_acceptance
    else:
        kind = ControlKind.other

    return LabelReading(
        kind=kind,
        text=text,
        source=source,
        purposes=frozenset(purposes),
        documents_accepted=frozenset(accepted),
        documents_acknowledged=frozenset(acknowledged),
        documents_referenced=frozenset(referenced),
        consent_wording=bool(consent_words),
        opt_out=opt_out and kind is ControlKind.consent,
        matched=tuple(dict.fromkeys(matched)),
    )


def _read_name(control: FormControl) -> LabelReading | None:
    words = name_words(control.name, control.id)
    if not words:
        return None
    for kind, hints in phrase_book().name_hints.items():
        hit = hint_in_words(hints, words)
        if hit:
            purposes = frozenset({Purpose.marketing}) if kind is ControlKind.consent else frozenset()
            return LabelReading(
                kind=kind, text=" ".join(words), source="name", purposes=purposes, matched=(hit,)
            )
    return None


def read_control(control: FormControl, form: FormRecord | None = None) -> LabelReading:
    """Read a control from the most specific text it has: its own label; then, when the label says
    nothing (a radio labelled just "Ja"), the group's legend and then the surrounding text; then its
    name/id; and last, for the only tickable control in a form, the form's own text."""
    label = control.label.strip()
    reading = read_text(label, "label") if label else None
    if reading and reading.kind is not ControlKind.other:
        return reading
    context: list[tuple[str, TextSource]] = [
        (control.group_label, "group_label"),
        (control.nearby_text, "nearby_text"),
    ]
    for text, source in context:
        text = text.strip()
        if text and text != label:
            context_reading = read_text(f"{text}. {label}" if label else text, source)
            if context_reading.kind is not ControlKind.other:
                return context_reading
    by_name = _read_name(control)
    if by_name:
        return by_name
    if form is not None and form.text and [c for c in form.controls if is_tickable(c)] == [control]:
        form_reading = read_text(form.text, "form_text")
        if form_reading.kind is not ControlKind.other:
            return form_reading
    return reading or LabelReading(kind=ControlKind.other, source="label")


def is_tickable(control: FormControl) -> bool:
    """A checkbox, radio or switch: something a visitor turns on or off."""
    return (control.type or "").lower() in {"checkbox", "radio"} or (control.role or "").lower() in {
        "checkbox",
        "switch",
        "radio",
        "menuitemcheckbox",
    }


def classify_control(control: FormControl, form: FormRecord | None = None) -> ControlKind:
    """The kind of a control: consent, terms acceptance, functional (remember me ...) or other."""
    return read_control(control, form).kind


def is_affirmative_option(control: FormControl, reading: LabelReading) -> bool:
    """For a radio or select option in a consent question: does choosing it mean "yes"? A pre-selected
    "Nei"/"No" is the privacy-friendly default and must not be flagged."""
    book = phrase_book()
    label = normalise(control.label)
    if label in book.affirmative_answers:
        return True
    if control.value and normalise(control.value) in book.affirmative_values:
        return True
    # A radio whose own label states the purpose ("Yes, send me offers") rather than just "Yes".
    return (
        reading.source == "label"
        and reading.is_consent
        and not reading.opt_out
        and bool(reading.optional_purposes)
    )
