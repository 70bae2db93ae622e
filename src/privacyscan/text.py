"""Text as it enters the evidence: always encodable.

Page text reaches Python from JavaScript, whose strings are UTF-16. A page may hold lone surrogates
(`document.title = 'a\\uD800b'`), and any cut at N UTF-16 units can split a pair; after the JSON bridge
Python sees them as code points U+D800-U+DFFF, which no UTF-8 encoder accepts, so one such title used to
make the whole report unwritable. `clean_text` joins a split pair that arrives as two code points back
into its character and replaces a surrogate that has no partner with U+FFFD, leaving everything else as
it was (control characters are legal in JSON; formats that forbid them handle them themselves).
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """`text` with every surrogate code point resolved: a high+low pair becomes its character, a lone
    one becomes U+FFFD. Strings without surrogates (nearly all) are returned as they are."""
    if not _SURROGATE.search(text):
        return text
    # UTF-16 with surrogatepass writes each surrogate as the code unit it stands for; decoding joins
    # adjacent high+low units into one character and replaces the units that do not pair up.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_value(value: Any) -> Any:
    """`clean_text` on a string, on the strings of a list/tuple and on the string keys and values of a
    dict (one level: nested models clean their own fields when they are validated)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        if any(isinstance(item, str) and _SURROGATE.search(item) for item in value):
            return type(value)(clean_text(item) if isinstance(item, str) else item for item in value)
        return value
    if isinstance(value, dict):
        if any((isinstance(k, str) and _SURROGATE.search(k)) or (isinstance(v, str) and _SURROGATE.search(v))
               for k, v in value.items()):
            return {clean_text(k) if isinstance(k, str) else k: clean_text(v) if isinstance(v, str) else v
                    for k, v in value.items()}
        return value
    return value


def clean_deep(value: Any) -> Any:
    """`clean_text` on every string in a structure of dicts, lists and tuples (a dumped report)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_deep(k): clean_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_deep(item) for item in value)
    return value
