"""Fixtures for the Lambda tests: the built layers (layers/build.py, cached under build/lambda-layers) and
a Lambda stand-in on this machine: an /opt with the layers, a /tmp the browser is unpacked to, and the
environment Lambda sets (AWS_LAMBDA_FUNCTION_NAME, LAMBDA_TASK_ROOT, HOME=/tmp ...)."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from privacyscan.crawl.browser_factory import BrowserLaunch, LambdaChromium, compose_browser
from privacyscan.lambda_chromium import Unpacked

ROOT = Path(__file__).resolve().parents[2]


def layer_build() -> ModuleType:
    """layers/build.py is a script (sam build's Makefiles call it), not a package module."""
    spec = importlib.util.spec_from_file_location("privacyscan_layer_build", ROOT / "layers" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_layers() -> Path:
    """build/lambda-layers/<key>: {chromium,privacyscan}/ as sam build would zip them."""
    return layer_build().cached_build()


@dataclass
class LambdaStandIn:
    opt: Path
    tmp: Path
    environ: dict[str, str]
    cold: Unpacked  # the first (cold) unpack of this session


@pytest.fixture(scope="session")
def lambda_stand_in(built_layers: Path, tmp_path_factory) -> LambdaStandIn:
    """Unpacked once per session (a cold start); each module then starts warm in `lambda_env`."""
    opt = tmp_path_factory.mktemp("opt")
    (opt / "chromium").symlink_to(built_layers / "chromium" / "chromium")
    (opt / "privacyscan-node").symlink_to(built_layers / "privacyscan" / "privacyscan-node")
    (opt / "privacyscan-js").symlink_to(built_layers / "privacyscan" / "privacyscan-js")
    tmp = tmp_path_factory.mktemp("lambda-tmp")
    task = tmp_path_factory.mktemp("var-task")
    environ = {
        "AWS_LAMBDA_FUNCTION_NAME": "privacyscan-scan", "LAMBDA_TASK_ROOT": str(task),
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12", "HOME": str(tmp), "TMPDIR": str(tmp),
        "PRIVACYSCAN_LAYER_ROOT": str(opt), "PRIVACYSCAN_UNPACK_DIR": str(tmp),
        "PRIVACYSCAN_JS_DIR": str(opt / "privacyscan-js"),
    }
    factory = compose_browser(environ)
    assert isinstance(factory, LambdaChromium)
    saved = os.environ.get("PLAYWRIGHT_NODEJS_PATH")
    factory.prepare()
    _restore("PLAYWRIGHT_NODEJS_PATH", saved)
    assert factory.last is not None and factory.last.cold
    return LambdaStandIn(opt=opt, tmp=tmp, environ=environ, cold=factory.last)


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@pytest.fixture(scope="module")
def lambda_env(lambda_stand_in: LambdaStandIn) -> Iterator[BrowserLaunch]:
    """This process as inside Lambda for one module (tempfile and Playwright's Node included), and the
    launch the composed factory returns on this warm start. Everything is put back afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in lambda_stand_in.environ.items():
            patch.setenv(name, value)
        patch.setenv("PLAYWRIGHT_NODEJS_PATH", "")  # recorded, so the factory's value is undone at the end
        patch.setattr(tempfile, "tempdir", str(lambda_stand_in.tmp))
        factory = compose_browser(os.environ)
        launch = factory.prepare()
        assert isinstance(factory, LambdaChromium) and not factory.last.cold
        yield launch
