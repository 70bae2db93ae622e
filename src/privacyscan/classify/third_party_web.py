"""Long-tail enrichment from the npm package `third-party-web` (MIT, Patrick Hulce): a brand name
(entity), optionally a company, and a category for a few thousand third-party domains.

It tells who a host belongs to as a brand, never where the legal entity is established or whether it
is DPF-certified: labels from here carry no country and an `unknown` DPF status. The reviewed catalogue
always wins. When the package is not installed (no `npm ci` yet) every lookup answers None.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from ..jsdeps import js_package_dir, js_package_version
from .model import Category

PACKAGE = "third-party-web"
ENTITIES_FILE = "dist/entities-nostats.json"

# third-party-web's categories onto ours. 'utility', 'content', 'hosting', 'marketing' and 'other' are too
# broad to say which of our purposes applies, so they become `other`.
CATEGORY_MAP: dict[str, Category] = {
    "ad": Category.advertising,
    "analytics": Category.analytics,
    "social": Category.social,
    "video": Category.video,
    "tag-manager": Category.tag_manager,
    "consent-provider": Category.consent_management,
    "cdn": Category.cdn,
    "customer-success": Category.chat,
}


@dataclass(frozen=True)
class PackageEntity:
    name: str
    company: str | None
    category: Category

    @property
    def organisation(self) -> str:
        return self.company or self.name


@dataclass(frozen=True)
class PackageIndex:
    version: str
    exact: dict[str, PackageEntity]
    suffix: dict[str, PackageEntity]

    def lookup(self, host: str) -> PackageEntity | None:
        host = host.lower().strip(".")
        if host in self.exact:
            return self.exact[host]
        labels = host.split(".")
        for start in range(len(labels) - 1):
            found = self.suffix.get(".".join(labels[start:]))
            if found:
                return found
        return None


@lru_cache(maxsize=1)
def package_index() -> PackageIndex | None:
    """The parsed package, or None when it is not installed or unreadable."""
    folder = js_package_dir(PACKAGE)
    if folder is None:
        return None
    try:
        entities = json.loads((folder / ENTITIES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    exact: dict[str, PackageEntity] = {}
    suffix: dict[str, PackageEntity] = {}
    for raw in entities:
        entity = PackageEntity(
            name=str(raw.get("name") or ""),
            company=raw.get("company") or None,
            category=CATEGORY_MAP.get(str(raw.get("category")), Category.other),
        )
        for domain in raw.get("domains") or ():
            domain = str(domain).lower()
            if domain.startswith("*."):
                # `*.example.com` in third-party-web also matches example.com itself.
                suffix.setdefault(domain[2:], entity)
            else:
                exact.setdefault(domain, entity)
    return PackageIndex(js_package_version(PACKAGE) or "unknown", exact, suffix)


def lookup_package_host(host: str) -> PackageEntity | None:
    index = package_index()
    return index.lookup(host) if index else None
