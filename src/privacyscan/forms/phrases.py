"""How curated phrases (data/consent_phrases.json, data/personal_fields.json) are matched against label
text: whole words after normalisation, with `*` to let a word continue and `^` to anchor at the start.
One small syntax for every phrase file, so a reviewer reads a phrase exactly as the code does."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# A phrase never matches across this mark; `normalise` puts it where a sentence or a bracket ends.
CLAUSE_BREAK = "|"


def normalise(text: str) -> str:
    """Case-folded words separated by single spaces, with `|` where a sentence or bracket ends.
    Hyphens and other punctuation become spaces, so 'E-post', 'e-post' and 'e post' read alike."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[.;:!?()\[\]{}]+", f" {CLAUSE_BREAK} ", text)
    text = re.sub(rf"[^\w{re.escape(CLAUSE_BREAK)}]+", " ", text)
    text = re.sub(rf"(\s*\{CLAUSE_BREAK}\s*)+", f" {CLAUSE_BREAK} ", text)
    return text.strip(f" {CLAUSE_BREAK}")


def phrase_pattern(phrase: str) -> str:
    """The regular expression for one curated phrase (see the syntax note in data/consent_phrases.json)."""
    anchored = phrase.startswith("^")
    phrase = phrase.lstrip("^")
    open_start, open_end = phrase.startswith("*"), phrase.endswith("*")
    core = re.escape(normalise(phrase.strip("*")))
    start = r"\w*" if open_start else r"(?<!\w)"
    end = r"\w*" if open_end else r"(?!\w)"
    return ("^" if anchored else "") + start + core + end


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for a list of phrases; the longest phrase wins where several match at one place."""
    patterns = sorted({phrase_pattern(p) for p in phrases if p.strip("^* ")}, key=len, reverse=True)
    return re.compile("|".join(patterns) if patterns else r"(?!x)x")


def name_words(*names: str | None) -> list[str]:
    """An attribute like `newsletterOptIn` or `accept_terms-2` as lower-case words."""
    raw = " ".join(n for n in names if n)
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw).lower()
    return [w for w in re.split(r"[^a-z0-9]+", spaced) if w]


def hint_in_words(hints: Iterable[str], words: list[str]) -> str | None:
    """The first hint that is one of the words, or (for hints of five or more letters) inside them."""
    joined = "".join(words)
    return next((h for h in hints if h in words or (len(h) >= 5 and h in joined)), None)
