"""What every rule sees: the evidence and the outputs of the stages between crawl and check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..classify.model import Classification
from ..models import Evidence, Finding
from ..notice.model import NoticeAssessment
from .trackers import TrackerView


@dataclass(frozen=True)
class CheckContext:
    """What every rule sees: the evidence and the outputs of the stages between crawl and check, each
    computed once by the pipeline and passed in; no rule recomputes a stage.

    `classification` is required: every scan is classified, even one that could not look (its crawl-health
    rules then see an empty classification). `privacy_notice` is None when the notice stage did not run,
    which is the case for a scan that could not look at the site (only the crawl-health rules run then);
    the privacy-notice rules read None as "nothing to say", never as "no notice"."""

    evidence: Evidence
    classification: Classification
    privacy_notice: NoticeAssessment | None = None

    @cached_property
    def trackers(self) -> TrackerView:
        """The classification read as "which request, cookie or key is a tracker", built once per scan."""
        return TrackerView.from_classification(self.classification)


Rule = Callable[[CheckContext], list[Finding]]
