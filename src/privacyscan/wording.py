"""A finding's own words in every language the report ships.

What a check says about its subject ("Meta Pixel (advertising) runs before the visitor consents") is data:
a key of `data/finding_texts/{en,nb}.json` with named values, formatted like the report's interface strings
(`str.format` on a reviewed JSON catalogue per language, `report.i18n`). A check builds a `Wording`
(`words(...)`); `privacyscan.check.finding` keeps the English rendering in `Finding.explanation` (what
report.json consumers read) and the wording beside it, and the report formats render it in their language.

Values: a string or number is a fact (a host, a cookie name, a quote from the site) and is shown as it is;
a nested `Wording` or `WordingList` is worded in the report's language. In bokmål a float is written with
a decimal comma ("13,2 måneder"). Plurals are two keys (`.one`, `.other`), chosen where the count is known
(`counted`), like the interface strings.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Literal

from .models import Wording, WordingList

LANGUAGES = ("en", "nb")
PLACEHOLDER = re.compile(r"{(\w+)(?:[:!][^{}]*)?}")
Value = str | int | float | Wording | WordingList


class UnknownWording(KeyError):
    """A finding-text key that is not in the catalogue: a bug in a check, caught when the check runs."""


@cache
def finding_texts(lang: str) -> dict[str, str]:
    """The finding texts of one language (a key starting with `_` is a note for reviewers, not a text)."""
    path = resources.files("privacyscan").joinpath(f"data/finding_texts/{lang}.json")
    raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def words(key: str, /, **values: Value | None) -> Wording:
    """The wording of `key` with its values; raises `UnknownWording` for a key the English catalogue lacks.
    A None value reads as an empty string (an optional part of a sentence that is absent)."""
    if key not in finding_texts("en"):
        raise UnknownWording(f"{key!r} is not in data/finding_texts/en.json")
    return Wording(key=key, values={k: "" if v is None else v for k, v in values.items()})


def counted(key: str, n: int, /, **values: Value | None) -> Wording:
    """`key.one` or `key.other` by `n` (both languages use one/other), with `n` among the values."""
    return words(f"{key}.{'one' if n == 1 else 'other'}", n=n, **values)


def listing(items: Iterable[Value], joiner: Literal["comma", "semicolon", "and", "space", "plus"] = "comma") -> WordingList:
    return WordingList(items=list(items), joiner=joiner)


def country_words(code: str | None) -> Wording | str:
    """A country code as the report's language names it where the finding texts do ("US" reads "USA" in
    bokmål and stays "US" in English), else the code; no code reads as an unknown country."""
    if not code:
        return words("country.unknown")
    return words(f"country.{code}") if f"country.{code}" in finding_texts("en") else code


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if self.lang == "nb" and isinstance(value, float):
            return text.replace(".", ",")
        return text


def render(value: Value, lang: str = "en") -> str:
    """`value` in `lang` (a language we do not ship reads as English)."""
    lang = lang if lang in LANGUAGES else "en"
    if isinstance(value, Wording):
        try:
            text = finding_texts(lang)[value.key]
        except KeyError:
            raise UnknownWording(f"{value.key!r} is not in data/finding_texts/{lang}.json") from None
        shown = {k: v if isinstance(v, int | float) and not isinstance(v, bool) else render(v, lang)
                 for k, v in value.values.items()}
        return _Formatter(lang).format(text, **shown)
    if isinstance(value, WordingList):
        parts = [render(item, lang) for item in value.items]
        if value.joiner == "and" and len(parts) > 1:
            return finding_texts(lang)["list.and"].format(head=", ".join(parts[:-1]), last=parts[-1])
        return finding_texts(lang)[f"list.{value.joiner}"].join(parts)
    return str(value)
