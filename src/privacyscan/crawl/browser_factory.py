"""Which Chromium a scan launches, and how: a port with two adapters, picked by composition (`compose()` of
the entry point), never by the crawler.

- `LocalChromium`: the operating system's Chromium (Debian's `chromium`), as the CLI always did.
- `LambdaChromium`: the Amazon Linux Chromium of the Lambda layer, unpacked to /tmp once per execution
  environment (a warm start only checks a marker), with Playwright's Node unpacked beside it.

`prepare()` returns a `BrowserLaunch` (executable, extra switches, extra environment) that `configure()`
folds into the scan's options; the crawler launches whatever the options say.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from ..lambda_chromium import LAMBDA_CHROMIUM_ARGS, LambdaLayout, Unpacked, unpack
from ..settings import ScanOptions
from .browser import chromium_executable

PLAYWRIGHT_NODE_ENV = "PLAYWRIGHT_NODEJS_PATH"


@dataclass(frozen=True)
class BrowserLaunch:
    executable: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # added to the browser's environment

    def configure(self, options: ScanOptions) -> ScanOptions:
        return replace(options, chromium_path=self.executable,
                       extra_chromium_args=(*self.args, *options.extra_chromium_args), chromium_env=self.env)


class BrowserFactory(Protocol):
    def prepare(self) -> BrowserLaunch:
        """Make the browser launchable (cheap after the first call) and say how to launch it. Raises
        BrowserUnavailable, lambda_chromium.NotEnoughSpace or LayerMissing when it cannot."""
        ...


@dataclass(frozen=True)
class LocalChromium:
    path: str | None = None  # None: PRIVACYSCAN_CHROMIUM, else the first Chromium on PATH

    def prepare(self) -> BrowserLaunch:
        return BrowserLaunch(executable=chromium_executable(self.path))


@dataclass
class LambdaChromium:
    layout: LambdaLayout
    with_node: bool = True  # False where Playwright's own Node is present (tests on a checkout)
    last: Unpacked | None = None  # the latest prepare()'s unpack (timings on a cold start)

    def prepare(self) -> BrowserLaunch:
        self.last = unpack(self.layout, with_node=self.with_node)
        if self.last.node is not None:
            # Playwright starts its driver with the Node this names (playwright._impl._driver); it is read
            # from this process's environment when async_playwright() starts, so it is set here, once.
            os.environ[PLAYWRIGHT_NODE_ENV] = str(self.last.node)
        return BrowserLaunch(executable=str(self.last.executable), args=LAMBDA_CHROMIUM_ARGS,
                             env=tuple(sorted(self.last.env.items())))


def in_lambda(environ: Mapping[str, str] = os.environ) -> bool:
    """Lambda sets both in every function's environment."""
    return bool(environ.get("AWS_LAMBDA_FUNCTION_NAME") and environ.get("LAMBDA_TASK_ROOT"))


def compose_browser(environ: Mapping[str, str] = os.environ, chromium_path: str | None = None) -> BrowserFactory:
    """The factory for this environment: the layer's Chromium inside Lambda, the OS Chromium elsewhere."""
    if in_lambda(environ):
        return LambdaChromium(LambdaLayout.from_env(environ))
    return LocalChromium(chromium_path)
