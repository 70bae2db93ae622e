"""The wording of consent banners (data/banner_phrases.json), compiled for matching.

Pure: no browser here. The crawl sends the compiled patterns into the page to find home-made banners and
name their buttons; the checks use the same patterns on the recorded banner text (implied consent) and on
toggle labels (strictly necessary, legitimate interest), so both sides agree on what a phrase means.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

PHRASES_FILE = Path(__file__).resolve().parent / "banner_phrases.json"
ButtonRole = Literal["accept", "reject", "settings", "save", "close"]
PhraseKind = Literal[
    "banner_words",
    "reject",
    "accept",
    "settings",
    "save",
    "close",
    "implied_consent",
    "necessary",
    "legitimate_interest",
]
# A button's text longer than this is a paragraph with a link in it, not a button label.
MAX_BUTTON_TEXT = 80


def normalise(text: str) -> str:
    """Case-folded, NFC, curly quotes straightened, punctuation other than apostrophes read as spaces."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = re.sub(r"[^\w'×✕\s]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _pattern(phrase: str) -> tuple[str, bool]:
    """(regex source, exact) for one phrase of the data file's syntax."""
    exact = phrase.startswith("=")
    body = normalise(phrase.lstrip("="))
    wildcard = phrase.endswith("*")
    words = [re.escape(w) for w in body.split(" ") if w]
    source = r"\s".join(words) + (r"\w*" if wildcard else "")
    if exact:
        return rf"^{source}$", True
    return rf"(?:^|(?<=[\s'])){source}(?=$|[\s'])", False


@dataclass(frozen=True)
class PhraseSet:
    """All languages' phrases of one kind, as one compiled alternation (and its parts, for the browser)."""

    kind: str
    phrases: tuple[str, ...]
    sources: tuple[str, ...] = field(repr=False)
    regex: re.Pattern = field(repr=False)

    def search(self, text: str) -> str | None:
        """The first phrase found in `text` (normalised here), or None."""
        found = self.regex.search(normalise(text))
        if not found:
            return None
        return next(
            (p for p, s in zip(self.phrases, self.sources, strict=True) if re.search(s, found.group(0))),
            found.group(0),
        )


@dataclass(frozen=True)
class BannerPhrases:
    role_order: tuple[ButtonRole, ...]
    kinds: dict[str, PhraseSet]
    cmp_buttons: dict[str, dict[str, list[str]]]

    def __getitem__(self, kind: PhraseKind) -> PhraseSet:
        return self.kinds[kind]

    def button_role(self, text: str) -> ButtonRole | None:
        """The role a button's text names, trying roles in the data file's order."""
        if not text or len(text) > MAX_BUTTON_TEXT:
            return None
        for role in self.role_order:
            if self.kinds[role].search(text):
                return role
        return None

    def for_browser(self) -> dict:
        """JSON-able regex sources (JavaScript syntax, `u` flag) for consent_banner.js."""
        # Python's \w is Unicode-aware; JavaScript's is ASCII even with the `u` flag.
        out = {
            kind: [s.replace("\\w", "[\\p{L}\\p{N}_]") for s in ps.sources] for kind, ps in self.kinds.items()
        }
        return {"role_order": list(self.role_order), "patterns": out}


@functools.cache
def banner_phrases(path: Path = PHRASES_FILE) -> BannerPhrases:
    data = json.loads(path.read_text(encoding="utf-8"))
    kinds: dict[str, list[str]] = {}
    for language in data["languages"].values():
        for kind, phrases in language.items():
            kinds.setdefault(kind, [])
            kinds[kind].extend(p for p in phrases if p not in kinds[kind])
    compiled: dict[str, PhraseSet] = {}
    for kind, phrases in kinds.items():
        sources = tuple(_pattern(p)[0] for p in phrases)
        # Longer phrases first so the reported phrase is the most specific one.
        order = sorted(range(len(phrases)), key=lambda i: -len(phrases[i]))
        compiled[kind] = PhraseSet(
            kind=kind,
            phrases=tuple(phrases[i] for i in order),
            sources=tuple(sources[i] for i in order),
            regex=re.compile("|".join(f"(?:{sources[i]})" for i in order)),
        )
    cmp_buttons = {k: v for k, v in data.get("cmp_buttons", {}).items() if isinstance(v, dict)}
    return BannerPhrases(role_order=tuple(data["role_order"]), kinds=compiled, cmp_buttons=cmp_buttons)
