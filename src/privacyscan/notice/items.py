"""The 13 information items of GDPR Art. 13: does the notice give each, and which sentences prove it.

The decision is made by curated phrase patterns (data/notice_patterns.json), never by a model, so every
"present" comes with the sentence a reader can check, and every "absent" means none of the phrases a
lawyer would look for is there. All languages' patterns apply to every notice: a Norwegian notice that
quotes an English clause still gets credit, and a wrong language guess cannot hide an item."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol

from ..urls import registrable_domain
from .model import ItemStatus, NoticeItem
from .text import pattern_language

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400


def compile_pattern(pattern: str) -> str:
    """One pattern of the file as a regex that matches whole words (see `_pattern_body`)."""
    return r"(?<!\w)" + _pattern_body(pattern) + r"(?!\w)"


def _pattern_body(pattern: str) -> str:
    """The file's shorthand to a regex: '~' is any word ending, a space (outside brackets) any
    whitespace, ' ?' optional whitespace ("6 ?[(]1[)]" is "6(1)" or "6 (1)"), a space before a wildcard
    ('consent .{0,100}withdraw') any run of spaces or punctuation. The callers make it match whole words
    (word start to word end)."""
    out: list[str] = []
    in_class = False
    text = pattern.strip()
    skip_next = False
    for position, char in enumerate(text):
        if skip_next:
            skip_next = False
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        if char == "~" and not in_class:
            out.append(r"\w*")
        elif char == " " and not in_class and text[position + 1 : position + 2] == "?":
            out.append(r"\s*")
            skip_next = True
        elif char == " " and not in_class and text[position + 1 : position + 2] == ".":
            # before a wildcard span punctuation may stand for the space: "consent, you may withdraw"
            out.append(r"\W+")
        elif char == " " and not in_class:
            out.append(r"\s+")
        else:
            out.append(char)
    return "(?:" + "".join(out) + ")"


GROUP_SIZE = 16


class Searchable(Protocol):
    """A compiled regex or a group of them: what a quote is centred on."""

    def search(self, text: str, /) -> re.Match[str] | None: ...


class Alternatives:
    """Many patterns searched as a few regexes of at most GROUP_SIZE alternatives each, the word-start
    test once per regex, before its alternatives. With the test inside every alternative of one regex
    per signal, a 19k-character notice took 0.85 s; hoisted out of one regex for all 85 patterns of the
    source signal, the engine still loses its first-character scan (98 ms on that notice against 56 ms
    for the patterns one by one); groups take 52 ms, and a hit in an early group spares the rest. Mean
    over the 75 labelled notices: 78 ms with one regex per signal, 55-62 ms with groups of 10-16.
    `search` gives the first group's match, not always the leftmost of all."""

    __slots__ = ("groups",)

    def __init__(self, groups: tuple[re.Pattern[str], ...]) -> None:
        self.groups = groups

    def search(self, text: str) -> re.Match[str] | None:
        for group in self.groups:
            match = group.search(text)
            if match:
                return match
        return None


def compile_alternatives(patterns: list[str]) -> Alternatives | None:
    if not patterns:
        return None
    bodies = [_pattern_body(p) for p in patterns]
    return Alternatives(
        tuple(
            re.compile(
                r"(?<!\w)(?:" + "|".join(bodies[k : k + GROUP_SIZE]) + r")(?!\w)", re.IGNORECASE | re.DOTALL
            )
            for k in range(0, len(bodies), GROUP_SIZE)
        )
    )


@dataclass(frozen=True)
class ItemRule:
    signals: tuple[str, ...]
    scope: Literal["sentence", "document"]
    window: int = 1


@dataclass(frozen=True)
class ItemSpec:
    number: int
    key: str
    title: str
    law: str
    severity: Literal["low", "medium"]
    rules: tuple[ItemRule, ...]
    signals: dict[str, Alternatives]
    applicable_if: tuple[str, ...]
    absent_means_not_applicable: bool
    examples: dict[str, str]
    veto: tuple[str, ...] = ()
    absent_confidence: Literal["medium", "low"] = "medium"
    derived: tuple[str, ...] = ()


