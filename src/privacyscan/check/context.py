"""What every rule sees: the evidence and the outputs of the stages between crawl and check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..classify.model import Classification
from ..models import Evidence, Finding
from ..notice.model import NoticeAssessment


@dataclass(frozen=True)
class CheckContext:
    """What every rule sees: the evidence and the outputs of the stages between crawl and check.
    Each stage adds one typed, optional field here (None when that stage did not run)."""

    evidence: Evidence
    privacy_notice: NoticeAssessment | None = None
    classification: Classification | None = None


Rule = Callable[[CheckContext], list[Finding]]
