"""Bounded, safe interaction with one page: what a curious visitor does besides scrolling.

Trackers that load only after "Vis mer" / "Show more", an accordion or a tab, and pages reachable only
through a JavaScript click handler (no `href`) are invisible to a crawl that only scrolls. So, once a page
has settled, this clicks up to `MAX_CLICKS` controls within `BUDGET_S`:

- disclosure controls (`aria-expanded="false"`, closed `<details>`, "vis mer", "les mer", "show more",
  "mehr anzeigen" ...) and tabs (`role=tab`, not selected);
- link-like elements without a real `href` (onclick, role=link, `<a>` without href, cursor:pointer).

Safety: candidates are chosen in the page by `interaction.js` and checked again here against `FORBIDDEN`
(consent, purchase, payment, delete, logout, submit, sign-up wording); nothing inside a consent banner (by
its platform's markers), a dialog or a fixed layer, no real link, no field, no button that could submit its
form. While clicking, every main-frame
navigation is intercepted and aborted (`page.route`): the URL a JS-only link would open is recorded and
handed to the frontier as a link, and the page stays where it is — so a click can neither submit a form
nor leave the site. `window.open` is caught the same way. An aborted navigation never left the browser:
its request record is dropped (the click's `Interaction` keeps the URL), so no check counts it as sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Route

from ..models import Interaction, LinkRecord
from ..urls import host_of, registrable_domain
from .calls import SCRIPT_TIMEOUT_S, CallClock, looks_like_crash
from .events import PhaseRecorder

FIND_JS = (Path(__file__).parent / "interaction.js").read_text()
MAX_CLICKS = 10
BUDGET_S = 3.0
CLICK_TIMEOUT_S = 0.6
# After a click: how long to watch for the requests, navigation or window it sets off.
WATCH_S = 0.25
MAX_CANDIDATES = 30
# The same words `interaction.js` refuses, applied again to the recorded text (a page can rewrite it).
FORBIDDEN = re.compile(
    r"\b(godta|aksepter|accept|agree|allow|tillat|samtykk|consent|avvis|reject|decline|deny|cookie|informasjonskaps|"
    r"personvernvalg|innstilling|setting|preference|einstellung|zustimm|ablehn|"
    r"kjøp|kjøpe|betal|buy|purchase|pay|checkout|kasse|handlekurv|cart|basket|bestill|order|legg i|add to|kaufen|"
    r"bezahl|warenkorb|slett|delete|remove|fjern|avslutt|cancel|löschen|entfern|kündig|"
    r"logg ut|logg av|log out|logout|sign out|abmelden|"
    r"send|submit|abonner|subscribe|meld deg|meld meg|sign up|registrer|register|lagre|save|upload|last opp|donat|"
    r"doner|gi gave)",
    re.IGNORECASE,
)
# Replaces window.open while clicking: a JS-only link that opens a window is a navigation like another.
HOLD_WINDOWS_JS = """() => {
  if (window.__psOpen) return;
  window.__psOpened = [];
  window.__psOpen = window.open;
  window.open = function (url) { try { window.__psOpened.push(new URL(String(url), location.href).href); } catch (e) {}
                                 return null; };
  document.addEventListener("submit", window.__psNoSubmit = (e) => e.preventDefault(), true);
}"""
RELEASE_WINDOWS_JS = """() => {
  const opened = window.__psOpened || [];
  if (window.__psOpen) { window.open = window.__psOpen; delete window.__psOpen; }
  if (window.__psNoSubmit) { document.removeEventListener("submit", window.__psNoSubmit, true); delete window.__psNoSubmit; }
  document.querySelectorAll("[data-ps-interact]").forEach((el) => el.removeAttribute("data-ps-interact"));
  return opened;
}"""
EXPANDED_JS = "el => el.getAttribute('aria-expanded') || (el.parentElement && el.parentElement.open ? 'true' : null)"


@dataclass
class InteractionResult:
    """What the interaction did on one page: the clicks, and the same-site URLs JS-only links lead to."""

    interactions: list[Interaction] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)


@dataclass
class _Navigations:
    """Main-frame navigations caught (and aborted) while clicking."""

    page: Page
    urls: list[str] = field(default_factory=list)

    async def handle(self, route: Route, request: Request) -> None:
        try:
            if request.is_navigation_request() and request.frame == self.page.main_frame:
                self.urls.append(request.url)
                await route.abort("aborted")
                return
        except PlaywrightError:
            pass
        with contextlib.suppress(PlaywrightError):  # the page closed under the click
            await route.fallback()


async def interact(page: Page, recorder: PhaseRecorder, clock: CallClock, site_domain: str,
                   page_url: str) -> InteractionResult:
    """Click the page's disclosure controls, tabs and JS-only links (bounded, safe); never raises for a
    page that misbehaves, only for a crash (the phase runner recovers from those)."""
    result = InteractionResult()
    started = time.monotonic()
    try:
        candidates = await clock.call(page.evaluate(FIND_JS, MAX_CANDIDATES), SCRIPT_TIMEOUT_S) or []
    except (PlaywrightError, TimeoutError) as exc:
        _reraise_crash(exc)
        return result
    candidates = [c for c in candidates if not FORBIDDEN.search(c.get("text", ""))][:MAX_CLICKS]
    if not candidates:
        return result
    navigations = _Navigations(page)
    try:
        await clock.call(page.route("**/*", navigations.handle), SCRIPT_TIMEOUT_S)
        await clock.call(page.evaluate(HOLD_WINDOWS_JS), SCRIPT_TIMEOUT_S)
        for candidate in candidates:
            if time.monotonic() - started > BUDGET_S or clock.remaining() < 2:
                break
            result.interactions.append(await _click(page, recorder, clock, navigations, candidate, page_url))
    except (PlaywrightError, TimeoutError) as exc:
        _reraise_crash(exc)
    finally:
        try:  # windows opened by a timer rather than a click are not followed
            await clock.call(page.evaluate(RELEASE_WINDOWS_JS), SCRIPT_TIMEOUT_S)
            await clock.call(page.unroute("**/*", navigations.handle), SCRIPT_TIMEOUT_S)
        except (PlaywrightError, TimeoutError) as exc:
            _reraise_crash(exc)
        _drop_held_back(recorder, navigations.urls)
    for interaction in result.interactions:
        if interaction.url and registrable_domain(host_of(interaction.url)) == site_domain:
            result.links.append(LinkRecord(url=interaction.url, text=interaction.text))
    return result


async def _click(page: Page, recorder: PhaseRecorder, clock: CallClock, navigations: _Navigations,
                 candidate: dict, page_url: str) -> Interaction:
    selector = candidate["selector"]
    kind = candidate["kind"]
    before_requests = len(recorder.requests)
    before_navigations = len(navigations.urls)
    before_url = page.url
    at_ms = recorder.clock()
    target = page.locator(selector).first
    try:
        await clock.call(target.click(timeout=CLICK_TIMEOUT_S * 1000, no_wait_after=True), CLICK_TIMEOUT_S + 1)
    except (PlaywrightError, TimeoutError) as exc:
        _reraise_crash(exc)
        try:  # covered or moving: a script click reaches the same handler
            await clock.call(target.evaluate("el => el.click()"), SCRIPT_TIMEOUT_S)
        except (PlaywrightError, TimeoutError) as again:
            _reraise_crash(again)
            return Interaction(selector=selector, text=candidate["text"], kind=kind, outcome="failed", at_ms=at_ms)
    await clock.sleep(WATCH_S)
    url = await _destination(page, clock, navigations, before_navigations, before_url, page_url)
    new_requests = len([r for r in recorder.requests[before_requests:] if r.url not in navigations.urls])
    outcome = "navigated" if url else "nothing"
    if url is None and kind != "js_link":
        expanded = None
        try:
            expanded = await clock.call(target.evaluate(EXPANDED_JS), SCRIPT_TIMEOUT_S)
        except (PlaywrightError, TimeoutError) as exc:
            _reraise_crash(exc)
        if expanded == "true" or candidate.get("expanded") == "false" or kind == "tab":
            outcome = "expanded"
    return Interaction(selector=selector, text=candidate["text"], kind=kind, outcome=outcome, url=url,
                       new_requests=new_requests, at_ms=at_ms)


async def _destination(page: Page, clock: CallClock, navigations: _Navigations, before_navigations: int,
                       before_url: str, page_url: str) -> str | None:
    """Where a click tried to go: an aborted navigation, a window it opened, or a history entry it pushed
    (then undone, so the page is the one that was recorded)."""
    caught = [u for u in navigations.urls[before_navigations:] if _elsewhere(u, page_url)]
    if caught:
        return caught[0]
    try:
        opened = await clock.call(page.evaluate("() => (window.__psOpened || []).splice(0)"), SCRIPT_TIMEOUT_S)
    except (PlaywrightError, TimeoutError) as exc:
        _reraise_crash(exc)
        opened = []
    opened = [u for u in opened or [] if _elsewhere(u, page_url)]
    if opened:
        return opened[0]
    if page.url != before_url and _elsewhere(page.url, before_url):
        pushed = page.url
        try:
            await clock.call(page.evaluate("() => history.back()"), SCRIPT_TIMEOUT_S)
            await asyncio.sleep(0.05)
        except (PlaywrightError, TimeoutError) as exc:
            _reraise_crash(exc)
        return pushed
    return None


def _elsewhere(url: str, page_url: str) -> bool:
    """Another document than the page itself (a change of #fragment only is not)."""
    return bool(url) and url.split("#", 1)[0] != page_url.split("#", 1)[0] and url.startswith("http")


def _drop_held_back(recorder: PhaseRecorder, urls: list[str]) -> None:
    """Forget the aborted navigations' request records: they never left the browser, so they are no
    evidence of data sent (an external JS-only link to a social network is not a request to it). The
    click's `Interaction` keeps the URL."""
    held = set(urls)
    if held:
        recorder.requests[:] = [r for r in recorder.requests
                                if not (r.url in held and r.resource_type == "document" and r.is_main_frame)]


def _reraise_crash(exc: BaseException) -> None:
    if isinstance(exc, PlaywrightError) and looks_like_crash(exc):
        raise exc