# The data subject asking, not the notice telling: "What data do you hold about me?", "Hvor henter dere ...?"
_ASKED_BY_THE_SUBJECT = re.compile(
    r"(?<!\w)(?:(?i:me|my|mine|meg|min|mitt|jeg|eg|mig|mich|mir|mein\w*|dere|dykk|ihr)|I)(?!\w)"
)


def _is_question(sentence: str) -> bool:
    """Ends in a question mark after some words (not "?" alone, not "...?"). A string test, not a regex
    anchored at the end, which would rescan the sentence from every position."""
    text = sentence.rstrip()
    return len(text) >= 4 and text.endswith("?") and not any(c in ".!" for c in text[-4:-1])


def questions(sentences: list[str]) -> list[int]:
    """Every question: a question in a list of rights ("If a recipient is outside the EU/EEA, what can
    you guarantee?") mentions an item without informing of it."""
    return [i for i, sentence in enumerate(sentences) if _is_question(sentence)]


def listed_questions(sentences: list[str]) -> list[int]:
    """Questions that are not headings: one next to another question (a list of what one may ask the
    controller) or one the data subject asks ("Do you share my data?"). A lone question heading ("Who do
    we share your data with?") is followed by its answer and stays a signal."""
    asked = [_is_question(sentence) for sentence in sentences]
    listed = []
    for i, sentence in enumerate(sentences):
        if not asked[i]:
            continue
        neighbour = (i > 0 and asked[i - 1]) or (i + 1 < len(sentences) and asked[i + 1])
        if neighbour or _ASKED_BY_THE_SUBJECT.search(sentence):
            listed.append(i)
    return listed


