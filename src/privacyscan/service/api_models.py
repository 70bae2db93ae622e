"""Request bodies of the sites and scans API (validated before anything is stored or queued)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .sites import Schedule

# One address, as SNS e-mail subscriptions take it (no display name).
EMAIL = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"


class ScanNowBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2048)
    label: str | None = Field(default=None, max_length=200)
    request: dict[str, Any] = Field(default_factory=dict)


class SiteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2048)
    schedule: Schedule | None = None
    label: str | None = Field(default=None, max_length=200)
    notify: str | None = Field(default=None, pattern=EMAIL, max_length=254)
    request: dict[str, Any] = Field(default_factory=dict)


class SitePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schedule: Schedule | None = None
    label: str | None = Field(default=None, max_length=200)
    notify: str | None = Field(default=None, pattern=EMAIL, max_length=254)
    request: dict[str, Any] | None = None
