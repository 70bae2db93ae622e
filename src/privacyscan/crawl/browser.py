"""Starting Chromium the way a scan needs it: as a default desktop Chrome user would browse (third-party
cookies allowed), with Chromium's own background traffic off, and every connection through the guard
proxy."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from playwright.async_api import BrowserContext, Playwright

DESKTOP_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"
)
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


@functools.cache
def desktop_user_agent(executable: str, env: tuple[tuple[str, str], ...] = ()) -> str:
    """The user agent of a desktop Chrome of the same major version. Headless Chromium says
    `HeadlessChrome`, which bot filters and some consent platforms treat differently from a visitor.
    `env` is what the browser needs on top of ours (Lambda's Chromium finds its libraries through it)."""
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20,
                             env=browser_environment(env)).stdout
        major = re.search(r"(\d+)\.\d+\.\d+", out).group(1)
    except (OSError, subprocess.SubprocessError, AttributeError):
        major = "130"
    return DESKTOP_USER_AGENT.format(major=major)


# Chromium puts its singleton socket in a folder under TMPDIR; a unix socket path may not exceed 107 bytes, so
# under a long TMPDIR (a CI job's nested temp folder) Chromium dies at start ("Target ... has been closed").
MAX_BROWSER_TMPDIR = 48


def browser_environment(env: tuple[tuple[str, str], ...]) -> dict[str, str] | None:
    """This process's environment plus `env`, or None (inherit) when there is nothing to add. A TMPDIR too long
    for Chromium's socket path is replaced by the system's short one for the browser only."""
    extra = dict(env)
    tmpdir = extra.get("TMPDIR", os.environ.get("TMPDIR", ""))
    if len(tmpdir) > MAX_BROWSER_TMPDIR and os.path.isdir("/tmp") and os.access("/tmp", os.W_OK):
        extra["TMPDIR"] = "/tmp"
    return {**os.environ, **extra} if extra else None


DISABLE_FEATURES = "--disable-features="


def _merge_disabled_features(args: list[str]) -> list[str]:
    """Chromium honours only the last --disable-features switch: join them all into one, in order."""
    features: list[str] = []
    for arg in args:
        if arg.startswith(DISABLE_FEATURES):
            features += [f for f in arg.removeprefix(DISABLE_FEATURES).split(",") if f and f not in features]
    others = [arg for arg in args if not arg.startswith(DISABLE_FEATURES)]
    return [*others, DISABLE_FEATURES + ",".join(features)] if features else others


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
        # A default Chrome user accepts third-party cookies (with the profile preference above).
        # This switch replaces Playwright's own --disable-features list (Chromium keeps the last one),
        # so it repeats the entries of that list that matter to a scan.
        "--disable-features=TrackingProtection3pcd,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,"
        "OptimizationHints,NetworkTimeServiceQuerying,MediaRouter,AvoidUnnecessaryBeforeUnloadCheckSync",
        "--disable-dev-shm-usage",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return _merge_disabled_features([*args, *extra])


# Playwright's new_context() is an off-the-record (incognito) profile, and incognito blocks third-party
# cookies whatever the command line says. A default Chrome user has a normal profile that allows them,
# so each phase gets a fresh persistent profile with the cookie-controls preference set to "allow".
PROFILE_PREFERENCES = {
    "profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False},
    "intl": {"accept_languages": "nb-NO,nb,no,nn,en-GB,en"},
    "credentials_enable_service": False,
    "translate": {"enabled": False},
    # WebRTC's UDP (STUN/TURN, peer connections) does not go through an HTTP proxy: it would reach any
    # address around the guard. Only proxied traffic is allowed. Measured on Debian's Chromium: this
    # profile preference is honoured; the switch --force-webrtc-ip-handling-policy is not.
    "webrtc": {"ip_handling_policy": "disable_non_proxied_udp"},
}


def fresh_profile(directory: Path) -> Path:
    (directory / "Default").mkdir(parents=True, exist_ok=True)
    (directory / "Default" / "Preferences").write_text(json.dumps(PROFILE_PREFERENCES))
    return directory


async def launch_profile(playwright: Playwright, profile_dir: Path, proxy_url: str, *, executable: str | None,
                         extra_args: tuple[str, ...], ignore_https_errors: bool, user_agent: str | None,
                         timeout_s: float, env: tuple[tuple[str, str], ...] = ()) -> BrowserContext:
    executable_path = chromium_executable(executable)
    context = await playwright.chromium.launch_persistent_context(
        str(fresh_profile(profile_dir)),
        executable_path=executable_path,
        headless=True,
        args=chromium_args(proxy_url, extra_args),
        env=browser_environment(env),
        ignore_https_errors=ignore_https_errors,
        user_agent=user_agent or desktop_user_agent(executable_path, env),
        viewport={"width": 1366, "height": 768},
        locale="nb-NO",
        timezone_id="Europe/Oslo",
        accept_downloads=False,
        service_workers="block",  # their traffic would escape the evidence
        handle_sigint=False,
        handle_sigterm=False,
        # Playwright turns Chrome's popup blocker off; a default Chrome user has it on, and without it a
        # page that calls window.open in a loop floods the browser with tabs faster than they can close.
        ignore_default_args=["--disable-popup-blocking"],
    )
    context.set_default_timeout(timeout_s * 1000)
    return context