_EMAIL = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})", re.IGNORECASE)
# Free mailboxes say nothing about who the controller is, and a domain that is an ordinary word
# ("post@kontakt.no") is no name.
_NOT_A_BRAND = frozenset(
    {
        *("gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "icloud", "aol", "proton"),
        *("protonmail", "gmx", "web", "mail", "online", "msn", "yandex", "zoho", "fastmail", "tutanota"),
        *("info", "post", "kontakt", "contact", "support", "privacy", "personvern", "admin", "service"),
        *("help", "hello", "team", "office", "company", "firma", "bedrift", "example", "eksempel"),
    }
)
_NAME_WORD = re.compile(r"[^\W_][\w&'-]*")
# an address, a link, or a bare domain in prose ("fjordlys.co.uk"), whatever its top-level domain
_ADDRESS_OR_LINK = re.compile(r"\S*[@/]\S*|\S+\.[a-z]{2,}\b")


def _brand_of_domain(domain: str) -> str:
    """The label a domain names its owner by ("mail.p-hotels.no" -> "photels", "dfe.gov.uk" -> "dfe"): the
    first label of its registrable domain, hyphens dropped as they are from the names in prose."""
    return registrable_domain(domain).split(".")[0].replace("-", "")


def _names_in_prose(sentence: str) -> set[str]:
    """The sentence's runs of one to three words, joined and lower-cased ("MH Tech" -> "mhtech"), with
    addresses and links taken out so the e-mail cannot name itself."""
    words = [
        w.lower().replace("-", "").replace("'", "")
        for w in _NAME_WORD.findall(_ADDRESS_OR_LINK.sub(" ", sentence))
    ]
    return {"".join(words[k : k + n]) for n in (1, 2, 3) for k in range(len(words))}


@cache
def _third_party_brands() -> frozenset[str]:
    """Names of the big recipients a notice mentions ("write to Google at privacy@google.com"): their
    addresses are someone else's contact, never the controller's."""
    aliases = notice_patterns()["organisation_aliases"]
    names = {alias for key, values in aliases.items() if key != "_about" for alias in values}
    return frozenset(name.replace(" ", "").lower() for name in names) | {
        "mailchimp",
        "stripe",
        "paypal",
        "vipps",
    }


def contact_email_naming_the_controller(sentences: list[str]) -> list[int]:
    """A contact e-mail whose domain is the name the notice calls the controller by: "We at MHTech ..."
    and "contact@mhtech.no" identify the controller and give its contact together, though no sentence
    says "controller". Returns the sentence with the address and the first one naming the brand. The name
    must be written out in prose (outside any address or link) and have at least four letters, and a
    free mailbox or an ordinary word never counts."""
    names: list[set[str]] | None = None  # worked out once, only when an address has a brand-like domain
    for i, sentence in enumerate(sentences):
        for match in _EMAIL.finditer(sentence):
            brand = _brand_of_domain(match.group(1))
            if len(brand) < 4 or brand in _NOT_A_BRAND or brand in _third_party_brands():
                continue
            names = names if names is not None else [_names_in_prose(other) for other in sentences]
            naming = next((j for j, named in enumerate(names) if brand in named), None)
            if naming is not None:
                return sorted({i, naming})
    return []


DERIVED_SIGNALS = {
    "question": questions,
    "listed_question": listed_questions,
    "contact_email_naming_the_controller": contact_email_naming_the_controller,
}


@cache
def notice_patterns() -> dict[str, Any]:
    """The curated pattern file, parsed once."""
    source = resources.files("privacyscan").joinpath("data/notice_patterns.json")
    return json.loads(source.read_text(encoding="utf-8"))


def _signal_names_used(raw: dict[str, Any]) -> set[str]:
    """The signals an item's rules, vetoes and applicable_if name."""
    used = {name for rule in raw["rules"] for name in rule["all"]}
    return used | set(raw.get("veto", ())) | set(raw.get("applicable_if", ()))


def check_signal_names(number: str, raw: dict[str, Any]) -> None:
    """Every name an item uses is one of its pattern signals or one the code derives, and no pattern
    signal takes a derived signal's name: a typo in the pattern file fails when the file is loaded, not
    as a KeyError halfway through a scan."""
    shadowed = set(raw["signals"]) & set(DERIVED_SIGNALS)
    if shadowed:
        raise ValueError(f"item {number} defines patterns for derived signals {sorted(shadowed)}")
    unknown = _signal_names_used(raw) - set(raw["signals"]) - set(DERIVED_SIGNALS)
    if unknown:
        raise ValueError(f"item {number} uses signals it does not define: {sorted(unknown)}")


@cache
def item_specs() -> tuple[ItemSpec, ...]:
    specs = []
    for number, raw in sorted(notice_patterns()["items"].items(), key=lambda kv: int(kv[0])):
        signals = {}
        for name, per_language in raw["signals"].items():
            merged = [p for patterns in per_language.values() for p in patterns]
            compiled = compile_alternatives(merged)
            assert compiled is not None, f"item {number} signal {name} has no patterns"
            signals[name] = compiled
        rules = tuple(
            ItemRule(tuple(rule["all"]), rule.get("scope", "document"), int(rule.get("window", 1)))
            for rule in raw["rules"]
        )
        check_signal_names(number, raw)
        specs.append(
            ItemSpec(
                number=int(number),
                key=raw["key"],
                title=raw["title"],
                law=raw["law"],
                severity=raw.get("severity", "medium"),
                rules=rules,
                signals=signals,
                applicable_if=tuple(raw.get("applicable_if", ())),
                absent_means_not_applicable=bool(raw.get("absent_means_not_applicable", False)),
                examples=raw["example"],
                veto=tuple(raw.get("veto", ())),
                absent_confidence=raw.get("absent_confidence", "medium"),
                derived=tuple(name for name in DERIVED_SIGNALS if name in _signal_names_used(raw)),
            )
        )
    return tuple(specs)


def quote(sentence: str, pattern: Searchable | None = None) -> str:
    """The sentence, or a window of it around the first match when it is very long."""
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    match = pattern.search(sentence) if pattern else None
    centre = match.start() if match else 0
    start = max(0, centre - MAX_QUOTE_CHARS // 3)
    snippet = sentence[start : start + MAX_QUOTE_CHARS].strip()
    return ("…" if start else "") + snippet + "…"


def signal_hits(spec: ItemSpec, sentences: list[str]) -> dict[str, list[int]]:
    """For each signal of the item, the indices of the sentences it occurs in. A sentence a veto signal
    hits counts for none of the item's other signals: a question in a list of rights ("If a recipient
    is outside the EU/EEA, what can you guarantee?") mentions a third country without informing of a
    transfer."""
    hits = {
        name: [i for i, sentence in enumerate(sentences) if pattern.search(sentence)]
        for name, pattern in spec.signals.items()
    }
    for name in spec.derived:
        hits[name] = DERIVED_SIGNALS[name](sentences)
    vetoed = {i for name in spec.veto for i in hits[name]}
    if vetoed:
        hits = {
            name: indices if name in spec.veto else [i for i in indices if i not in vetoed]
            for name, indices in hits.items()
        }
    return hits


def _supporting_sentences(rule: ItemRule, hits: dict[str, list[int]]) -> list[int]:
    """Indices of the sentences that satisfy the rule (empty when it does not hold)."""
    if any(not hits[name] for name in rule.signals):
        return []
    if rule.scope == "document":
        chosen: list[int] = []
        for name in rule.signals:
            chosen.extend(i for i in hits[name][:2] if i not in chosen)
        return sorted(chosen)
    supporting: list[int] = []
    for start in sorted({i for name in rule.signals for i in hits[name]}):
        window = range(start, start + rule.window)
        if all(any(i in window for i in hits[name]) for name in rule.signals):
            supporting.extend(
                i for i in window if i not in supporting and any(i in hits[name] for name in rule.signals)
            )
    return sorted(supporting)


def assess_item(
    spec: ItemSpec, sentences: list[str], language: str | None, *, consent_relied_on: bool = False
) -> NoticeItem:
    hits = signal_hits(spec, sentences)
    supporting: list[int] = []
    for rule in spec.rules:
        supporting = _supporting_sentences(rule, hits)
        if supporting:
            break
    example = spec.examples.get(pattern_language(language), spec.examples["en"])
    common = {
        "number": spec.number,
        "key": spec.key,
        "title": spec.title,
        "law": spec.law,
        "example": example,
        "severity": spec.severity,
    }
    if supporting:
        matched = [p for name, p in spec.signals.items() if any(i in hits[name] for i in supporting)]
        quotes = [
            quote(sentences[i], next((p for p in matched if p.search(sentences[i])), None))
            for i in supporting
        ]
        return NoticeItem(
            **common,
            status=ItemStatus.present,
            confidence="high" if len(supporting) >= 2 else "medium",
            quotes=quotes[:MAX_QUOTES],
        )
    applicable = not spec.applicable_if or any(hits[name] for name in spec.applicable_if)
    if spec.number == 9 and consent_relied_on:
        applicable = True  # a consent banner on the site means consent is relied on, whatever the notice says
    if not applicable or spec.absent_means_not_applicable:
        return NoticeItem(**common, status=ItemStatus.not_applicable, confidence="low")
    return NoticeItem(**common, status=ItemStatus.absent, confidence=spec.absent_confidence)


def assess_items(
    sentences: list[str], language: str | None, *, consent_relied_on: bool = False
) -> list[NoticeItem]:
    """All 13 items for a notice already split into sentences."""
    return [
        assess_item(spec, sentences, language, consent_relied_on=consent_relied_on) for spec in item_specs()
    ]
