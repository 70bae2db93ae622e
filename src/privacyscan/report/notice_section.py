"""The privacy notice as a checklist: the 13 items of GDPR Art. 13, each with the notice's own words."""

from __future__ import annotations

from ..models import Wording
from ..urls import display_url
from .i18n import Messages
from .markup import environment, safe_href
from .model import ScanReport


def notice_view(t: Messages, report: ScanReport) -> dict | None:
    notice = report.privacy_notice
    if notice is None:
        return None
    css = {"present": "ok", "absent": "missing", "not_applicable": ""}
    return {
        "found": notice.found,
        "language": notice.language,
        "documents": [
            {"url": display_url(d.url), "href": safe_href(d.url), "role": t.enum("notice.role", d.role)}
            for d in notice.documents
        ],
        "checklist": [
            {"number": i.number, "title": t.enum("notice.title", i.key) if t.has(f"notice.title.{i.key}") else i.title, "status": t.enum("notice", i.status), "css": css[i.status.value],
             "quotes": i.quotes[:2], "law": _law(t, i.key, i.law)}
            for i in notice.items
        ],
    }


def _law(t: Messages, key: str, english: str) -> str:
    """What the law asks for an item, in the report's language (the finding texts word it for the
    `privacy_notice_item_missing` explanation, starting in lower case)."""
    if t.lang == "en":
        return english
    law = t.words(Wording(key=f"notice_item.law.{key}"), english)
    return law[:1].upper() + law[1:]


def notice_section(report: ScanReport, lang: str | None = None) -> str:
    t = Messages(lang)
    return environment().get_template("notice.html.j2").render(t=t, notice=notice_view(t, report))
