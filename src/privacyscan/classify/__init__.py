"""Who receives the data: labels for every host and cookie (organisation, country, DPF status,
purpose, party) and the per-phase table of recipients.

Entry points:
- `classify_evidence(evidence) -> Classification`: the stage, pure.
- `lookup_host(host) -> HostLabel | None`: the catalogue's (or package's) answer for one host, for
  checks that meet hosts outside the request log (form actions).
- `observed_recipients(classification) -> list[ObservedRecipient]`: the recipients in the shape the
  privacy-notice cross-check reads.

They are imported lazily: `privacyscan.models` imports `classify.model` (for
`ScanReport.classification`), and the rest of the package imports `privacyscan.models`, so an eager
import here would be a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Classification, HostLabel, Recipient
    from .stage import classify_evidence, lookup_host, observed_recipients

_EXPORTS = {
    "classify_evidence": "stage",
    "lookup_host": "stage",
    "observed_recipients": "stage",
    "Classification": "model",
    "HostLabel": "model",
    "Recipient": "model",
}

__all__ = [
    "Classification",
    "HostLabel",
    "Recipient",
    "classify_evidence",
    "lookup_host",
    "observed_recipients",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
