"""The layers `sam build` ships: built from the pinned npm package and PyPI wheels for Lambda's python3.12
(cached under build/lambda-layers, keyed on the inputs), and with the scan function within Lambda's
250 MB unzipped limit. Also: what the Python layer must and must not contain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privacyscan.jsdeps import js_package_dir

from .conftest import layer_build

pytestmark = getattr(pytest.mark, "lambda")  # `lambda` is a keyword
LIMIT = 262_144_000  # function + all its layers, unzipped


def test_function_and_layers_fit_lambdas_unzipped_limit(built_layers: Path):
    build = layer_build()
    sizes = build.sizes(built_layers)
    for name, value in sizes.items():
        print(f"{name:>18}: {value:>11,} bytes ({value / 1e6:6.1f} MB)")
    assert build.LAMBDA_LIMIT_BYTES == LIMIT
    assert sizes["total"] == sizes["chromium_layer"] + sizes["privacyscan_layer"] + sizes["scan_function"]
    assert sizes["chromium_layer"] > 60e6 and sizes["privacyscan_layer"] > 60e6  # really built, not empty
    assert sizes["total"] <= LIMIT, f"function + layers unzipped: {sizes['total']:,} bytes > {LIMIT:,}"


def test_the_size_measure_counts_every_file(tmp_path: Path):
    """The decoy for the limit above: a folder over the limit is measured as over it."""
    build = layer_build()
    (tmp_path / "a").mkdir()
    with (tmp_path / "a" / "big").open("wb") as f:
        f.truncate(LIMIT + 1)  # sparse: no disk used, but this is what unzipping would write
    (tmp_path / "b").write_bytes(b"x" * 10)
    assert build.tree_bytes(tmp_path) == LIMIT + 11


def test_chromium_layer_is_the_pinned_package(built_layers: Path):
    lock = json.loads((layer_build().CHROMIUM_PACKAGE_DIR / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/@sparticuz/chromium"]["version"]
    manifest = json.loads((built_layers / "chromium" / "chromium" / "manifest.json").read_text())
    assert manifest["version"] == pinned and manifest["arch"] == "x86_64"
    for part in manifest["parts"].values():
        assert (built_layers / "chromium" / "chromium" / part["archive"]).stat().st_size == part["packed_bytes"]
        assert part["unpacked_bytes"] > part["packed_bytes"]


def test_python_layer_is_for_lambdas_python_and_leaves_out_what_the_runtime_has(built_layers: Path):
    python = built_layers / "privacyscan" / "python"
    names = {p.name.lower() for p in python.iterdir()}
    for provided in ("boto3", "botocore", "s3transfer"):
        assert not any(n == provided or n.startswith(provided + "-") for n in names), provided
    # Every runtime dependency of privacyscan is there (the runtime's boto3 excepted) ...
    for requirement in layer_build()._requirements():
        name = requirement.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower().replace("-", "_")
        assert any(n.startswith(name + "-") and n.endswith(".dist-info") for n in names), requirement
    assert (python / "privacyscan" / "crawl" / "capture.js").is_file()  # package data too
    # ... built for CPython 3.12 on manylinux x86_64, whatever this machine runs.
    compiled = [p.name for p in (python / "pydantic_core").glob("*.so")]
    assert compiled and all("cpython-312-x86_64-linux-gnu" in n for n in compiled)
    # Playwright without its 144 MB Node: that travels brotli-packed beside it.
    assert not (python / "playwright" / "driver" / "node").exists()
    assert (python / "playwright" / "driver" / "package" / "cli.js").is_file()
    node = built_layers / "privacyscan" / "privacyscan-node"
    node_manifest = json.loads((node / "manifest.json").read_text())["parts"]["node"]
    assert (node / "node.br").stat().st_size == node_manifest["packed_bytes"] < node_manifest["unpacked_bytes"] / 3


def test_python_layer_carries_the_js_data_privacyscan_reads(built_layers: Path, monkeypatch):
    from privacyscan.classify import third_party_web
    from privacyscan.crawl.consent import autoconsent

    monkeypatch.setenv("PRIVACYSCAN_JS_DIR", str(built_layers / "privacyscan" / "privacyscan-js"))
    for loader in (third_party_web.package_index, autoconsent.load_autoconsent):
        loader.cache_clear()
    try:
        index, rules = third_party_web.package_index(), autoconsent.load_autoconsent()
        assert index is not None and len(index.exact) + len(index.suffix) > 1000
        assert rules is not None and len(rules.rules) > 100 and rules.script
        for package in ("third-party-web", "@duckduckgo/autoconsent"):  # read from the layer, not the checkout
            assert js_package_dir(package).is_relative_to(built_layers)
    finally:
        for loader in (third_party_web.package_index, autoconsent.load_autoconsent):
            loader.cache_clear()
