"""Who receives what a form sends: the host its action (or the frame it lives in, or the embed that
drives it) points to, and the organisation and country behind that host.

The vendor catalogue (classify) is asked first, through a lookup the check stage hands in; the hosted
form services in data/form_processors.json are known even without it, and anything else is named by
its registrable domain."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, Protocol
from urllib.parse import urlsplit

from ..data import eea_countries
from ..models import FormRecord
from ..urls import registrable_domain

UNKNOWN_ORGANISATION = "unknown organisation"


class HostFacts(Protocol):
    """What the classify stage knows about a host (its `HostLabel`); any object with these will do."""

    @property
    def organisation(self) -> str | None: ...

    @property
    def country(self) -> str | None: ...


HostLookup = Callable[[str], HostFacts | None]
"""host -> the classifier's label for it, or None when the catalogue does not know the host."""


@dataclass(frozen=True)
class FormProcessor:
    """A hosted form service (data/form_processors.json)."""

    service: str
    organisation: str
    country: str
    action_hosts: tuple[str, ...]
    frame_hosts: tuple[str, ...]
    markers: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Recipient:
    """The organisation a form's data goes to, and how privacyscan knows."""

    host: str
    url: str
    via: Literal["action", "frame", "embed marker"]
    organisation: str
    country: str | None
    known_from: Literal["vendor catalogue", "form services list", "domain name only"]
    service: str | None = None

    @property
    def in_eea(self) -> bool | None:
        """True/False when the country is known, None when it is not."""
        return None if not self.country else self.country.upper() in eea_countries()

    @property
    def where(self) -> str:
        return self.country or "an unknown country"


@lru_cache(maxsize=1)
def form_processors() -> tuple[FormProcessor, ...]:
    raw = resources.files("privacyscan").joinpath("data/form_processors.json").read_text(encoding="utf-8")
    return tuple(
        FormProcessor(
            service=p["service"],
            organisation=p["organisation"],
            country=p["country"],
            action_hosts=tuple(p["action_hosts"]),
            frame_hosts=tuple(p["frame_hosts"]),
            markers=tuple(p["markers"]),
            source=p["source"],
        )
        for p in json.loads(raw)["processors"]
    )


def _url_matches(url: str, host_pattern: str) -> bool:
    """'list-manage.com' matches any host under it; 'docs.google.com/forms' only URLs under that path."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    pattern_host, _, pattern_path = host_pattern.lower().partition("/")
    if host != pattern_host and not host.endswith("." + pattern_host):
        return False
    return not pattern_path or (parts.path or "/").lower().startswith("/" + pattern_path)


def processor_for_url(url: str, *, as_frame: bool = False) -> FormProcessor | None:
    """The hosted form service a form action (or, with as_frame, a frame URL) belongs to."""
    for processor in form_processors():
        hosts = processor.frame_hosts if as_frame else processor.action_hosts
        if any(_url_matches(url, h) for h in hosts):
            return processor
    return None


def processor_for_markers(form: FormRecord) -> FormProcessor | None:
    """A hosted form service recognised by the id/class/data-* attributes its embed code writes
    (HubSpot's `hsForm_<guid>`, Mailchimp's `mc-embedded-subscribe-form`)."""
    haystack = " ".join([form.selector, *(f"{k}={v}" for k, v in form.attributes.items())]).lower()
    for processor in form_processors():
        if any(marker.lower() in haystack for marker in processor.markers):
            return processor
    return None


def name_recipient(
    url: str,
    via: Literal["action", "frame", "embed marker"],
    lookup: HostLookup | None,
    processor: FormProcessor | None = None,
) -> Recipient:
    """Name the organisation behind `url`: the catalogue's answer first, then the form services list,
    then the registrable domain with 'unknown organisation'."""
    host = (urlsplit(url).hostname or "").lower()
    processor = processor or processor_for_url(url) or processor_for_url(url, as_frame=True)
    label = lookup(host) if lookup else None
    if label is not None and label.organisation:
        return Recipient(
            host=host,
            url=url,
            via=via,
            organisation=label.organisation,
            country=label.country or (processor.country if processor else None),
            known_from="vendor catalogue",
            service=processor.service if processor else None,
        )
    if processor is not None:
        return Recipient(
            host=host,
            url=url,
            via=via,
            organisation=processor.organisation,
            country=processor.country,
            known_from="form services list",
            service=processor.service,
        )
    return Recipient(
        host=host,
        url=url,
        via=via,
        organisation=f"{UNKNOWN_ORGANISATION} ({registrable_domain(host)})",
        country=None,
        known_from="domain name only",
    )
