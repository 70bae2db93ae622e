"""Which links and pages are the privacy notice.

Link texts are short, so curated word lists decide (data/notice_patterns.json, 'link_labels'), not a
language detector. The crawler calls `notice_link_score` to put notice links first and to keep those
pages' HTML; `notice_pages` then picks the notice among the crawled pages. Public bodies often split
their notice: a short 'Personvern' page that points to the full statement. Such a stub is read together
with (at most two of) the notice pages it links to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from ..models import Evidence, LinkRecord, PageRecord
from .items import Alternatives, compile_alternatives, notice_patterns
from .text import main_text

STUB_MAX_CHARS = 2500  # a full Art. 13 notice does not fit in less; a stub says "read more here"
MAX_LINKED_PAGES = 2
_LONG_LINK_TEXT = 80  # longer "link texts" are sentences that merely mention privacy


@dataclass(frozen=True)
class _LinkLabels:
    notice: Alternatives
    cookie_policy: Alternatives
    not_a_notice: Alternatives
    url_path: Alternatives
    scores: dict[str, float]


@cache
def _labels() -> _LinkLabels:
    raw = notice_patterns()["link_labels"]
    compiled = {
        name: compile_alternatives(raw[name]["patterns"])
        for name in ("notice", "cookie_policy", "not_a_notice", "url_path")
    }
    assert all(compiled.values())
    return _LinkLabels(
        **compiled,  # type: ignore[arg-type]
        scores={
            name: float(raw[name]["score"])
            for name in ("notice", "cookie_policy", "not_a_notice", "url_path")
        },
    )


def _path_words(url: str) -> str:
    """The URL's path as words ('/om-oss/personvern' -> 'om oss personvern'), host excluded."""
    path = urlsplit(url).path
    return re.sub(r"[/_.\-]+", " ", path)


