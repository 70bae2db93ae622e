"""What the privacy-notice stage concludes: which notice pages it read, and for each of the 13 items of
GDPR Art. 13 (plus the source, Art. 14(2)(f)) whether the notice gives it, with the sentences that prove
it. The report renders `items` as a checklist with quotes, so everything here is plain data.
Built on the shared vocabulary's base model."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from ..models import Model

ItemConfidence = Literal["high", "medium", "low"]


class ItemStatus(StrEnum):
    present = "present"
    absent = "absent"
    not_applicable = "not_applicable"


class NoticeItem(Model):
    """One of the 13 information items, as the notice gives it (or does not)."""

    number: int = Field(ge=1, le=13)
    key: str = Field(description="stable name, e.g. 'retention'")
    title: str
    law: str = Field(description="what the law asks, in plain words, with the article")
    status: ItemStatus
    confidence: ItemConfidence = Field(description="same scale as a finding's confidence")
    quotes: list[str] = Field(default_factory=list, description="the notice's sentences that give the item")
    example: str = Field(default="", description="a compliant sentence in the notice's language")
    severity: Literal["low", "medium"] = "medium"


class NoticeDocument(Model):
    """A page read as (part of) the notice."""

    url: str
    title: str = ""
    role: Literal["notice", "stub", "linked"] = Field(
        default="notice", description="'stub': a short page pointing on; 'linked': a page the stub points to"
    )
    characters: int = 0
    text_source: Literal["html", "text_excerpt", "text"] = "text"


class ObservedRecipient(Model):
    """A recipient the crawl saw, as the classifier names it; the input of the cross-check."""

    organisation: str
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 of the organisation, if known")
    hosts: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list, description="brand or product names the catalogue knows")


class RecipientMention(Model):
    """Whether the notice names a recipient the crawl saw."""

    organisation: str
    country: str | None = None
    hosts: list[str] = Field(default_factory=list)
    named: bool
    quote: str | None = None


class TransferMention(Model):
    """Whether the notice speaks of transfers to a third country the crawl saw a recipient in."""

    country: str
    organisations: list[str] = Field(default_factory=list)
    mentioned: bool = Field(description="the notice names the country or speaks of third-country transfers")
    denied: bool = Field(
        default=False, description="the notice says data are not transferred outside the EU/EEA"
    )
    quote: str | None = None


class NoticeAssessment(Model):
    found: bool
    documents: list[NoticeDocument] = Field(default_factory=list)
    language: str | None = Field(default=None, description="nb, nn, en, sv, da or de; None when unknown")
    items: list[NoticeItem] = Field(default_factory=list)
    recipients: list[RecipientMention] = Field(default_factory=list)
    transfers: list[TransferMention] = Field(default_factory=list)
    candidates: list[str] = Field(
        default_factory=list, description="URLs that looked like a notice but were not read"
    )

    def item(self, number: int) -> NoticeItem:
        return next(i for i in self.items if i.number == number)

    @property
    def missing(self) -> list[NoticeItem]:
        return [i for i in self.items if i.status is ItemStatus.absent]
