"""The Lambda unpacker on a small synthetic layer with the real package's shape (brotli files and
brotli tarballs, a manifest): what goes where, what a warm start skips, what a cold start with too little
/tmp refuses, and the switches and environment the browser gets. Fast: no Chromium runs here."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import brotli
import pytest

from privacyscan import lambda_chromium
from privacyscan.crawl.browser import chromium_args
from privacyscan.crawl.browser_factory import BrowserLaunch, LambdaChromium, LocalChromium, compose_browser
from privacyscan.lambda_chromium import (
    LAMBDA_CHROMIUM_ARGS,
    REMOVED_PACKAGE_ARGS,
    LambdaLayout,
    LayerMissing,
    NotEnoughSpace,
    unpack,
)
from privacyscan.settings import ScanOptions
from privacyscan.usecase import RuntimeSettings, ScanRequest, scan_options

FAKE_CHROMIUM = b"#!/bin/sh\necho 'Chromium 153.0.8010.0'\n"
FONTS_CONF = b"<fontconfig><dir>/tmp/fonts</dir><cachedir>/tmp/fonts-cache/</cachedir></fontconfig>"


def _tar_br(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return brotli.compress(buffer.getvalue())


def make_layer(opt: Path, chromium: bytes = FAKE_CHROMIUM) -> LambdaLayout:
    layer = opt / "chromium"
    layer.mkdir(parents=True)
    parts = {
        "chromium": ("chromium.br", brotli.compress(chromium), len(chromium)),
        "swiftshader": ("swiftshader.tar.br", _tar_br({"libGLESv2.so": b"gles", "libEGL.so": b"egl"}), 7),
        "al2023": ("al2023.tar.br", _tar_br({"lib/libnss3.so": b"nss"}), 3),
        "fonts": ("fonts.tar.br", _tar_br({"fonts.conf": FONTS_CONF, "fonts/Open_Sans/a.ttf": b"ttf"}),
                  len(FONTS_CONF) + 3),
    }
    for archive, data, _ in parts.values():
        (layer / archive).write_bytes(data)
    (layer / "manifest.json").write_text(json.dumps({"version": "153.0.0", "parts": {
        name: {"archive": archive, "unpacked_bytes": size} for name, (archive, _, size) in parts.items()}}))
    node_dir = opt / "privacyscan-node"
    node_dir.mkdir()
    (node_dir / "node.br").write_bytes(brotli.compress(b"#!/bin/sh\necho v20\n"))
    (node_dir / "manifest.json").write_text(json.dumps({"parts": {"node": {"archive": "node.br",
                                                                           "unpacked_bytes": 19}}}))
    return LambdaLayout(layer_root=opt, tmp=opt.parent / "tmp")


@pytest.fixture
def layout(tmp_path: Path) -> LambdaLayout:
    return make_layer(tmp_path / "opt")


def test_cold_start_puts_every_part_where_chromium_looks(layout):
    result = unpack(layout)
    folder = layout.tmp / "privacyscan-chromium"
    assert result.cold and set(result.seconds) == {"chromium", "swiftshader", "al2023", "fonts", "node"}
    assert result.executable == folder / "chromium" and os.access(result.executable, os.X_OK)
    assert result.executable.read_bytes() == FAKE_CHROMIUM
    # SwiftShader beside the binary (elsewhere Chromium dies after "Failed to load GLES library").
    assert (folder / "libGLESv2.so").read_bytes() == b"gles" and (folder / "libEGL.so").is_file()
    assert (folder / "al2023" / "lib" / "libnss3.so").read_bytes() == b"nss"
    conf = (folder / "fonts" / "fonts.conf").read_text()
    assert f"<dir>{folder / 'fonts'}</dir>" in conf and "/tmp/fonts" not in conf.replace(str(layout.tmp), "")
    assert result.node == layout.tmp / "privacyscan-node" / "node" and os.access(result.node, os.X_OK)
    assert result.env["LD_LIBRARY_PATH"].split(":")[0] == str(folder / "al2023" / "lib")
    assert result.env["FONTCONFIG_PATH"] == str(folder / "fonts")
    assert result.env["HOME"] == str(layout.tmp) == result.env["TMPDIR"]
    assert not list(layout.tmp.rglob("*.partial"))


def test_warm_start_unpacks_nothing(layout):
    unpack(layout)
    before = layout.executable.stat().st_mtime_ns
    again = unpack(layout)
    assert not again.cold and again.seconds == {}
    assert layout.executable.stat().st_mtime_ns == before


def test_interrupted_cold_start_redoes_only_what_is_missing(layout):
    unpack(layout)
    (layout.tmp / "privacyscan-node" / "node").unlink()
    again = unpack(layout)
    assert again.cold and set(again.seconds) == {"node"} and again.node.is_file()


def test_a_new_layer_version_replaces_everything(layout):
    unpack(layout)
    (layout.chromium_dir / "leftover-of-old-version").write_text("x")
    new = b"#!/bin/sh\necho 'Chromium 154.0.0.0'\n"
    (layout.chromium_layer / "chromium.br").write_bytes(brotli.compress(new))
    manifest = json.loads((layout.chromium_layer / "manifest.json").read_text())
    manifest["version"], manifest["parts"]["chromium"]["unpacked_bytes"] = "154.0.0", len(new)
    (layout.chromium_layer / "manifest.json").write_text(json.dumps(manifest))
    again = unpack(layout)
    assert again.cold and "chromium" in again.seconds and layout.executable.read_bytes() == new
    assert not (layout.chromium_dir / "leftover-of-old-version").exists()


def test_too_little_tmp_is_refused_before_writing(layout, monkeypatch):
    monkeypatch.setattr(lambda_chromium, "free_bytes", lambda _path: 100 * 1024 * 1024)
    with pytest.raises(NotEnoughSpace, match="EphemeralStorage"):
        unpack(layout)
    assert not layout.chromium_dir.exists()


def test_enough_tmp_passes_the_check(layout, monkeypatch):
    # Exactly the parts plus the scan's headroom: the decoy for the refusal above.
    monkeypatch.setattr(lambda_chromium, "free_bytes", lambda _path: lambda_chromium.SCAN_HEADROOM_BYTES + 10_000)
    assert unpack(layout).executable.is_file()


def test_a_missing_layer_says_so(tmp_path):
    with pytest.raises(LayerMissing, match="manifest.json"):
        unpack(LambdaLayout(layer_root=tmp_path / "no-opt", tmp=tmp_path / "tmp"))


def test_the_package_switches_that_change_what_a_site_can_do_are_not_passed():
    assert not REMOVED_PACKAGE_ARGS & set(LAMBDA_CHROMIUM_ARGS)
    assert "--disable-web-security" in REMOVED_PACKAGE_ARGS
    assert "--allow-running-insecure-content" in REMOVED_PACKAGE_ARGS
    # What Lambda itself needs is kept.
    assert {"--single-process", "--no-zygote", "--no-sandbox", "--use-angle=swiftshader"} <= set(LAMBDA_CHROMIUM_ARGS)


def test_every_disabled_feature_ends_up_in_the_one_switch_chromium_honours():
    args = chromium_args("http://127.0.0.1:1", LAMBDA_CHROMIUM_ARGS)
    switches = [a for a in args if a.startswith("--disable-features=")]
    assert len(switches) == 1
    features = switches[0].removeprefix("--disable-features=").split(",")
    assert {"TrackingProtection3pcd", "HttpsUpgrades", "site-per-process", "IsolateOrigins"} <= set(features)
    assert "--proxy-server=http://127.0.0.1:1" in args and "--single-process" in args


def test_switches_without_disabled_features_are_passed_unchanged():
    plain = chromium_args("http://127.0.0.1:1", ("--marker-x",))
    assert plain[-2:] == ["--marker-x", plain[-1]] and plain[-1].startswith("--disable-features=TrackingProtection3pcd")


def test_compose_picks_the_layer_browser_inside_lambda_only(tmp_path):
    lambda_env = {"AWS_LAMBDA_FUNCTION_NAME": "scan", "LAMBDA_TASK_ROOT": "/var/task",
                  "PRIVACYSCAN_LAYER_ROOT": str(tmp_path / "opt"), "PRIVACYSCAN_UNPACK_DIR": str(tmp_path / "tmp")}
    factory = compose_browser(lambda_env)
    assert isinstance(factory, LambdaChromium)
    assert factory.layout == LambdaLayout(layer_root=tmp_path / "opt", tmp=tmp_path / "tmp")
    assert LambdaLayout.from_env({}) == LambdaLayout(layer_root=Path("/opt"), tmp=Path("/tmp"))
    assert isinstance(compose_browser({}, "/usr/bin/chromium"), LocalChromium)
    # Only one of Lambda's variables (a developer's shell): not Lambda.
    assert isinstance(compose_browser({"AWS_LAMBDA_FUNCTION_NAME": "scan"}), LocalChromium)


def test_lambda_factory_unpacks_and_names_node_for_playwright(layout, monkeypatch):
    # Recorded (not just deleted), so the factory's setting is undone after the test: a fake Node left
    # in the environment would break every later Playwright start in this process.
    monkeypatch.setenv("PLAYWRIGHT_NODEJS_PATH", "")
    launch = LambdaChromium(layout).prepare()
    assert launch.executable == str(layout.executable) and launch.args == LAMBDA_CHROMIUM_ARGS
    assert dict(launch.env)["FONTCONFIG_PATH"] == str(layout.chromium_dir / "fonts")
    assert os.environ["PLAYWRIGHT_NODEJS_PATH"] == str(layout.node)


def test_local_factory_names_the_os_chromium(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    assert LocalChromium(str(fake)).prepare() == BrowserLaunch(executable=str(fake))


def test_a_launch_reaches_the_scan_options():
    launch = BrowserLaunch("/tmp/privacyscan-chromium/chromium", ("--single-process",), (("HOME", "/tmp"),))
    options = launch.configure(ScanOptions(site_url="https://example.no/", extra_chromium_args=("--marker",)))
    assert options.chromium_path == launch.executable
    assert options.extra_chromium_args == ("--single-process", "--marker") and options.chromium_env == launch.env
    request = ScanRequest(site_url="https://example.no/")
    from_settings = scan_options(request, RuntimeSettings().with_browser(launch))
    assert (from_settings.chromium_path, from_settings.extra_chromium_args, from_settings.chromium_env) == (
        launch.executable, launch.args, launch.env)
    assert scan_options(request, RuntimeSettings()).chromium_env == ()  # the decoy: no launch, no extras
