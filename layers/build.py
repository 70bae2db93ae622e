#!/usr/bin/env python3
"""Builds the Lambda layers without Docker, from the npm and PyPI registries (Lambda runs Amazon Linux
2023 with python3.12 on x86_64; the wheels are chosen for that, not for this machine).

  python layers/build.py all                  both layers into build/lambda-layers/<key>/ (cached)
  python layers/build.py chromium OUT_DIR     the Chromium layer's content into OUT_DIR (sam build: Makefile)
  python layers/build.py privacyscan OUT_DIR  the Python layer's content into OUT_DIR
  python layers/build.py sizes                unzipped sizes of the cached layers and the scan function

Chromium layer (/opt/chromium): bin/*.br of the pinned `@sparticuz/chromium` (layers/chromium/
package-lock.json) and a manifest with each part's unpacked size (for the free-space check at cold start).
Python layer: /opt/python (privacyscan and its dependencies, minus boto3/botocore/s3transfer, which the
runtime provides, and minus Playwright's Node binary), /opt/privacyscan-node/node.br (that Node,
brotli-compressed; unpacked to /tmp and named by PLAYWRIGHT_NODEJS_PATH) and /opt/privacyscan-js (the
pinned npm data packages of vendor/js; PRIVACYSCAN_JS_DIR).

A build is cached under build/lambda-layers/<key>, the key being a digest of every input (this script,
pyproject.toml, both npm lock files): CI rebuilds only when one of them changes.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "lambda-layers"
CHROMIUM_PACKAGE_DIR = ROOT / "layers" / "chromium"
INPUTS = (Path(__file__), ROOT / "pyproject.toml", CHROMIUM_PACKAGE_DIR / "package-lock.json",
          ROOT / "vendor" / "js" / "package-lock.json")
# Lambda's python3.12 runtime: Amazon Linux 2023, glibc 2.34, x86_64.
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64")
PYTHON_VERSION = "3.12"
# The runtime ships these (and keeps them patched); a bundled copy would only cost space.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")
CHROMIUM_PARTS = {"chromium": "chromium.br", "swiftshader": "swiftshader.tar.br", "al2023": "al2023.tar.br",
                  "fonts": "fonts.tar.br"}
# Brotli quality for Node: 5 packs 144 MB to ~41 MB in ~11 s; 9 saves 2.5 MB more but takes ~4 min.
NODE_QUALITY = 5
LAMBDA_LIMIT_BYTES = 262_144_000  # function + layers, unzipped
# The files of vendor/js that privacyscan reads (classify.third_party_web, crawl.consent.autoconsent) and
# their licences; the rest of those packages (tests, other builds: ~20 MB) would only eat the size limit.
# tests/lambda/test_layer_size.py loads both from the built layer, so a new file read there shows up.
JS_KEEP = {
    "@duckduckgo/autoconsent": ("package.json", "LICENSE", "dist/autoconsent.playwright.js", "rules/rules.json"),
    "third-party-web": ("package.json", "LICENSE", "dist/entities-nostats.json"),
}


def log(message: str) -> None:
    print(f"[layers] {message}", file=sys.stderr, flush=True)


def run(*cmd: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(c) for c in cmd], cwd=cwd, check=True)


def cache_key() -> str:
    digest = hashlib.sha256()
    for path in INPUTS:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:16]


def tree_bytes(path: Path) -> int:
    """What the folder takes unzipped (files only; symlinks count once, as the zip stores them once)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _unpacked_bytes(archive: Path) -> int:
    data = brotli.decompress(archive.read_bytes())
    if archive.name.endswith(".tar.br"):
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            return sum(m.size for m in tar.getmembers() if m.isfile())
    return len(data)


