"""The privacy notice: find it among the crawled pages and check what GDPR Art. 13 requires of it.

Entry points:
- `assess_privacy_notice(evidence, classification) -> NoticeAssessment`: the stage, pure.
- `notice_link_score(text, url)`: how strongly a link (or a page title) says "privacy notice"; the
  pipeline hands it to the crawler, which visits such links first.
"""

from __future__ import annotations

from .assess import assess_notice_text, assess_privacy_notice
from .locate import notice_link_score
from .model import NoticeAssessment, ObservedRecipient
from .recipients import observed_recipients

__all__ = [
    "NoticeAssessment",
    "ObservedRecipient",
    "assess_notice_text",
    "assess_privacy_notice",
    "notice_link_score",
    "observed_recipients",
]
