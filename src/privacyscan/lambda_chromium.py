"""Headless Chromium and Playwright's Node inside AWS Lambda: unpack the layers to /tmp once per
execution environment.

The Chromium layer carries the brotli-packed Amazon Linux 2023 build of the npm package
`@sparticuz/chromium` (`layers/build.py` puts its `bin/*.br` in `/opt/chromium` with a manifest of the
unpacked sizes). The Python layer carries Playwright without its 144 MB Node binary, which travels
brotli-compressed as `/opt/privacyscan-node/node.br` (Playwright runs the Node named by
`PLAYWRIGHT_NODEJS_PATH`). Together they would not fit Lambda's 250 MB unzipped limit uncompressed.

Layout of the unpacked browser (one folder, so hygiene checks and clean-up can name it):
  <tmp>/privacyscan-chromium/chromium          the binary
  <tmp>/privacyscan-chromium/libGLESv2.so ...  swiftshader, beside the binary: Chromium looks for its GL
                                               libraries there and dies with SIGTRAP after "Failed to load
                                               GLES library" when they are elsewhere
  <tmp>/privacyscan-chromium/al2023/lib        libnss3 & co. for LD_LIBRARY_PATH (Lambda's python3.12
                                               image has no NSS)
  <tmp>/privacyscan-chromium/fonts             fonts.conf (rewritten to name this folder) for FONTCONFIG_PATH
  <tmp>/privacyscan-node/node                  Playwright's driver runtime

Each part is written under a temporary name and renamed when complete, and a marker records the layer's
manifest digest: a warm start (marker present, files present) unpacks nothing; an interrupted cold start
redoes only the missing parts. Imports nothing from privacyscan (the crawl's browser factory uses it).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import brotli

CHROMIUM_DIR = "privacyscan-chromium"
NODE_DIR = "privacyscan-node"
MANIFEST = "manifest.json"
# Room kept free in /tmp beyond the unpacked parts: a scan's profiles, disk cache (capped below) and
# screenshots live there too.
SCAN_HEADROOM_BYTES = 512 * 1024 * 1024
CHUNK = 4 * 1024 * 1024

# @sparticuz/chromium 153.0.0 `Chromium.args` (graphics on: WebGL through SwiftShader, as on a desktop),
# less the flags that change what a site can do, because the scan's evidence must be what a visitor's
# Chrome does:
#   --disable-web-security, --allow-running-insecure-content (cross-origin reads and mixed content a real
#   browser blocks), --no-pings (suppresses <a ping> requests a real browser sends),
#   --enable-features=SharedArrayBuffer (grants SharedArrayBuffer without cross-origin isolation).
# Its --disable-features entries are passed on their own; crawl.browser merges every --disable-features
# into one switch (Chromium keeps only the last).
LAMBDA_CHROMIUM_ARGS: tuple[str, ...] = (
    "--ash-no-nudges",
    "--disable-domain-reliability",
    "--disable-print-preview",
    "--disk-cache-size=33554432",
    "--no-default-browser-check",
    # Lambda forbids what the zygote and sandbox need (prctl(PR_SET_NO_NEW_PRIVS) fails); one process.
    "--single-process",
    "--font-render-hinting=none",
    "--disable-features=AudioServiceOutOfProcess,IsolateOrigins,site-per-process",
    "--ignore-gpu-blocklist",
    "--in-process-gpu",
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-setuid-sandbox",
    "--disable-site-isolation-trials",
    "--headless=shell",  # the package ships chrome-headless-shell only
    "--no-sandbox",
    "--no-zygote",
)
REMOVED_PACKAGE_ARGS = frozenset({
    "--disable-web-security", "--allow-running-insecure-content", "--no-pings",
    "--enable-features=SharedArrayBuffer",
})


class NotEnoughSpace(RuntimeError):
    """/tmp cannot hold the unpacked browser plus a scan: raise the function's ephemeral storage."""


class LayerMissing(RuntimeError):
    """The Chromium layer (or Node archive) is not where the layout says."""


@dataclass(frozen=True)
class LambdaLayout:
    """Where the layers are mounted and where to unpack. Lambda's values by default; tests point both at
    temporary folders (a /opt and a /tmp stand-in)."""

    layer_root: Path = Path("/opt")
    tmp: Path = Path("/tmp")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> LambdaLayout:
        return cls(layer_root=Path(environ.get("PRIVACYSCAN_LAYER_ROOT") or "/opt"),
                   tmp=Path(environ.get("PRIVACYSCAN_UNPACK_DIR") or "/tmp"))

    @property
    def chromium_layer(self) -> Path:
        return self.layer_root / "chromium"

    @property
    def node_archive(self) -> Path:
        return self.layer_root / NODE_DIR / "node.br"

    @property
    def chromium_dir(self) -> Path:
        return self.tmp / CHROMIUM_DIR

    @property
    def executable(self) -> Path:
        return self.chromium_dir / "chromium"

    @property
    def node(self) -> Path:
        return self.tmp / NODE_DIR / "node"

    def browser_env(self) -> dict[str, str]:
        """What the browser process needs on top of the function's environment."""
        return {
            "LD_LIBRARY_PATH": ":".join(
                p for p in (str(self.chromium_dir / "al2023" / "lib"), os.environ.get("LD_LIBRARY_PATH", "")) if p
            ),
            "FONTCONFIG_PATH": str(self.chromium_dir / "fonts"),
            "HOME": str(self.tmp),
            "TMPDIR": str(self.tmp),  # Lambda's only writable place (Chromium's own temporary files)
        }