# ---------------------------------------------------------------- Chromium layer
def build_chromium(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-npm-") as tmp:
        work = Path(tmp)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(CHROMIUM_PACKAGE_DIR / name, work / name)
        log("npm ci @sparticuz/chromium (pinned by layers/chromium/package-lock.json)")
        run("npm", "ci", "--ignore-scripts", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error", cwd=work)
        package = work / "node_modules" / "@sparticuz" / "chromium"
        version = json.loads((package / "package.json").read_text())["version"]
        target = out / "chromium"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        parts = {}
        for part, name in CHROMIUM_PARTS.items():
            shutil.copy2(package / "bin" / name, target / name)
            parts[part] = {"archive": name, "packed_bytes": (target / name).stat().st_size,
                           "unpacked_bytes": _unpacked_bytes(target / name)}
        (target / "manifest.json").write_text(json.dumps(
            {"package": "@sparticuz/chromium", "version": version, "arch": "x86_64", "parts": parts}, indent=2))
    log(f"Chromium layer: {tree_bytes(out) / 1e6:.1f} MB in {out}")


# ---------------------------------------------------------------- Python layer
def _requirements() -> list[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return [d for d in deps if d.split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip().lower()
            not in RUNTIME_PROVIDED]


def _pip(*args: str | Path) -> None:
    run(sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args)


def build_privacyscan(out: Path) -> None:
    target = out / "python"
    shutil.rmtree(out, ignore_errors=True)
    target.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="privacyscan-wheels-") as tmp:
        wheels = Path(tmp)
        log("building the privacyscan wheel")
        _pip("wheel", "--no-deps", "-w", wheels, ROOT)
        platform_args: list[str] = []
        for platform in PLATFORMS:
            platform_args += ["--platform", platform]
        log(f"pip download for cp{PYTHON_VERSION.replace('.', '')} manylinux x86_64 (no boto3/botocore)")
        _pip("download", "-d", wheels, *platform_args, "--only-binary=:all:", "--python-version", PYTHON_VERSION,
             "--implementation", "cp", *_requirements())
        own = next(wheels.glob("privacyscan-*.whl"))
        _pip("install", "--no-index", "--find-links", wheels, "--target", target, *platform_args,
             "--only-binary=:all:", "--python-version", PYTHON_VERSION, "--implementation", "cp",
             "--no-compile", "--no-warn-conflicts", *_requirements())
        _pip("install", "--no-index", "--no-deps", "--target", target, "--no-compile", "--no-warn-conflicts", own)
    for name in RUNTIME_PROVIDED:  # in case a dependency pulled one in after all
        for path in target.glob(f"{name}*"):
            shutil.rmtree(path, ignore_errors=True)
    for cache_dir in list(target.rglob("__pycache__")):
        shutil.rmtree(cache_dir, ignore_errors=True)
    shutil.rmtree(target / "bin", ignore_errors=True)

    node = target / "playwright" / "driver" / "node"
    node_dir = out / "privacyscan-node"
    node_dir.mkdir()
    log(f"compressing Playwright's Node ({node.stat().st_size / 1e6:.0f} MB, brotli quality {NODE_QUALITY})")
    data = node.read_bytes()
    (node_dir / "node.br").write_bytes(brotli.compress(data, quality=NODE_QUALITY, lgwin=24))
    (node_dir / "manifest.json").write_text(json.dumps(
        {"parts": {"node": {"archive": "node.br", "unpacked_bytes": len(data),
                            "packed_bytes": (node_dir / "node.br").stat().st_size}}}, indent=2))
    node.unlink()

    with tempfile.TemporaryDirectory(prefix="vendor-js-") as tmp:
        work = Path(tmp)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(ROOT / "vendor" / "js" / name, work / name)
        log("npm ci vendor/js (data packages read at run time)")
        run("npm", "ci", "--ignore-scripts", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error", cwd=work)
        for package, files in JS_KEEP.items():
            for name in files:
                source = work / "node_modules" / package / name
                if source.is_file():
                    target_file = out / "privacyscan-js" / "node_modules" / package / name
                    target_file.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target_file)
    log(f"Python layer: {tree_bytes(out) / 1e6:.1f} MB in {out}")


# ---------------------------------------------------------------- cache, sizes
def cached_build() -> Path:
    """build/lambda-layers/<key>/{chromium,privacyscan}: built once per set of inputs. Several test workers
    may ask at once: one builds under an exclusive lock while the others wait, then all read the result."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _cached_build_locked()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _cached_build_locked() -> Path:
    folder = CACHE / cache_key()
    done = folder / ".complete"
    if done.is_file():
        log(f"cached: {folder}")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    build_chromium(folder / "chromium")
    build_privacyscan(folder / "privacyscan")
    done.write_text("")
    for stale in CACHE.iterdir():  # keep one build: the cache is a convenience, not an archive
        if stale != folder and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    return folder


def sizes(folder: Path) -> dict[str, int]:
    function_dir = ROOT / "functions" / "scan"
    result = {
        "chromium_layer": tree_bytes(folder / "chromium"),
        "privacyscan_layer": tree_bytes(folder / "privacyscan"),
        "scan_function": tree_bytes(function_dir) if function_dir.is_dir() else 0,
    }
    result["total"] = sum(result.values())
    return result


def copy_into(source: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, out / item.name, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(item, out / item.name)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "all"
    if command == "all":
        print(cached_build())
    elif command in ("chromium", "privacyscan") and len(argv) == 2:
        # sam build (Makefile): the cached build, copied into the artefacts folder SAM zips.
        copy_into(cached_build() / command, Path(argv[1]))
    elif command == "sizes":
        measured = sizes(cached_build())
        for name, value in measured.items():
            print(f"{name:>18}: {value:>11,} bytes ({value / 1e6:6.1f} MB)")
        print(f"{'limit':>18}: {LAMBDA_LIMIT_BYTES:>11,} bytes")
        return 0 if measured["total"] <= LAMBDA_LIMIT_BYTES else 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main(sys.argv[1:]))
