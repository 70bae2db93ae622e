"""A notice page as text: its main content without banners, menus and footers, split into sentences,
and the language it is written in.

The language is told by counting function words, not by a model: notices are long, the six languages we
read are few, and a statistical detector (lingua, ~96 MB installed) gave the same answers on the
development set at a hundredth of the size. Bokmål and nynorsk share one set of item patterns; the split
only picks the example sentence and is reported."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are frequent in one language and rare in the others (a shared word counts for each).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words("the and of to is we you your with that are this or be by not our which will may"),
    "de": _words(
        "und der die das ist wir sie mit für von zu den des ein eine auf oder werden ihre nicht dem"
    ),
    "sv": _words(
        "och är att för till från inte vad hur några dig efter våra detta dessa hos enligt "
        "personuppgifter uppgifter kommer"
    ),
    "da": _words(
        "og af hvad nogen dig mig jeres kun bliver efter vores også ikke hvis sådan personoplysninger "
        "oplysninger fra til"
    ),
    "nb": _words(
        "og av hva noen deg meg dere bare etter vår våre også ikke hvis slik personopplysninger "
        "opplysninger fra til blir"
    ),
    "nn": _words(
        "og av kva nokon deg meg dykk berre etter vår våre òg ikkje viss slik personopplysningar "
        "opplysningar frå til vert eit ein eg desse"
    ),
}
# The words only one of bokmål, nynorsk and Danish uses, to separate the three.
_DISTINCT_WORDS: dict[str, frozenset[str]] = {
    "nb": _words(
        "hva noen dere bare personopplysninger opplysninger opplysningene personopplysningene ikke hvis"
    ),
    "nn": _words(
        "kva nokon dykk berre personopplysningar opplysningar opplysningane personopplysningane ikkje viss "
        "vert frå eg behandlar eitt korleis"
    ),
    "da": _words("hvad nogen jeres personoplysninger oplysninger bliver vores dig af"),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str | None:
    """'nb', 'nn', 'en', 'sv', 'da' or 'de' by function-word counts; None for text too short to tell."""
    words = Counter(w.lower() for w in _WORD.findall(text[:20000]))
    if sum(words.values()) < 5:
        return None
    scores = {lang: sum(words[w] for w in vocab) for lang, vocab in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] == 0:
        return None
    if best in ("nb", "nn", "da"):
        # The three share most function words: decide on the words only one of them uses.
        distinct = {lang: sum(words[w] for w in vocab) for lang, vocab in _DISTINCT_WORDS.items()}
        best = max(distinct, key=lambda lang: distinct[lang]) if any(distinct.values()) else best
        if best == "nb" and distinct["nn"] > distinct["nb"]:
            best = "nn"
    return best


def pattern_language(language: str | None) -> str:
    """The key of the item patterns and example sentences for a detected language (nb/nn share 'no')."""
    if language in ("nb", "nn", "no"):
        return "no"
    return language if language in ("en", "sv", "da", "de") else "en"


# ------------------------------------------------------------------------------------- main text

_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "dd",
    "dt",
    "dl",
    "blockquote",
    "pre",
    "details",
    "summary",
}
# Consent banners and cookie bars are <div>s: their id/class say what they are.
_BANNER_MARKERS = re.compile(r"cookie|consent|gdpr-banner|cmp|onetrust|cookiebot|didomi|usercentrics", re.I)
_VOID_TAGS = {
    "br",
    "img",
    "input",
    "meta",
    "link",
    "hr",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
}


class _TextParser(HTMLParser):
    """The fallback extractor: visible text of the page minus navigation, footers and consent banners."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br":
                self.parts.append("\n")
            return
        marker = " ".join(v or "" for k, v in attrs if k in ("id", "class", "role", "aria-label"))
        if (
            self._skip_stack
            or tag in _SKIP_TAGS
            or (tag in ("div", "section") and _BANNER_MARKERS.search(marker))
        ):
            self._skip_stack.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if self._skip_stack:
            if tag in self._skip_stack:
                while self._skip_stack and self._skip_stack.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_stack:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """All visible text outside navigation, header, footer and consent banners (stdlib only)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def main_text(html: str) -> str:
    """The notice's own text. trafilatura keeps the article (lists and tables included) and drops
    banners, menus and footers; when it keeps much less than the plain visible text (a notice written
    as many short blocks looks like boilerplate to it) the visible text is the safer reading."""
    fallback = visible_text(html)
    try:
        import trafilatura
    except ImportError:  # the product works without it, a little noisier
        return fallback
    extracted = trafilatura.extract(
        html, include_tables=True, include_comments=False, include_links=False, favor_recall=True
    )
    if not extracted or len(extracted) < 0.5 * len(fallback):
        return fallback
    return extracted


# ------------------------------------------------------------------------------------- sentences

# Abbreviations after which a full stop does not end a sentence (EN, NO, SV, DA, DE).
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|no|nr|art|abs|lit|jf|jfr|jf\.|bl\.a|f\.eks|m\.m|mv|ca|dvs|t\.ex|bl\.a|z\.B|S|Nr|Co|Inc|Ltd|St|ref|stk|pkt|org|tlf|tel|vs|kap)\.)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“«(\[]?[A-ZÆØÅÄÖÜ0-9•*-])")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)]|[a-z][.)]|#+)\s+")
_TABLE_OR_BULLET = re.compile(r"^\s*(?:[-*•·|#]|\d{1,2}[.)]\s)")


_WRAP_WIDTH = 70  # a line this long that ends mid-sentence was wrapped, not ended: headings are shorter


def _wrapped_at_full_width(previous: str) -> bool:
    """A hard wrap before a capitalised word ("If a recipient is outside the" / "EU/EEA or ..."): the line
    before (stripped) is as long as a wrapped line, is no heading, and ends mid-sentence on a word. That the
    next line is no heading or bullet either is `_lines`' own test, as for any continuation."""
    return len(previous) >= _WRAP_WIDTH and previous[-1:].isalnum() and not previous.startswith("#")


def _lines(text: str) -> list[str]:
    """Lines with hard wraps undone: a line that starts in lower case, or any line after a full-width line
    that ends mid-sentence, continues the line before (markdown and plain-text notices wrap at ~80
    columns)."""
    lines: list[str] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            lines.append("")
            continue
        previous = lines[-1] if lines else ""
        if (
            previous
            and (stripped[0].islower() or _wrapped_at_full_width(previous))
            and not _TABLE_OR_BULLET.match(raw)
            and not previous.endswith((".", "!", "?", ":"))
        ):
            lines[-1] = f"{previous} {stripped}"
        else:
            lines.append(stripped)
    return [line for line in lines if line]


def sentences(text: str) -> list[str]:
    """Lines first (list items and headings are units of their own), then sentence ends inside a line.
    Markdown bullets, heading marks and emphasis are dropped."""
    result: list[str] = []
    for raw_line in _lines(text):
        line = _BULLET.sub("", raw_line).replace("**", "").strip()
        if not line:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            candidate = line[start : match.start()].strip()
            if _ABBREVIATIONS.search(candidate) or len(candidate) < 3:
                continue
            result.append(candidate)
            start = match.end()
        tail = line[start:].strip()
        if tail:
            result.append(tail)
    return result
