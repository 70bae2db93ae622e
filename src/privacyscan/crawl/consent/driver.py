"""The consent driver: find the banner on a page, record it, and answer it as a visitor would.

Detection: DuckDuckGo autoconsent runs in every frame from document start (init script and binding on
the context, rules from us, no automatic action, no hiding) and tells us which platform's popup is open;
in parallel a phrase-based search (consent_banner.js) looks for a home-made banner. Autoconsent never says
"there is no banner"; the crawl inspects a page once it is quiet, so when by then no platform was
recognised, no consent API is exposed and nothing banner-like is shown, the look ends after a second.
Otherwise it ends when the banner is found, at the latest at `ScanOptions.consent_detect_s`.

Acting: "reject all" and "accept all" are answered by clicking the visible button of the banner's first
layer with a real (trusted) mouse click, as a visitor would. Only when the first layer has no such button
does the driver go one layer deeper (settings, then reject or save with everything off), and only when
that fails too does it let autoconsent run the platform's own opt-out; if that calls the platform's
JavaScript instead of clicking, the action is recorded with method "api": it proves nothing about the
visible buttons.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from ...data.banner_phrases import banner_phrases
from ...models import BannerButton, BannerRecord, ConsentAction, FormControl, Phase, TcfConsent
from ...settings import ScanOptions
from ...urls import host_of, registrable_domain
from .autoconsent import (
    CONFIG,
    DISABLED_CONFIG,
    Autoconsent,
    clicked_selectors,
    load_autoconsent,
    uses_eval,
    visible_selectors,
)
from .tcf import TcStringError, decode_tc_string

BANNER_JS = (Path(__file__).resolve().parents[1] / "consent_banner.js").read_text(encoding="utf-8")
EVAL_TIMEOUT_S = 5.0
POLL_S = 0.25
# Detection deadline in the after-choice phases when the before-consent phase found no banner at all.
SHORT_DETECT_S = 1.5
# The crawl inspects a page once it is quiet (crawl/quiet.py): when by then no platform script was
# recognised, no consent API is there and no element speaks of cookies, there is no banner to wait for.
NO_BANNER_LOOK_S = 1.0
# A platform recognised by its script whose popup autoconsent does not report (its popup test fails on a
# customised or look-alike banner) while the word search sees a banner: use it after this long.
PLATFORM_POPUP_GRACE_S = 1.0
# Consent APIs a page exposes with or without a visible banner (TCF, its predecessor, US privacy, GPP)
# and the globals of common platforms.
SURFACE_JS = """() => ['__tcfapi', '__cmp', '__uspapi', '__gpp', 'Cookiebot', 'OneTrust', 'OptanonWrapper',
  'CookieInformation', 'Didomi', 'UC_UI', 'klaro', 'CookieConsent', 'cookieconsent']
  .filter(name => typeof window[name] !== 'undefined')"""
# Snippets autoconsent evaluates only to detect a platform; any other eval during an opt-out is an action.
DETECTION_SNIPPETS = ("_TEST", "EVAL_COOKIEBOT_1", "EVAL_COOKIEBOT_2", "EVAL_COOKIEBOT_5", "EVAL_ONETRUST_1")

TCF_JS = """() => new Promise((resolve) => {
  if (typeof window.__tcfapi !== 'function') return resolve(null);
  let done = false;
  setTimeout(() => { if (!done) resolve({error: 'no answer from __tcfapi within 1.5s'}); }, 1500);
  try {
    window.__tcfapi('getTCData', 2, (data, ok) => {
      done = true;
      resolve(ok && data ? {tcString: data.tcString || '', eventStatus: data.eventStatus || null} : {error: 'getTCData failed'});
    });
  } catch (e) { done = true; resolve({error: String(e)}); }
})"""


@dataclass
class _Found:
    """The banner found on the current page."""

    frame: Frame
    cmp: str | None  # autoconsent's CMP name, None for a home-made banner
    containers: list[str]
    record: BannerRecord
    settings_layer: list[str] = field(default_factory=list)


@dataclass
class _ContextState:
    phase: Phase | None = None
    workdir: Path | None = None
    detect_s: float = 12.0
    screenshots: bool = True
    active: bool = True  # autoconsent enabled in documents loaded from now on
    messages: list[tuple[float, str, dict, Frame]] = field(default_factory=list)
    evals: list[str] = field(default_factory=list)
    found: _Found | None = None
    injected: bool = False


class ConsentBannerDriver:
    """The crawler's `ConsentDriver` (see crawl/crawler.py).

    - `detect_timeout_s`: how long `inspect` looks for a banner (default: the scan's `consent_detect_s`).
    - `heuristic_grace_s`: how long a home-made banner found by its words waits for autoconsent to name a
      platform before it is taken as the banner (the page is quiet by then: autoconsent has had its chance).
    - `open_settings`: in the before-consent phase, open the settings layer to read its toggles when the
      first layer shows none.
    """

    def __init__(
        self,
        detect_timeout_s: float | None = None,
        heuristic_grace_s: float = 0.5,
        open_settings: bool = True,
        workdir: Path | None = None,
        autoconsent: Autoconsent | None | Literal["auto"] = "auto",
    ) -> None:
        self.detect_timeout_s = detect_timeout_s
        self.heuristic_grace_s = heuristic_grace_s
        self.open_settings = open_settings
        self.workdir = workdir
        self.autoconsent = load_autoconsent() if autoconsent == "auto" else autoconsent
        self.phrases = banner_phrases()
        self._browser_phrases = self.phrases.for_browser()
        self._states: dict[int, _ContextState] = {}
        self._shots = 0
        # What the before-consent phase found per site ("none", "heuristic" or the platform): every phase
        # starts from the same fresh browser, so the later phases need not wait as long for the same answer.
        self._first_answer: dict[str, str] = {}

    # ------------------------------------------------------------------ set-up per context
    async def prepare(
        self, context: BrowserContext, phase: Phase, options: ScanOptions | None = None, workdir: Path | None = None
    ) -> None:
        """Called by the crawler on each new context, before the first navigation, so autoconsent sees
        every document from its start."""
        state = _ContextState(phase=phase, workdir=workdir or self.workdir)
        if options is not None:
            state.detect_s = options.consent_detect_s
            state.screenshots = options.screenshots
        if self.detect_timeout_s is not None:
            state.detect_s = self.detect_timeout_s
        self._states[id(context)] = state
        await self._install(context, state)

    async def _install(self, context: BrowserContext, state: _ContextState) -> None:
        if self.autoconsent is None:
            return
        await context.expose_binding(
            "autoconsentSendMessage", lambda source, message: self._on_message(state, source, message)
        )
        await context.add_init_script(script=self.autoconsent.script)

    async def _state_for(self, page: Page) -> _ContextState:
        state = self._states.get(id(page.context))
        if state is None:  # not prepared (an older crawler): install now and inject into this document
            state = _ContextState(workdir=self.workdir)
            if self.detect_timeout_s is not None:
                state.detect_s = self.detect_timeout_s
            self._states[id(page.context)] = state
            with contextlib.suppress(PlaywrightError):
                await self._install(page.context, state)
        if self.autoconsent is not None and not state.injected and not state.messages:
            state.injected = True
            for frame in page.frames:
                try:
                    if not await frame.evaluate(
                        "() => typeof window.autoconsentReceiveMessage === 'function'"
                    ):
                        await asyncio.wait_for(frame.evaluate(self.autoconsent.script), EVAL_TIMEOUT_S)
                except (PlaywrightError, TimeoutError):
                    continue
        return state

    # ------------------------------------------------------------------ autoconsent's messages
    def _on_message(self, state: _ContextState, source: dict, message: Any) -> None:
        if not isinstance(message, dict):
            return
        frame: Frame = source.get("frame")
        kind = message.get("type")
        if kind == "init":
            main = frame.parent_frame is None
            rules = self.autoconsent.rules_for(message.get("url") or frame.url, main) if state.active else []
            reply = {
                "type": "initResp",
                "config": CONFIG if state.active else DISABLED_CONFIG,
                "rules": {"autoconsent": rules},
            }
            asyncio.ensure_future(self._send(frame, reply))
        elif kind == "eval":
            state.evals.append(str(message.get("snippetId") or message.get("code", "")[:60]))
            asyncio.ensure_future(self._answer_eval(frame, message))
        elif kind in (
            "cmpDetected",
            "popupFound",
            "optOutResult",
            "optInResult",
            "autoconsentDone",
            "autoconsentError",
            "selfTestResult",
        ):
            state.messages.append((time.monotonic(), kind, message, frame))

    async def _send(self, frame: Frame, message: dict, wait: bool = False) -> Any:
        script = (
            "m => window.autoconsentReceiveMessage && window.autoconsentReceiveMessage(m)"
            if wait
            else "m => { window.autoconsentReceiveMessage && window.autoconsentReceiveMessage(m); }"
        )
        try:
            return await asyncio.wait_for(frame.evaluate(script, message), 30 if wait else EVAL_TIMEOUT_S)
        except (PlaywrightError, TimeoutError):
            return None

    async def _answer_eval(self, frame: Frame, message: dict) -> None:
        try:
            result = bool(
                await asyncio.wait_for(frame.evaluate(message.get("code", "false")), EVAL_TIMEOUT_S)
            )
        except (PlaywrightError, TimeoutError):
            result = False
        await self._send(frame, {"type": "evalResp", "id": message.get("id"), "result": result})

    def _messages(self, state: _ContextState, kind: str, since: float = 0.0) -> list[tuple[dict, Frame]]:
        return [(m, f) for t, k, m, f in state.messages if k == kind and t >= since and not f.is_detached()]

    # ------------------------------------------------------------------ inspect
    async def inspect(self, page: Page, phase_clock: Callable[[], float]) -> BannerRecord | None:
        state = await self._state_for(page)
        state.found = None
        site = registrable_domain(host_of(page.url))
        earlier = self._first_answer.get(site) if state.phase is not Phase.before_consent else None
        started = time.monotonic()
        detect_s = min(state.detect_s, SHORT_DETECT_S) if earlier == "none" else state.detect_s
        grace_s = 0.0 if earlier == "heuristic" else self.heuristic_grace_s
        deadline = started + detect_s
        found: _Found | None = None
        surface = await self._surface(page)
        while True:
            popups = self._messages(state, "popupFound")
            if popups:
                message, frame = popups[0]
                found = await self._describe_platform(frame, message.get("cmp") or "unknown")
                if found:
                    break
            heuristic = await self._find_heuristic(page.main_frame)
            detected = self._messages(state, "cmpDetected") if self.autoconsent is not None else []
            now = time.monotonic()
            if heuristic and not detected and now - started >= min(grace_s, detect_s):
                found = heuristic
                break
            if heuristic and detected and now - started >= PLATFORM_POPUP_GRACE_S:
                # The platform is known but its popup is not reported: the banner the words found is it.
                message, frame = detected[0]
                found = await self._describe_platform(frame, message.get("cmp") or "unknown") or heuristic
                break
            if not heuristic and not detected and not surface and now - started >= NO_BANNER_LOOK_S:
                break  # a quiet page with no platform, no consent API and nothing banner-like
            if now >= deadline:
                found = heuristic
                break
            await asyncio.sleep(POLL_S)
        state.active = state.phase is not Phase.before_consent and state.phase is not None
        if state.phase is Phase.before_consent:
            self._first_answer[site] = "none" if found is None else (found.cmp or "heuristic")
        if found is None:
            return None
        state.found = found
        record = found.record
        record.tcf = await self._read_tcf(page, phase_clock)
        if state.screenshots:
            record.screenshot = await self._shoot(found.frame, found.containers, state, "banner")
        record.toggles = await self._toggles(found.frame, [*found.containers, *found.settings_layer])
        if (
            self.open_settings
            and state.phase is Phase.before_consent
            and not [t for t in record.toggles if t.visible]
        ):
            await self._open_settings_layer(found, state, record)
        return record

    async def _surface(self, page: Page) -> list[str]:
        """The consent APIs and platform globals the page exposes (none: an empty list)."""
        try:
            found = await asyncio.wait_for(page.main_frame.evaluate(SURFACE_JS), EVAL_TIMEOUT_S)
        except (PlaywrightError, TimeoutError):
            return []
        return [str(name) for name in found or []]

    async def consent_surface(self, page: Page) -> str:
        """What on the page could still be answered although no banner was found: a platform autoconsent
        recognised, or a consent API. Empty when there is nothing; the crawler then skips the
        after-choice phases (called after `inspect` on the same page)."""
        state = await self._state_for(page)
        platforms = sorted({str(m.get("cmp")) for m, _ in self._messages(state, "cmpDetected")})
        seen = [*(f"platform {p}" for p in platforms), *(await self._surface(page))]
        return ", ".join(seen)

    async def _call(self, frame: Frame, args: dict) -> Any:
        try:
            return await asyncio.wait_for(
                frame.evaluate(BANNER_JS, {"phrases": self._browser_phrases, **args}), EVAL_TIMEOUT_S
            )
        except (PlaywrightError, TimeoutError):
            return None

    def _platform_selectors(self, cmp: str) -> dict[str, list[str]]:
        curated = self.phrases.cmp_buttons.get(cmp, {})
        rule = self.autoconsent.rule(cmp) if self.autoconsent else None
        containers = list(curated.get("container", []))
        hints: dict[str, list[str]] = {}
        if rule:
            containers += [s for s in visible_selectors(rule.get("detectPopup")) if s not in containers]
            containers += [s for s in rule.get("prehideSelectors", []) if s not in containers]
            opt_in = clicked_selectors(rule.get("optIn"))
            opt_out = clicked_selectors(rule.get("optOut"))
            # The last click of an opt-in is the accept button; a one-click opt-out is the reject button.
            hints = {"accept": opt_in[-1:], "reject": opt_out if len(opt_out) == 1 else []}
        return {
            "containers": containers,
            "settings_layer": list(curated.get("settings_layer", [])),
            **{f"role:{r}": list(curated.get(r, [])) for r in ("reject", "accept", "settings")},
            **{f"hint:{r}": v for r, v in hints.items()},
        }

    async def _describe_platform(self, frame: Frame, cmp: str) -> _Found | None:
        selectors = self._platform_selectors(cmp)
        roles = {k.split(":", 1)[1]: v for k, v in selectors.items() if k.startswith("role:")}
        hints = {k.split(":", 1)[1]: v for k, v in selectors.items() if k.startswith("hint:")}
        described = await self._call(
            frame, {"op": "describe", "containers": selectors["containers"], "roles": roles, "hints": hints}
        )
        if not described:
            return None
        record = self._record(frame, described, f"autoconsent:{cmp}", cmp)
        containers = [described["selector"], *selectors["containers"]]
        return _Found(
            frame=frame,
            cmp=cmp,
            containers=containers,
            record=record,
            settings_layer=selectors["settings_layer"],
        )

    async def _find_heuristic(self, frame: Frame) -> _Found | None:
        hit = await self._call(frame, {"op": "find"})
        if not hit or not hit.get("selector"):
            return None
        described = await self._call(frame, {"op": "describe", "containers": [hit["selector"]]})
        if not described:
            return None
        return _Found(
            frame=frame,
            cmp=None,
            containers=[described["selector"]],
            record=self._record(frame, described, "heuristic", None),
        )

    def _record(self, frame: Frame, described: dict, detected_by: str, cmp: str | None) -> BannerRecord:
        buttons = []
        for b in described.get("buttons", []):
            role = b.get("role") or "other"
            buttons.append(
                BannerButton(
                    text=b.get("text", ""),
                    selector=b.get("selector") or "",
                    width=b.get("width", 0),
                    height=b.get("height", 0),
                    role=role if role in ("accept", "reject", "settings", "close") else "other",
                )
            )
        main = frame.parent_frame is None
        page_url = frame.page.url if not main else frame.url
        return BannerRecord(
            page_url=page_url,
            detected_by=detected_by,
            cmp=cmp,
            selector=described.get("selector"),
            text=described.get("text", ""),
            buttons=buttons,
            frame_url=None if main else frame.url,
        )

    async def _toggles(self, frame: Frame, containers: list[str]) -> list[FormControl]:
        raw = await self._call(frame, {"op": "toggles", "containers": containers}) or []
        out = []
        for t in raw:
            try:
                out.append(FormControl(**{k: v for k, v in t.items() if v is not None or k in ("checked",)}))
            except ValueError:
                continue
        return out

    async def _open_settings_layer(self, found: _Found, state: _ContextState, record: BannerRecord) -> None:
        """Open the settings layer to read its toggles as they are before the visitor touches them."""
        button = next((b for b in record.buttons if b.role == "settings"), None)
        if button is None:
            return
        if not await self._click(found.frame, button.selector):
            return
        await asyncio.sleep(0.8)
        layers = [*found.settings_layer, *found.containers]
        again = await self._find_heuristic(found.frame)
        if again:
            layers = [*again.containers, *layers]
        toggles = await self._toggles(found.frame, layers)
        if toggles:
            record.toggles = toggles
        if state.screenshots:
            record.settings_screenshot = await self._shoot(found.frame, layers, state, "settings")

    # ------------------------------------------------------------------ act
    async def act(
        self, page: Page, action: Literal["reject", "accept"], phase_clock: Callable[[], float]
    ) -> ConsentAction:
        state = await self._state_for(page)
        state.active = False  # documents after the choice need no detection
        found = state.found
        if found is None:
            return ConsentAction(
                action=action,
                succeeded=False,
                method="none",
                detail=f"no consent banner found within {state.detect_s:g}s",
            )
        record = found.record
        cmp_name = found.cmp or "heuristic"
        button = next((b for b in record.buttons if b.role == action), None)
        if button is not None:
            result = await self._click_as_visitor(
                found, button, action, cmp_name, phase_clock, f"clicked '{button.text}' on the banner's first layer"
            )
            if result is not None:
                return await self._after(page, found, result, phase_clock)
        layered = await self._second_layer(found, action, phase_clock)
        if layered is not None:
            layered.cmp = cmp_name
            return await self._after(page, found, layered, phase_clock)
        if found.cmp and self.autoconsent is not None:
            result = await self._autoconsent_action(state, found, action, phase_clock)
            if result is not None:
                return await self._after(page, found, result, phase_clock)
        if action == "accept":
            close = next((b for b in record.buttons if b.role == "close"), None)
            if close is not None:
                result = await self._click_as_visitor(
                    found, close, action, cmp_name, phase_clock,
                    f"the banner has no accept button; closed it with '{close.text}'",
                )
                if result is not None:
                    return await self._after(page, found, result, phase_clock)
        word = "refuse" if action == "reject" else "accept"
        return ConsentAction(
            action=action,
            succeeded=False,
            method="none",
            cmp=cmp_name,
            detail=f"the banner offers no way to {word} on its first or settings layer; "
            f"buttons: {', '.join(repr(b.text) for b in record.buttons) or 'none'}",
        )

    async def _second_layer(
        self, found: _Found, action: str, phase_clock: Callable[[], float]
    ) -> ConsentAction | None:
        """Settings, then the action's button there; for a reject with none, switch every toggle off and save."""
        settings = next((b for b in found.record.buttons if b.role == "settings"), None)
        if settings is None:
            return None
        at_ms = phase_clock()
        if not await self._click(found.frame, settings.selector):
            return None
        await asyncio.sleep(0.8)
        layers = [*found.settings_layer, *found.containers]
        again = await self._find_heuristic(found.frame)
        if again:
            layers = [*again.containers, *layers]
        described = await self._call(found.frame, {"op": "describe", "containers": layers})
        if not described:
            return None
        buttons = described.get("buttons", [])
        target = next((b for b in buttons if b.get("role") == action), None)
        if target and await self._click(found.frame, target["selector"]):
            return ConsentAction(
                action=action,
                succeeded=True,
                method="click",
                at_ms=at_ms,
                selector=target["selector"],
                button_text=target.get("text"),
                detail=f"no '{action}' on the first layer: opened '{settings.text}', then clicked "
                f"'{target.get('text')}'",
            )
        save = next((b for b in buttons if self.phrases.button_role(b.get("text", "")) == "save"), None)
        if action != "reject" or save is None:
            return None
        switched = 0
        for toggle in await self._toggles(found.frame, layers):
            disabled = (toggle.attributes or {}).get("disabled") == "true"
            if (
                toggle.checked
                and toggle.visible
                and not disabled
                and await self._click(found.frame, toggle.selector)
            ):
                switched += 1
        if not await self._click(found.frame, save["selector"]):
            return None
        return ConsentAction(
            action=action,
            succeeded=True,
            method="click",
            at_ms=at_ms,
            selector=save["selector"],
            button_text=save.get("text"),
            detail=f"no reject on the first layer: opened '{settings.text}', switched {switched} "
            f"toggle(s) off and clicked '{save.get('text')}'",
        )

    async def _autoconsent_action(
        self, state: _ContextState, found: _Found, action: str, phase_clock: Callable[[], float]
    ) -> ConsentAction | None:
        kind = "optOut" if action == "reject" else "optIn"
        result_kind = "optOutResult" if action == "reject" else "optInResult"
        since = time.monotonic()
        state.evals.clear()
        at_ms = phase_clock()
        await self._send(found.frame, {"type": kind}, wait=True)
        results = self._messages(state, result_kind, since)
        if not results:
            return None
        succeeded = bool(results[-1][0].get("result"))
        rule = self.autoconsent.rule(found.cmp) if self.autoconsent else None
        steps = (rule or {}).get(kind)
        api = any(not any(s in e for s in DETECTION_SNIPPETS) for e in state.evals) or (
            rule is not None and uses_eval(steps) and not clicked_selectors(steps)
        )
        method = "api" if api else "click"
        detail = f"no visible '{action}' button: autoconsent's {found.cmp} {kind} " + (
            "called the platform's JavaScript (" + ", ".join(dict.fromkeys(state.evals)) + ") instead of "
            "clicking; this proves nothing about the visible buttons"
            if api
            else "clicked through the platform's layers"
        )
        return ConsentAction(action=action, succeeded=succeeded, method=method, at_ms=at_ms, detail=detail)

    async def _after(
        self, page: Page, found: _Found, result: ConsentAction, phase_clock: Callable[[], float]
    ) -> ConsentAction:
        """Did the banner go away, and what does the platform's TCF string say now?"""
        closed = False
        for _ in range(12):
            if not await self._call(found.frame, {"op": "visible", "selectors": found.containers[:1]}):
                closed = True
                break
            await asyncio.sleep(POLL_S)
        result.banner_closed = closed
        tcf = None
        for _ in range(6):
            tcf = await self._read_tcf(page, phase_clock)
            if tcf is None or tcf.event_status == "useractioncomplete":
                break
            await asyncio.sleep(POLL_S)
        result.tcf = tcf
        return result

    # ------------------------------------------------------------------ helpers
    async def _click_as_visitor(self, found: _Found, button: BannerButton, action: Literal["reject", "accept"],
                                cmp_name: str, phase_clock: Callable[[], float], detail: str) -> ConsentAction | None:
        """Click a visible banner button; the action it records, timed from the click, or None if it failed."""
        at_ms = phase_clock()
        if not await self._click(found.frame, button.selector):
            return None
        return ConsentAction(action=action, succeeded=True, method="click", at_ms=at_ms, selector=button.selector,
                             button_text=button.text, cmp=cmp_name, detail=detail)

    async def _click(self, frame: Frame, selector: str | None) -> bool:
        if not selector:
            return False
        try:
            await frame.locator(selector).first.click(timeout=3000)
            return True
        except PlaywrightError:
            try:  # covered by an overlay or moving: a DOM click still answers the banner as the site wired it
                await frame.locator(selector).first.dispatch_event("click", timeout=1000)
                return True
            except PlaywrightError:
                return False

    async def _read_tcf(self, page: Page, phase_clock: Callable[[], float]) -> TcfConsent | None:
        try:
            data = await asyncio.wait_for(page.main_frame.evaluate(TCF_JS), EVAL_TIMEOUT_S)
        except (PlaywrightError, TimeoutError):
            return None
        if not data or not data.get("tcString"):
            return None
        try:
            tcf = decode_tc_string(data["tcString"])
        except TcStringError:
            tcf = TcfConsent(tc_string=data["tcString"][:2000], version=0)
        tcf.event_status = data.get("eventStatus")
        tcf.read_at_ms = phase_clock()
        return tcf

    async def _shoot(
        self, frame: Frame, containers: list[str], state: _ContextState, kind: str
    ) -> str | None:
        workdir = state.workdir
        if workdir is None:
            return None
        for selector in containers:
            if not selector:
                continue
            try:
                target = frame.locator(selector).first
                if not await target.is_visible():
                    continue
                self._shots += 1
                phase = state.phase.value if state.phase else "phase"
                relative = f"screenshots/{kind}-{phase}-{self._shots:03d}.jpg"
                path = workdir / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                await target.screenshot(path=str(path), type="jpeg", quality=70, timeout=3000)
                return relative
            except PlaywrightError:
                continue
        return None