@dataclass
class Unpacked:
    executable: Path
    node: Path | None
    env: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)  # per part unpacked by this call
    cold: bool = False


def read_manifest(layer: Path) -> dict:
    path = layer / MANIFEST
    if not path.is_file():
        raise LayerMissing(f"no layer at {layer} (expected {MANIFEST}; see layers/build.py)")
    return json.loads(path.read_text())


def _digest(manifest: dict, node_archive: Path | None) -> str:
    node = f"{node_archive}:{node_archive.stat().st_size}" if node_archive and node_archive.is_file() else "-"
    return hashlib.sha256((json.dumps(manifest, sort_keys=True) + node).encode()).hexdigest()[:16]


def _brotli_to_file(source: Path, target: Path, mode: int = 0o755) -> None:
    partial = target.with_name(target.name + ".partial")
    decompressor = brotli.Decompressor()
    with source.open("rb") as src, partial.open("wb") as out:
        while chunk := src.read(CHUNK):
            out.write(decompressor.process(chunk))
    partial.chmod(mode)
    partial.replace(target)


def _brotli_tar_to_dir(source: Path, target: Path) -> None:
    """The small tar parts (≤ 2 MB packed) are decompressed in memory, extracted next to the target and
    moved into place, so a half-extracted folder never looks complete."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    data = brotli.decompress(source.read_bytes())
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(partial, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    partial.replace(target)


def _place_swiftshader(source: Path, chromium_dir: Path) -> None:
    staging = chromium_dir / ".swiftshader"
    _brotli_tar_to_dir(source, staging)
    for item in staging.iterdir():
        item.replace(chromium_dir / item.name)
    staging.rmdir()


def _place_fonts(source: Path, chromium_dir: Path) -> None:
    fonts = chromium_dir / "fonts"
    _brotli_tar_to_dir(source, fonts)
    # The package's fonts.conf names /tmp/fonts and /tmp/fonts-cache; point it at where they really are.
    conf = fonts / "fonts.conf"
    text = conf.read_text().replace("/tmp/fonts-cache", str(chromium_dir / "fonts-cache"))
    conf.write_text(text.replace("<dir>/tmp/fonts</dir>", f"<dir>{fonts}</dir>"))


def required_bytes(manifest: dict, node_bytes: int) -> int:
    parts = sum(int(p["unpacked_bytes"]) for p in manifest["parts"].values())
    return parts + node_bytes + SCAN_HEADROOM_BYTES


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def unpack(layout: LambdaLayout, *, with_node: bool = True) -> Unpacked:
    """Unpack what is missing; on a warm start (marker current, files present) nothing is touched."""
    manifest = read_manifest(layout.chromium_layer)
    node_archive = layout.node_archive if with_node else None
    if node_archive is not None and not node_archive.is_file():
        raise LayerMissing(f"no Node archive at {node_archive}")
    marker = layout.chromium_dir / ".unpacked"
    digest = _digest(manifest, node_archive)
    node = layout.node if node_archive is not None else None
    warm = (marker.is_file() and marker.read_text() == digest and layout.executable.is_file()
            and (node is None or node.is_file()))
    if warm:
        return Unpacked(layout.executable, node, layout.browser_env())

    node_bytes = 0
    if node_archive is not None:
        node_bytes = int(read_manifest(node_archive.parent)["parts"]["node"]["unpacked_bytes"])

    if marker.is_file() and marker.read_text() != digest:  # another layer version's: reuse nothing of it
        shutil.rmtree(layout.chromium_dir, ignore_errors=True)
        if node is not None:
            shutil.rmtree(node.parent, ignore_errors=True)
    layout.tmp.mkdir(parents=True, exist_ok=True)
    already = _size_of(layout.chromium_dir) + (_size_of(node.parent) if node else 0)
    needed = required_bytes(manifest, node_bytes) - already
    available = free_bytes(layout.tmp)
    if available < needed:
        raise NotEnoughSpace(f"{layout.tmp} has {available / 1e6:.0f} MB free; unpacking Chromium and Node needs "
                             f"{needed / 1e6:.0f} MB (incl. {SCAN_HEADROOM_BYTES / 1e6:.0f} MB for a scan): "
                             f"raise EphemeralStorage")
    layout.chromium_dir.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    seconds: dict[str, float] = {}
    layer = layout.chromium_layer
    steps = [
        ("chromium", layout.executable, lambda: _brotli_to_file(layer / manifest["parts"]["chromium"]["archive"],
                                                                layout.executable)),
        ("swiftshader", layout.chromium_dir / "libGLESv2.so",
         lambda: _place_swiftshader(layer / manifest["parts"]["swiftshader"]["archive"], layout.chromium_dir)),
        ("al2023", layout.chromium_dir / "al2023" / "lib",
         lambda: _brotli_tar_to_dir(layer / manifest["parts"]["al2023"]["archive"], layout.chromium_dir / "al2023")),
        ("fonts", layout.chromium_dir / "fonts" / "fonts.conf",
         lambda: _place_fonts(layer / manifest["parts"]["fonts"]["archive"], layout.chromium_dir)),
    ]
    if node is not None:
        node.parent.mkdir(parents=True, exist_ok=True)
        steps.append(("node", node, lambda: _brotli_to_file(layout.node_archive, node)))
    for name, done_when, action in steps:
        if done_when.exists():
            continue
        started = time.perf_counter()
        action()
        seconds[name] = time.perf_counter() - started
    marker.write_text(digest)
    return Unpacked(layout.executable, node, layout.browser_env(), seconds=seconds, cold=True)


def _size_of(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
