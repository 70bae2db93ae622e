"""The pipeline's imports point one way: crawl -> classify -> (notice, forms) -> check -> report -> store, with
the shared vocabulary (`models`) and neutral helpers at the bottom and the front doors at the top. These
tests read the source (no imports executed) and fail when a lower layer reaches up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "privacyscan"

BASE = {"models", "urls", "netguard", "settings", "jsdeps", "data", "text", "rules", "wording", "__init__"}
# What each part of the package may import from privacyscan (besides itself). Parts not listed here are
# front doors and composition (cli, pipeline, usecase, service, demo ...) and may import anything.
ALLOWED: dict[str, set[str]] = {
    "models": {"text"},
    "urls": {"text"},
    "text": set(),
    "data": set(),
    "jsdeps": set(),
    "netguard": {"urls"},
    "rules": {"models", "data", "text"},
    # A finding's words in every language: the Wording model and the finding-text catalogues.
    "wording": {"models", "text"},
    "settings": BASE,
    # Unpacking the Lambda layer's Chromium is plumbing below the crawl: it imports nothing of ours.
    "lambda_chromium": set(),
    "crawl": BASE | {"lambda_chromium"},
    "classify": BASE,
    "notice": BASE | {"classify"},
    "forms": BASE | {"classify"},
    "check": BASE | {"classify", "notice", "forms"},
    "gate": {"models", "rules", "data", "text", "wording"},
    "report": BASE | {"classify", "notice", "forms", "check", "gate"},
    "store": BASE | {"report", "gate"},
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    return relative.parts[0]


def _imported_parts(path: Path) -> set[tuple[str, int]]:
    """(top-level part of privacyscan, line) for every import of privacyscan in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = list(path.relative_to(PACKAGE).parent.parts)
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:  # `from .. import x` at the package root names modules
                    found.update((alias.name, node.lineno) for alias in node.names)
                    continue
                found.add((target[0], node.lineno))
            elif node.module and node.module.split(".")[0] == "privacyscan":
                parts = node.module.split(".")
                found.add((parts[1] if len(parts) > 1 else "__init__", node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "privacyscan":
                    found.add((parts[1] if len(parts) > 1 else "__init__", node.lineno))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_lower_layers_never_import_higher_ones(path: Path) -> None:
    part = _part(path)
    if part not in ALLOWED:
        return
    allowed = ALLOWED[part] | {part}
    wrong = sorted((target, line) for target, line in _imported_parts(path) if target not in allowed)
    assert not wrong, f"{path.relative_to(PACKAGE)} ({part}) imports {wrong}; allowed: {sorted(allowed)}"


def test_the_rules_above_hold_for_the_known_offenders_of_the_past() -> None:
    """The decoy check for this test itself: a reach upwards is detected, sideways within a part is not."""
    crawl = {t for t, _ in _imported_parts(PACKAGE / "crawl" / "crawler.py")}
    assert "models" in crawl and not crawl & {"check", "notice", "classify", "report"}
    models = {t for t, _ in _imported_parts(PACKAGE / "models.py")}
    assert models == {"text"}
    report_model = {t for t, _ in _imported_parts(PACKAGE / "report" / "model.py")}
    assert {"classify", "notice", "models"} <= report_model


def _function_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                own_relative = isinstance(inner, ast.ImportFrom) and inner.level > 0
                own_absolute = isinstance(inner, ast.ImportFrom | ast.Import) and any(
                    name.startswith("privacyscan")
                    for name in ([inner.module or ""] if isinstance(inner, ast.ImportFrom) else
                                 [a.name for a in inner.names])
                )
                if own_relative or own_absolute:
                    lines.append(inner.lineno)
    return lines


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_privacyscan_inside_a_function(path: Path) -> None:
    """An import hidden in a function hides a cycle; with the layers above there is none to hide."""
    assert _function_imports(path) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_error_is_swallowed_around_privacyscan_imports(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        catches_import_error = any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        )
        own = [n for n in node.body if isinstance(n, ast.ImportFrom) and (n.level or (n.module or "").startswith("privacyscan"))]
        assert not (catches_import_error and own), f"{path.name}:{node.lineno} hides a broken privacyscan import"
