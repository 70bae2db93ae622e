"""Building blocks shared by the report formats. Everything from the scanned site is hostile input:
`esc` for HTML text, `css_string` for a CSS string literal, `md_text` for Markdown."""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..models import Phase
from .i18n import Messages

MAX_IMAGE_BYTES = 1_500_000  # one screenshot; a larger one is linked, not embedded
MAX_EMBEDDED_BYTES = 12_000_000  # the whole file stays something one can e-mail


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def css_string(value: object) -> str:
    """A quoted CSS string with every character but ASCII letters and digits as a six-digit hex escape: no quote,
    backslash, newline or `</style>` can leave it."""
    text = "" if value is None else str(value)
    return '"' + "".join(c if c.isalnum() and c.isascii() else f"\\{ord(c):06x}" for c in text) + '"'


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")  # inline markup; block markup needs a line start


def md_text(value: object) -> str:
    """Text for Markdown (GitHub and GitLab comments): markup characters escaped, no raw HTML, one line."""
    text = " ".join(("" if value is None else str(value)).split())
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("privacyscan.report", "templates"),
        autoescape=True,  # every template, whatever its name: site text is hostile
        # the same escaping as `esc` everywhere (quotes as &quot;), and None prints as nothing
        finalize=lambda value: value if isinstance(value, Markup) else Markup(esc(value)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def safe_href(url: str | None) -> str | None:
    """A link only for http(s) URLs: `javascript:` or `data:` from a site never becomes a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


class ImageEmbedder:
    """Screenshots from the scan folder as data: URIs, within a byte budget; None when a file is not there
    (a report re-rendered without its artefacts links them instead)."""

    def __init__(self, artefacts: Path | None) -> None:
        self.root = artefacts.resolve() if artefacts else None
        self.spent = 0
        self._cache: dict[str, str | None] = {}

    def data_uri(self, relative: str | None) -> str | None:
        if not relative or self.root is None:
            return None
        if relative in self._cache:
            return self._cache[relative]
        path = (self.root / relative).resolve()
        uri = None
        # a screenshot path comes from report.json: never read outside the scan folder
        if path.is_relative_to(self.root) and path.is_file():
            size = path.stat().st_size
            if size <= MAX_IMAGE_BYTES and self.spent + size <= MAX_EMBEDDED_BYTES:
                mime = mimetypes.guess_type(path.name)[0] or "image/jpeg"
                if mime in ("image/jpeg", "image/png", "image/webp"):
                    uri = f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"
                    self.spent += size
        self._cache[relative] = uri
        return uri


def relative_link(path: str | None) -> str | None:
    """A screenshot's path as a relative link beside report.html (only plain relative paths)."""
    if not path or path.startswith(("/", "\\")) or ".." in path or ":" in path:
        return None
    return path


@dataclass
class Image:
    src: str
    caption: str


def phases_text(t: Messages, phases: list[Phase]) -> str:
    return ", ".join(t.enum("phase", p) for p in phases) or t("unknown")


