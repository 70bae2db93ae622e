"""The privacy notice: find it among the crawled pages and check what GDPR Art. 13 requires of it.

The entry points are imported lazily: `privacyscan.models` imports `notice.model`, and the rest of the
package imports `privacyscan.models`, so an eager import here would be a cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assess import assess_notice_text, assess_privacy_notice
    from .locate import notice_link_score
    from .model import NoticeAssessment, ObservedRecipient

_EXPORTS = {
    "assess_notice_text": "assess",
    "assess_privacy_notice": "assess",
    "notice_link_score": "locate",
    "NoticeAssessment": "model",
    "ObservedRecipient": "model",
}

__all__ = [
    "NoticeAssessment",
    "ObservedRecipient",
    "assess_notice_text",
    "assess_privacy_notice",
    "notice_link_score",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
