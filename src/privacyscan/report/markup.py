"""HTML building blocks shared by the report's sections. Everything from the scanned site is hostile
input and passes through `esc`."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
