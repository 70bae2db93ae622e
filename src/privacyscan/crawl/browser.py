"""Starting Chromium the way a scan needs it: as a default desktop Chrome user would browse (third-party
cookies allowed), with Chromium's own background traffic off, and every connection through the guard
proxy."""

from __future__ import annotations

import os
import shutil

from playwright.async_api import Browser, Playwright

CANDIDATE_EXECUTABLES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserUnavailable(RuntimeError):
    pass


def chromium_executable(explicit: str | None = None) -> str:
    for candidate in (explicit, os.environ.get("PRIVACYSCAN_CHROMIUM")):
        if candidate:
            if shutil.which(candidate) or os.path.isfile(candidate):
                return candidate
            raise BrowserUnavailable(f"Chromium not found at {candidate}")
    for name in CANDIDATE_EXECUTABLES:
        path = shutil.which(name)
        if path:
            return path
    raise BrowserUnavailable("Chromium is not installed; run ./scripts/setup (installs the Debian package 'chromium')")


def chromium_args(proxy_url: str, extra: tuple[str, ...] = ()) -> list[str]:
    args = [
        # Everything through the guard proxy, loopback included (Chromium bypasses proxies for
        # localhost by default, which would let a page reach 127.0.0.1 unchecked).
        f"--proxy-server={proxy_url}",
        "--proxy-bypass-list=<-loopback>",
        # Chromium's own traffic (sync, component updates, safe browsing, account checks) is not the
        # site's; keep it out of the evidence and off the network.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-quic",
        # A default Chrome user accepts third-party cookies; Chromium here blocks them unless told.
        # (This switch replaces Playwright's own --disable-features list; Chromium keeps the last one.)
        "--disable-features=TrackingProtection3pcd,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
        "--disable-dev-shm-usage",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return [*args, *extra]


async def launch(playwright: Playwright, proxy_url: str, executable: str | None = None,
                 extra_args: tuple[str, ...] = ()) -> Browser:
    return await playwright.chromium.launch(
        executable_path=chromium_executable(executable),
        headless=True,
        args=chromium_args(proxy_url, extra_args),
        handle_sigint=False,
        handle_sigterm=False,
    )
