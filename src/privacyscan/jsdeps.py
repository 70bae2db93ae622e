"""Where the pinned npm packages privacyscan reads at run time live (third-party-web's entity data, the
autoconsent rules ...).

`scripts/setup` installs them with `npm ci --prefix vendor/js`, so a checkout finds them in
`vendor/js/node_modules`. A Lambda layer or a container puts them elsewhere and says so with
`PRIVACYSCAN_JS_DIR`, which may name either that `node_modules` folder or the folder holding it.
Callers treat a missing package as "degrade gracefully", never as an error: the product still works
from its own reviewed data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

JS_DIR_ENV = "PRIVACYSCAN_JS_DIR"
# src/privacyscan/jsdeps.py -> the repository root is three levels up.
_REPO_JS_DIR = Path(__file__).resolve().parents[2] / "vendor" / "js"


def js_search_dirs() -> list[Path]:
    """The `node_modules` folders to look in, the environment's first."""
    dirs: list[Path] = []
    configured = os.environ.get(JS_DIR_ENV, "").strip()
    if configured:
        base = Path(configured).expanduser()
        dirs.extend([base / "node_modules", base] if base.name != "node_modules" else [base])
    dirs.append(_REPO_JS_DIR / "node_modules")
    return dirs


def js_package_dir(name: str) -> Path | None:
    """The installed folder of npm package `name` (scoped names like '@duckduckgo/autoconsent' work),
    or None when it is not installed anywhere privacyscan looks."""
    for base in js_search_dirs():
        candidate = base / name
        if (candidate / "package.json").is_file():
            return candidate
    return None


def js_package_version(name: str) -> str | None:
    """The installed version of npm package `name`, from its package.json; None when not installed."""
    folder = js_package_dir(name)
    if folder is None:
        return None
    try:
        return (
            str(json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version") or "")
            or None
        )
    except (OSError, ValueError):
        return None
