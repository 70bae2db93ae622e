"""The report's words in Norwegian (bokmål) and English: every interface string lives in one reviewed data
file per language (`data/messages/{en,nb}.json`), rule texts in the rule registry (`data/rules.json`).

Why plain JSON and not gettext: the strings are few (~250), reviewed like the other curated data files
(banner phrases, rules), need no compile step in `scripts/setup` or a Lambda layer, and a unit test holds
both catalogues to the same keys and placeholders. Plurals are two keys (`.one`, `.other`), enough for the
two languages we ship.

Human values (phases, severities, lifetimes, yes/no, dates) are formatted here so no raw enum value or
float reaches a reader.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from importlib import resources

from ..models import Wording, WordingList
from ..rules import DEFAULT_LANGUAGE, RuleText, rule_registry
from ..wording import LANGUAGES, UnknownWording, render
from .model import ScanReport

# How the privacy-notice check cites one Art. 13 item (`check.privacy_notice`).
_NOTICE_ITEM_REFERENCE = re.compile(r"GDPR Art\. 13 \(item (\d+)\)")


class MissingMessage(KeyError):
    """A key that is not in the catalogue: a bug in a template, caught by the tests."""


@cache
def catalogue(lang: str) -> dict[str, str]:
    path = resources.files("privacyscan").joinpath(f"data/messages/{lang}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def language_for(lang: str | None) -> str:
    """`lang` when we ship it (`nb-NO`, `no` and `nn` read as bokmål is the nearest), else English."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if code in ("nb", "no", "nn"):
        return "nb"
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


class Messages:
    """The catalogue of one language with the formatters the report formats share."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = language_for(lang)
        self._messages = catalogue(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        try:
            text = self._messages[key]
        except KeyError:
            raise MissingMessage(f"{key!r} is not in data/messages/{self.lang}.json") from None
        return text.format(**values) if values else text

    def plural(self, key: str, n: int, **values: object) -> str:
        return self(f"{key}.{'one' if n == 1 else 'other'}", n=n, **values)

    def has(self, key: str) -> bool:
        return key in self._messages

    def enum(self, prefix: str, value: object) -> str:
        """A translated enum value (`phase.before_consent`), or the value itself when none is known."""
        raw = getattr(value, "value", value)
        key = f"{prefix}.{raw}"
        return self(key) if self.has(key) else str(raw).replace("_", " ")

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return self("unknown")
        return self("yes") if value else self("no")

    def lifetime(self, days: float | None) -> str:
        """A cookie's lifetime as people say it: "13 months", not 400.0 days."""
        if days is None:
            return self("lifetime.session")
        if days < 1:
            return self.plural("lifetime.hours", max(1, round(days * 24)))
        if days < 60:
            return self.plural("lifetime.days", round(days))
        if days < 730:
            return self.plural("lifetime.months", round(days / 30.44))
        return self.plural("lifetime.years", round(days / 365.25))

    def date(self, when: datetime | None) -> str:
        if when is None:
            return self("unknown")
        return self("date.format", day=when.day, month=self(f"month.{when.month}"), year=when.year)

    def datetime(self, when: datetime | None) -> str:
        if when is None:
            return self("unknown")
        return self("datetime.format", date=self.date(when), time=when.strftime("%H:%M"))

    def words(self, wording: Wording | WordingList | None, english: str) -> str:
        """A finding's own text (explanation, title, fix, evidence description) in this language: its wording
        when the check gave one (data/finding_texts), else `english`, the text as the check wrote it (a report
        written before finding texts were data, or by a newer version with a key this one lacks)."""
        if wording is None:
            return english
        try:
            return render(wording, self.lang)
        except UnknownWording:
            return english

    def translates(self, wording: Wording | WordingList | None) -> bool:
        """Whether `words` gives this language for `wording` (English needs no translation)."""
        if self.lang == "en":
            return True
        if wording is None:
            return False
        try:
            render(wording, self.lang)
        except UnknownWording:
            return False
        return True

    def legal(self, reference: str) -> str:
        """A legal reference as this language cites it ("GDPR Art. 7(3)" reads "Personvernforordningen art. 7
        nr. 3" in bokmål); a reference the catalogue does not know stays as written."""
        if self.has(f"legal.{reference}"):
            return self(f"legal.{reference}")
        item = _NOTICE_ITEM_REFERENCE.fullmatch(reference)
        return self("legal.notice_item", n=int(item.group(1))) if item else reference

    def rule_text(self, rule_id: str) -> RuleText | None:
        """The rule's title, description and fix in this language (None for a rule the registry lacks)."""
        spec = rule_registry().get(rule_id)
        return spec.text(self.lang) if spec else None


def report_language(report: ScanReport, requested: str | None = None) -> str:
    """The language to write a report in: the one asked for, else the site's own (the `lang` of the first
    page that has one) when we ship it, else English."""
    if requested:
        return language_for(requested)
    for phase in report.evidence.phases:
        for page in phase.pages:
            if page.lang:
                code = page.lang.strip().lower().replace("_", "-").split("-")[0]
                return language_for(code)
    return DEFAULT_LANGUAGE