def notice_link_score(text: str, url: str) -> float:
    """0 for an ordinary link; > 0 for a link that probably leads to a privacy/cookie notice: 1.0 for a
    privacy notice label, 0.8 for a cookie policy, 0.6 when only the URL path says so, 0 for a consent
    settings control. Links that cannot lead to a page (javascript:, mailto:, '#') score 0."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("javascript", "mailto", "tel", "data") or url.strip().startswith("#"):
        return 0.0
    labels = _labels()
    text = " ".join(text.split())
    damp = 0.5 if len(text) > _LONG_LINK_TEXT else 1.0
    path = _path_words(url)
    if text and labels.not_a_notice.search(text):
        return labels.scores["not_a_notice"]
    if text and labels.notice.search(text):
        return labels.scores["notice"] * damp
    if text and labels.cookie_policy.search(text):
        return labels.scores["cookie_policy"] * damp
    if labels.url_path.search(path):
        return labels.scores["url_path"]
    return 0.0


def normalise_url(url: str) -> str:
    """The URL without fragment and trailing slash, for matching links to pages."""
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/") or "/", parts.query, "")
    )


@dataclass(frozen=True)
class NoticePage:
    url: str
    title: str
    text: str
    role: Literal["notice", "stub", "linked"]
    text_source: Literal["html", "text_excerpt"]


@dataclass(frozen=True)
class NoticePages:
    read: list[NoticePage] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)


def _page_text(page: PageRecord) -> tuple[str, Literal["html", "text_excerpt"]]:
    html = getattr(page, "html", None)  # the crawler adds `html` for pages a notice link led to
    if html:
        return main_text(html), "html"
    return page.text_excerpt, "text_excerpt"


def _crawled_pages(evidence: Evidence) -> dict[str, PageRecord]:
    """One record per page across phases, preferring the one with HTML, then the longest text."""
    pages: dict[str, PageRecord] = {}
    for phase in evidence.phases:
        for page in phase.pages:
            if page.error or (page.status or 200) >= 400:
                continue
            key = normalise_url(page.final_url or page.url)
            known = pages.get(key)
            rank = (bool(getattr(page, "html", None)), len(page.text_excerpt))
            if known is None or rank > (bool(getattr(known, "html", None)), len(known.text_excerpt)):
                pages[key] = page
            pages.setdefault(normalise_url(page.url), pages[key])
    return pages


def page_notice_score(page: PageRecord, inbound: list[LinkRecord]) -> float:
    """How sure we are a crawled page is a notice: the best link that led to it, its title, its first
    line (the heading) or its URL path."""
    scores = [notice_link_score(link.text, link.url) for link in inbound]
    first_line = next((line for line in page.text_excerpt.splitlines() if line.strip()), "")
    url = page.final_url or page.url
    for label in (page.title, first_line[:_LONG_LINK_TEXT]):
        if label:
            scores.append(notice_link_score(label, url))
    scores.append(notice_link_score("", url))
    best = max(scores, default=0.0)
    return 0.0 if best <= _labels().scores["not_a_notice"] else best


def notice_pages(evidence: Evidence) -> NoticePages:
    """The pages to read as the notice: the best-scoring notice page, plus, when it is a stub, the notice
    pages it links to. `candidates` lists the other notice-like pages, for the report."""
    pages = _crawled_pages(evidence)
    inbound: dict[str, list[LinkRecord]] = {}
    for page in {id(p): p for p in pages.values()}.values():
        for link in page.links:
            inbound.setdefault(normalise_url(link.url), []).append(link)
    site_root = normalise_url(evidence.site_url)
    scored: list[tuple[float, int, str, PageRecord]] = []
    for key, page in pages.items():
        if key != normalise_url(page.final_url or page.url):
            continue  # an alias of a redirected page
        score = page_notice_score(page, inbound.get(key, []) + inbound.get(normalise_url(page.url), []))
        if score <= 0 or (key == site_root and score < 1.0):
            continue
        scored.append((score, len(page.text_excerpt) + len(getattr(page, "html", None) or ""), key, page))
    if not scored:
        return NoticePages()
    scored.sort(key=lambda entry: (-entry[0], -entry[1], entry[2]))
    _, _, primary_key, primary = scored[0]
    stub_key, stub = _stub_for(primary_key, primary, scored, pages)
    if stub is not None:
        text, source = _page_text(stub)
        read = [NoticePage(stub.final_url or stub.url, stub.title, text, "stub", source)]
        read.extend(_linked_notice_pages(stub, pages, exclude={stub_key}))
    else:
        text, source = _page_text(primary)
        read = [NoticePage(primary.final_url or primary.url, primary.title, text, "notice", source)]
    read_urls = {normalise_url(p.url) for p in read}
    candidates = [page.final_url or page.url for _, _, key, page in scored if key not in read_urls]
    return NoticePages(read=read, candidates=candidates)


def _stub_for(
    primary_key: str,
    primary: PageRecord,
    scored: list[tuple[float, int, str, PageRecord]],
    pages: dict[str, PageRecord],
) -> tuple[str, PageRecord | None]:
    """The stub to read first: the chosen page itself when it is short and links on to notice pages the
    crawl fetched, else a short notice-like page that links to the chosen one."""
    for key, page in [(primary_key, primary)] + [(key, page) for _, _, key, page in scored[1:]]:
        if len(_page_text(page)[0]) >= STUB_MAX_CHARS:
            continue
        targets = {
            normalise_url(link.url)
            for link in page.links
            if notice_link_score(link.text, link.url) >= _labels().scores["url_path"]
        }
        targets &= set(pages) - {key}
        if targets and (key == primary_key or primary_key in targets):
            return key, page
    return primary_key, None


def _linked_notice_pages(
    stub: PageRecord, pages: dict[str, PageRecord], exclude: set[str]
) -> list[NoticePage]:
    """The notice pages a stub links to and the crawl fetched, best label first (at most two)."""
    ranked = sorted(
        ((notice_link_score(link.text, link.url), i, link) for i, link in enumerate(stub.links)),
        key=lambda entry: (-entry[0], entry[1]),
    )
    linked: list[NoticePage] = []
    for score, _, link in ranked:
        key = normalise_url(link.url)
        if score < _labels().scores["url_path"] or key in exclude or key not in pages:
            continue
        exclude.add(key)
        page = pages[key]
        text, source = _page_text(page)
        if text.strip():
            linked.append(NoticePage(page.final_url or page.url, page.title, text, "linked", source))
        if len(linked) == MAX_LINKED_PAGES:
            break
    return linked
