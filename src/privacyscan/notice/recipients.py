"""The cross-check only a scanner can make: does the notice name the recipients the crawl actually saw,
and does it speak of transfers to the third countries those recipients are in?

Pure functions over the notice's sentences and a plain list of `ObservedRecipient`s, so the classifier's
output can be mapped onto them wherever it is produced."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..classify.model import Classification
from ..data import eea_countries
from .items import Alternatives, Searchable, compile_alternatives, item_specs, notice_patterns, quote
from .model import ObservedRecipient, RecipientMention, TransferMention

_LEGAL_SUFFIX = re.compile(
    r"[,.]?\s+(?:inc|llc|ltd|limited|gmbh|ag|as|asa|ab|a/s|aps|bv|b\.v|sa|sas|srl|plc|corp|corporation|co|"
    r"company|holdings?|group|ireland|international|platforms|technologies|europe|emea|\(.*?\))\.?$",
    re.IGNORECASE,
)


def organisation_names(recipient: ObservedRecipient) -> list[str]:
    """The names a notice might use: the organisation without legal suffixes, the catalogue's aliases,
    the curated brand aliases, and the registrable part of each host ('hotjar' from static.hotjar.com)."""
    name = recipient.organisation.strip()
    while True:
        shorter = _LEGAL_SUFFIX.sub("", name).strip()
        if shorter == name or not shorter:
            break
        name = shorter
    names = [recipient.organisation, name, *recipient.aliases]
    aliases: dict[str, list[str]] = {
        k: v for k, v in notice_patterns()["organisation_aliases"].items() if not k.startswith("_")
    }
    for brand, brand_names in aliases.items():
        if brand.lower() in (name.lower(), recipient.organisation.lower()) or name.lower() in brand_names:
            names.extend(brand_names)
    for host in recipient.hosts:
        labels = host.lower().split(".")
        if len(labels) >= 2 and len(labels[-2]) > 3:
            names.append(labels[-2].replace("-", " "))
    unique: list[str] = []
    for candidate in names:
        if candidate and len(candidate) >= 2 and candidate.lower() not in (u.lower() for u in unique):
            unique.append(candidate)
    return unique


@cache
def _country_pattern(country: str) -> Alternatives | None:
    return compile_alternatives(notice_patterns()["third_country_names"].get(country, []))


def _first_hit(pattern: Searchable, sentences: Sequence[str]) -> str | None:
    return next((quote(s, pattern) for s in sentences if pattern.search(s)), None)


def recipient_mentions(
    sentences: Sequence[str], observed: Sequence[ObservedRecipient]
) -> list[RecipientMention]:
    """For each observed organisation, whether the notice names it (or one of its brands)."""
    mentions = []
    for recipient in observed:
        names = organisation_names(recipient)
        pattern = re.compile(
            "|".join(r"(?<!\w)" + r"\s+".join(map(re.escape, n.split())) + r"(?!\w)" for n in names),
            re.IGNORECASE,
        )
        hit = _first_hit(pattern, sentences)
        mentions.append(
            RecipientMention(
                organisation=recipient.organisation,
                country=recipient.country,
                hosts=list(recipient.hosts),
                named=hit is not None,
                quote=hit,
            )
        )
    return mentions


def transfer_mentions(
    sentences: Sequence[str], observed: Sequence[ObservedRecipient]
) -> list[TransferMention]:
    """For each non-EEA country the crawl saw a recipient in: does the notice name the country or speak
    of third-country transfers at all, and does it claim that nothing leaves the EU/EEA?"""
    transfer_item = next(spec for spec in item_specs() if spec.key == "third_country_transfers")
    general = transfer_item.signals["transfer"]
    denial = transfer_item.signals["transfer_denied"]
    by_country: dict[str, list[str]] = {}
    for recipient in observed:
        country = (recipient.country or "").upper()
        if (
            country
            and country not in eea_countries()
            and recipient.organisation not in by_country.setdefault(country, [])
        ):
            by_country[country].append(recipient.organisation)
    denied_quote = _first_hit(denial, sentences)
    results = []
    for country, organisations in sorted(by_country.items()):
        named = _country_pattern(country)
        country_quote = _first_hit(named, sentences) if named else None
        general_quote = next(
            (quote(s, general) for s in sentences if general.search(s) and not denial.search(s)), None
        )
        hit = country_quote or general_quote
        results.append(
            TransferMention(
                country=country,
                organisations=organisations,
                mentioned=hit is not None,
                denied=denied_quote is not None and country_quote is None,
                quote=hit or denied_quote,
            )
        )
    return results


def observed_recipients(classification: Classification) -> list[ObservedRecipient]:
    """Known third-party recipients over all phases, merged by organisation, for the notice cross-check."""
    merged: dict[str, ObservedRecipient] = {}
    for phase in classification.phases:
        for recipient in phase.recipients:
            if not recipient.organisation:
                continue
            found = merged.get(recipient.organisation)
            if found is None:
                merged[recipient.organisation] = ObservedRecipient(
                    organisation=recipient.organisation,
                    country=recipient.jurisdiction.country,
                    hosts=list(recipient.hosts),
                    aliases=list(recipient.aliases),
                )
                continue
            found.hosts.extend(h for h in recipient.hosts if h not in found.hosts)
            found.aliases.extend(a for a in recipient.aliases if a not in found.aliases)
    return sorted(merged.values(), key=lambda r: r.organisation)
