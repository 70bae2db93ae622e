"""Who receives the data: labels for every host and cookie (organisation, country, DPF status,
purpose, party) and the per-phase table of recipients.

Entry points:
- `classify_evidence(evidence) -> Classification`: the stage, pure.
- `lookup_host(host) -> HostLabel | None`: the catalogue's (or package's) answer for one host, for
  checks that meet hosts outside the request log (form actions).
"""

from __future__ import annotations

from .model import Classification, HostLabel, Recipient
from .stage import classify_evidence, lookup_host

__all__ = ["Classification", "HostLabel", "Recipient", "classify_evidence", "lookup_host"]
