"""The stage's entry points: from the crawl's evidence (or a notice's text) to a `NoticeAssessment`."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Evidence
from .items import assess_items
from .locate import NoticePage, notice_pages
from .model import NoticeAssessment, NoticeDocument, ObservedRecipient
from .recipients import recipient_mentions, transfer_mentions
from .text import detect_language, main_text, sentences


def assess_notice_text(
    text: str,
    *,
    url: str = "",
    title: str = "",
    language: str | None = None,
    observed_recipients: Sequence[ObservedRecipient] = (),
    consent_relied_on: bool = False,
) -> NoticeAssessment:
    """Assess one notice given as plain text (already extracted from its page)."""
    document = NoticeDocument(url=url, title=title, characters=len(text), text_source="text")
    return _assess([document], [text], language, observed_recipients, consent_relied_on)


def assess_privacy_notice(
    evidence: Evidence, observed_recipients: Sequence[ObservedRecipient] = ()
) -> NoticeAssessment:
    """Find the privacy notice among the crawled pages (a stub and the pages it points to read as one)
    and assess it. `found` is False when no page looks like a notice."""
    pages = notice_pages(evidence)
    consent_relied_on = any(phase.banners for phase in evidence.phases)
    if not pages.read:
        return NoticeAssessment(found=False, candidates=pages.candidates)
    documents = [_document(page) for page in pages.read]
    texts = [page.text for page in pages.read]
    assessment = _assess(documents, texts, None, observed_recipients, consent_relied_on)
    return assessment.model_copy(update={"candidates": pages.candidates})


def _document(page: NoticePage) -> NoticeDocument:
    return NoticeDocument(
        url=page.url,
        title=page.title,
        role=page.role,
        characters=len(page.text),
        text_source=page.text_source,
    )


def _assess(
    documents: list[NoticeDocument],
    texts: list[str],
    language: str | None,
    observed_recipients: Sequence[ObservedRecipient],
    consent_relied_on: bool,
) -> NoticeAssessment:
    combined = "\n\n".join(texts)
    language = language or detect_language(combined)
    notice_sentences = sentences(combined)
    return NoticeAssessment(
        found=bool(combined.strip()),
        documents=documents,
        language=language,
        items=assess_items(notice_sentences, language, consent_relied_on=consent_relied_on),
        recipients=recipient_mentions(notice_sentences, observed_recipients),
        transfers=transfer_mentions(notice_sentences, observed_recipients),
    )


__all__ = ["assess_notice_text", "assess_privacy_notice", "main_text"]
