"""The crawl: visit a site in Chromium phase by phase and record what a visitor's browser did.

One fresh browser context per phase (no cookies, no storage), one tab, pages one after another: what
accumulates over a visit (cookies set on page 1 and sent on page 2) is the point, so nothing is cleared
between pages of a phase. No Playwright object leaves this package; the output is `Evidence`.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal, Protocol

from playwright.async_api import BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..models import (
    BannerRecord,
    BrowserInfo,
    CauseKind,
    ConsentAction,
    CookieRecord,
    Evidence,
    FormRecord,
    FrameRecord,
    LinkRecord,
    PageRecord,
    Party,
    Phase,
    PhaseEvidence,
    RequestRecord,
    StorageItem,
)
from ..netguard import NetGuard
from ..settings import ScanOptions
from ..urls import MAX_QUERY_VARIANTS_PER_PATH, host_of, normalise, registrable_domain
from .browser import launch_profile
from .control import StopToken
from .guard_proxy import GuardProxy

CAPTURE_JS = (Path(__file__).parent / "capture.js").read_text()
SKIPPED_EXTENSIONS = re.compile(
    r"\.(pdf|zip|gz|tgz|rar|7z|exe|dmg|msi|apk|iso|mp3|mp4|mov|avi|wav|jpg|jpeg|png|gif|webp|svg|ico|docx?|xlsx?|pptx?|csv)$",
    re.IGNORECASE,
)
MAX_HTML_CHARS = 2_000_000
COOKIE_POLL_S = 0.5
ProgressCallback = Callable[[Phase, int, str], None]
# Judgements the crawl needs but does not make (the pipeline passes them in, so crawl imports no later stage):
# how strongly a link text/URL (or a page title/URL) says "privacy notice" (> 0: visit first, keep its HTML) ...
LinkPriority = Callable[[str, str], float]
# ... and which query/body parameters of a request carry a visitor identifier.
IdentifierParams = Callable[[str, str | None], list[str]]


class CrawlAborted(Exception):
    """The crawl could not start at all (the browser would not launch)."""


class ConsentDriver(Protocol):
    """Finds a consent banner on a page and operates it. The consent package provides the real one."""

    async def prepare(self, context: BrowserContext, phase: Phase, options: ScanOptions, workdir: Path) -> None:
        """Set up on a new context before its first navigation (e.g. inject banner detection)."""

    async def inspect(self, page: Page, phase_clock: Callable[[], float]) -> BannerRecord | None: ...

    async def act(
        self, page: Page, action: Literal["reject", "accept"], phase_clock: Callable[[], float]
    ) -> ConsentAction: ...


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "error"
    return re.sub(r"^\w+\.\w+: ", "", line)[:300]


def _is_crash(exc: BaseException) -> bool:
    text = str(exc)
    return any(s in text for s in ("has been closed", "Target crashed", "Browser closed", "browser has disconnected",
                                   "Connection closed", "Target closed"))


def _cookie_key(c: dict) -> tuple[str, str, str]:
    return c["name"], c["domain"].lower(), c.get("path", "/")


def _parse_set_cookie(header: str, response_host: str) -> tuple[str, str, bool] | None:
    """(name, domain, is_deletion) of one Set-Cookie line."""
    name, _, rest = header.partition("=")
    name = name.strip()
    if not name:
        return None
    domain = response_host
    deletion = False
    for attribute in rest.split(";")[1:]:
        key, _, value = attribute.strip().partition("=")
        key = key.lower()
        if key == "domain" and value:
            domain = value.lower().lstrip(".")
        elif key == "max-age" and value.strip().lstrip("-").isdigit() and int(value) <= 0:
            deletion = True
        elif key == "expires":
            with contextlib.suppress(TypeError, ValueError):
                deletion = deletion or parsedate_to_datetime(value) < datetime.now(UTC)
    return name, domain, deletion


def _no_identifiers(_url: str, _post_data: str | None) -> list[str]:
    return []


def _no_priority(_text: str, _url: str) -> float:
    return 0.0


@dataclass
class PhaseRecorder:
    """Collects one phase's evidence from Playwright's context events."""

    phase: Phase
    site_domain: str
    proxy: GuardProxy
    identifiers: IdentifierParams = _no_identifiers
    t0: float = field(default_factory=time.monotonic)
    current_page: str = ""
    last_activity: float = field(default_factory=time.monotonic)
    requests: list[RequestRecord] = field(default_factory=list)
    cookies: dict[tuple[str, str, str], CookieRecord] = field(default_factory=dict)
    storage: dict[tuple[str, str, str], StorageItem] = field(default_factory=dict)
    set_cookie_lines: list[tuple[str, str, str, bool, str, float]] = field(default_factory=list)
    initiators: dict[str, str] = field(default_factory=dict)
    _by_request: dict[int, RequestRecord] = field(default_factory=dict)
    _tasks: set[asyncio.Task] = field(default_factory=set)

    def clock(self) -> float:
        return round((time.monotonic() - self.t0) * 1000, 1)

    def party(self, host: str) -> Party:
        return Party.first if registrable_domain(host) == self.site_domain else Party.third

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_finished)
        context.on("requestfailed", self._on_failed)
        context.on("response", self._on_response)

    def _on_request(self, request) -> None:
        self.last_activity = time.monotonic()
        url = request.url
        if not url.startswith(("http://", "https://")):
            return
        host = host_of(url)
        try:  # a popup's first navigation has no frame yet
            frame = request.frame
            frame_url = frame.url or None
            is_main = frame.parent_frame is None
        except PlaywrightError:
            frame_url, is_main = None, True
        post = None
        try:
            post = request.post_data
        except (PlaywrightError, UnicodeDecodeError):
            post = None
        record = RequestRecord(
            url=url[:4000],
            host=host,
            method=request.method,
            resource_type=request.resource_type,
            page_url=self.current_page,
            frame_url=frame_url,
            is_main_frame=is_main,
            initiator=self.initiators.get(url),
            party=self.party(host),
            started_ms=self.clock(),
            identifier_params=self._identifier_params(url, post),
            post_data_preview=post[:500] if post else None,
        )
        self.requests.append(record)
        self._by_request[id(request)] = record

    def _identifier_params(self, url: str, post_data: str | None) -> list[str]:
        try:
            return self.identifiers(url, post_data)
        except Exception:  # an annotation, not evidence: a parser hiccup must not lose the request
            return []

    def _on_finished(self, request) -> None:
        self.last_activity = time.monotonic()
        record = self._by_request.get(id(request))
        if record is None:
            return
        record.duration_ms = round(self.clock() - record.started_ms, 1)
        record.initiator = record.initiator or self.initiators.get(record.url)

        async def details() -> None:
            try:
                headers = await request.all_headers()
                cookie_header = headers.get("cookie", "")
                record.cookies_sent = [p.split("=", 1)[0].strip() for p in cookie_header.split(";") if "=" in p]
                response = await request.response()
                if response:
                    record.status = response.status
                    if response.headers.get("x-privacyscan-refused"):
                        self._mark_refused(record, response.headers["x-privacyscan-refused"], response.status)
            except PlaywrightError:
                pass

        self._spawn(details())

    def _mark_refused(self, record: RequestRecord, reason: str, status: int | None) -> None:
        if status == 403:
            record.blocked_reason = reason
        else:
            record.failure = reason

    def _on_failed(self, request) -> None:
        self.last_activity = time.monotonic()
        record = self._by_request.get(id(request))
        if record is None:
            return
        record.duration_ms = round(self.clock() - record.started_ms, 1)
        record.initiator = record.initiator or self.initiators.get(record.url)
        record.failure = _first_line(request.failure or "failed")
        refused = self.proxy.refusal_for(record.host)
        if refused:
            record.blocked_reason = refused

    def _on_response(self, response) -> None:
        async def read_set_cookie() -> None:
            try:
                lines = await response.header_values("set-cookie")
            except PlaywrightError:
                return
            host = host_of(response.url)
            for line in lines:
                for single in line.split("\n"):
                    parsed = _parse_set_cookie(single, host)
                    if parsed:
                        name, domain, deletion = parsed
                        self.set_cookie_lines.append(
                            (name, domain, response.url, deletion, self.current_page, self.clock())
                        )

        self._spawn(read_set_cookie())

    # -------------------------------------------------------------- cookies and storage
    async def snapshot_cookies(self, context: BrowserContext) -> None:
        try:
            jar = await context.cookies()
        except PlaywrightError:
            return
        now_ms = self.clock()
        wall = datetime.now(UTC)
        for c in jar:
            key = _cookie_key(c)
            if key in self.cookies:
                continue
            expires = c.get("expires", -1)
            expires_at = datetime.fromtimestamp(expires, UTC) if expires and expires > 0 else None
            domain = c["domain"].lstrip(".").lower()
            header_source = next(
                (line for line in self.set_cookie_lines
                 if line[0] == c["name"] and not line[3] and (domain == line[1] or domain.endswith("." + line[1])
                                                              or line[1].endswith("." + domain) or line[1] == domain)),
                None,
            )
            self.cookies[key] = CookieRecord(
                name=c["name"],
                value=str(c.get("value", ""))[:256],
                domain=c["domain"],
                path=c.get("path", "/"),
                expires=expires_at,
                lifetime_days=round((expires_at - wall).total_seconds() / 86400, 4) if expires_at else None,
                secure=bool(c.get("secure")),
                http_only=bool(c.get("httpOnly")),
                same_site=c.get("sameSite"),
                party=self.party(domain),
                first_seen_page=self.current_page,
                first_seen_ms=now_ms,
                set_by="header" if header_source else "script",
                set_by_url=header_source[2] if header_source else None,
            )

    def header_only_cookies(self) -> list[CookieRecord]:
        """Cookies a response tried to set that never reached the jar (blocked, invalid, rejected)."""
        stored = {(c.name, c.domain.lstrip(".").lower()) for c in self.cookies.values()}
        seen: set[tuple[str, str]] = set()
        out = []
        for name, domain, url, deletion, page, at_ms in self.set_cookie_lines:
            if deletion or (name, domain) in stored or (name, domain) in seen:
                continue
            seen.add((name, domain))
            out.append(
                CookieRecord(name=name, value="", domain=domain, party=self.party(domain), first_seen_page=page,
                             first_seen_ms=at_ms, set_by="header", set_by_url=url, stored=False)
            )
        return out

    def add_storage(self, origin: str, items: list[dict], page_url: str) -> None:
        for item in items:
            key = (item["kind"], origin, item["key"])
            if key not in self.storage:
                self.storage[key] = StorageItem(
                    kind=item["kind"], origin=origin, key=item["key"][:300],
                    value_preview=item.get("value_preview", "")[:200], page_url=page_url,
                    party=self.party(host_of(origin)),
                )


@dataclass
class Frontier:
    """Breadth-first frontier over same-site URLs; privacy-notice links jump the queue within a depth."""

    site_domain: str
    options: ScanOptions
    _heap: list[tuple[int, float, int, str]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _variants: dict[str, int] = field(default_factory=dict)
    _seq: int = 0

    def add(self, url: str, depth: int, priority: float = 0.0) -> None:
        key = normalise(url)
        if key is None or key in self._seen or depth > self.options.max_depth:
            return
        host = host_of(key)
        if registrable_domain(host) != self.site_domain or not self.options.url_allowed(key):
            return
        path = key.split("?", 1)[0]
        if SKIPPED_EXTENSIONS.search(path):
            return
        if "?" in key:
            count = self._variants.get(path, 0)
            if count >= MAX_QUERY_VARIANTS_PER_PATH:
                return
            self._variants[path] = count + 1
        self._seen.add(key)
        self._seq += 1
        heapq.heappush(self._heap, (depth, -priority, self._seq, key))

    def pop(self) -> tuple[str, int, float] | None:
        """(url, depth, priority); priority > 0 means a link text said "privacy notice" or the like."""
        if not self._heap:
            return None
        depth, negative_priority, _, url = heapq.heappop(self._heap)
        return url, depth, -negative_priority

    def __len__(self) -> int:
        return len(self._heap)


class Crawler:
    def __init__(self, options: ScanOptions, workdir: Path, consent: ConsentDriver | None = None,
                 progress: ProgressCallback | None = None, link_priority: LinkPriority = _no_priority,
                 identifiers: IdentifierParams = _no_identifiers, stop: StopToken | None = None) -> None:
        self.options = options
        self.stop = stop or StopToken()
        self.link_priority = link_priority
        self.identifiers = identifiers
        self.workdir = workdir
        self.consent = consent
        self.progress = progress
        self.site_domain = registrable_domain(host_of(options.site_url))
        self.guard = NetGuard(options.mappings, options.allow_private_network)
        self.proxy = GuardProxy(self.guard)
        self.deadline = time.monotonic() + options.time_budget_s
        self.browser_info = BrowserInfo()
        self._playwright = None
        self._profiles = 0
        self._shots = 0
        self._partial: tuple[PhaseEvidence, PhaseRecorder] | None = None
        self._closed: dict[int, bool] = {}
        self._popup_handlers: set[int] = set()

    # ------------------------------------------------------------------ browser lifecycle
    async def _new_context(self) -> BrowserContext:
        """A fresh Chromium with a fresh profile: no cookies, no storage, third-party cookies allowed."""
        self._profiles += 1
        profile = self.workdir / ".profiles" / f"profile-{self._profiles}"
        context = await launch_profile(
            self._playwright, profile, self.proxy.url, executable=self.options.chromium_path,
            extra_args=self.options.extra_chromium_args, ignore_https_errors=self.options.ignore_https_errors,
            user_agent=self.options.user_agent, timeout_s=self.options.page_timeout_s, env=self.options.chromium_env,
        )
        self._closed[id(context)] = False
        context.on("close", lambda _ctx: self._closed.__setitem__(id(context), True))
        if not self.browser_info.version:
            page = context.pages[0] if context.pages else await context.new_page()
            cdp = await context.new_cdp_session(page)
            info = await cdp.send("Browser.getVersion")
            await cdp.detach()
            user_agent = await page.evaluate("navigator.userAgent")
            self.browser_info = BrowserInfo(version=info.get("product", "").split("/")[-1], user_agent=user_agent)
        return context

    async def _close(self, context: BrowserContext) -> None:
        with _suppress():
            await context.close()
        shutil.rmtree(self.workdir / ".profiles", ignore_errors=True)

    # ------------------------------------------------------------------ the whole crawl
    async def run(self, started_at: datetime, scan_id: str, site_id: str) -> Evidence:
        evidence = Evidence(
            site_url=self.options.site_url, site_id=site_id, registrable_domain=self.site_domain,
            scan_id=scan_id, started_at=started_at,
        )
        self.proxy.start()
        try:
            async with async_playwright() as playwright:
                self._playwright = playwright
                visited: list[str] = []
                for phase in self.options.phases:
                    if phase is not Phase.before_consent and self.consent is None:
                        continue
                    if self.stop.is_set():
                        evidence.add_cause(CauseKind.interrupted, self.stop.reason or "interrupted", phase)
                        break
                    if self._remaining() <= 1:
                        evidence.add_cause(CauseKind.time_budget,
                                          f"time budget of {self.options.time_budget_s:g}s ran out before this phase",
                                          phase)
                        break
                    self._partial = None
                    try:
                        phase_evidence = await self._crawl_phase(phase, visited)
                    except Exception as exc:  # keep what the phase gathered; never lose a scan to one fault
                        salvaged = self._salvage(exc)
                        if salvaged is None:
                            if not evidence.phases:
                                raise CrawlAborted(f"Chromium did not start: {_first_line(str(exc))}") from exc
                            evidence.add_cause(CauseKind.phase_error, _first_line(str(exc)), phase)
                            break
                        phase_evidence = salvaged
                    evidence.browser = self.browser_info
                    evidence.phases.append(phase_evidence)
                    if phase is Phase.before_consent:
                        visited = [p.url for p in phase_evidence.pages if p.error is None]
                    for cause in phase_evidence.causes:
                        evidence.add_cause(cause.kind, cause.detail, phase)
        finally:
            self.proxy.stop()
        evidence.finished_at = datetime.now(UTC)
        return evidence

    def _salvage(self, exc: BaseException) -> PhaseEvidence | None:
        """The evidence a phase had gathered when `exc` stopped it, marked incomplete; None if it had none."""
        if self._partial is None or not self._partial[0].pages:
            return None
        result, recorder = self._partial
        result.requests = recorder.requests
        result.cookies = [*recorder.cookies.values(), *recorder.header_only_cookies()]
        result.storage = list(recorder.storage.values())
        result.add_cause(CauseKind.phase_error, f"stopped by an error after {len(result.pages)} pages: "
                         f"{type(exc).__name__}: {_first_line(str(exc))}")
        return result

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    async def _crawl_phase(self, phase: Phase, known_pages: list[str]) -> PhaseEvidence:
        result = PhaseEvidence(phase=phase, started_at=datetime.now(UTC))
        recorder = PhaseRecorder(phase, self.site_domain, self.proxy, self.identifiers)
        self._partial = (result, recorder)
        frontier = Frontier(self.site_domain, self.options)
        discovering = phase is Phase.before_consent
        if discovering:
            frontier.add(self.options.site_url, 0)
            for seed in self.options.seeds:
                frontier.add(seed, 1)
            queue = None
        else:
            queue = list(dict.fromkeys([self.options.site_url, *known_pages]))[: self.options.max_pages]
        crashes = 0
        context = await self._new_context()
        recorder.attach(context)
        await self._prepare_consent(context, phase)
        page = await self._new_page(context, recorder)
        consent_done = phase is Phase.before_consent
        index = 0
        while len(result.pages) < self.options.max_pages:
            if discovering:
                item = frontier.pop()
                if item is None:
                    break
                url, depth, priority = item
            else:
                if index >= len(queue):
                    break
                url, depth, priority = queue[index], 0, 0.0
                index += 1
            if self.stop.is_set():
                result.add_cause(CauseKind.interrupted, self.stop.reason or "interrupted")
                break
            if self._remaining() < 2:
                result.add_cause(CauseKind.time_budget,
                                 f"time budget of {self.options.time_budget_s:g}s ran out after {len(result.pages)} pages")
                break
            if self.progress:
                self.progress(phase, len(result.pages) + 1, url)
            try:
                record = await self._visit(page, context, recorder, url, depth, phase, len(result.pages),
                                           keep_html=priority > 0)
            except _PageUnresponsive as hung:
                # Keep the record, leave the busy tab behind and go on in a new tab of the same profile.
                result.pages.append(hung.record)
                with _suppress():
                    await _within(5, page.close(run_before_unload=False))
                page = await self._new_page(context, recorder)
                continue
            except _BrowserCrashed as crash:
                crashes += 1
                result.pages.append(PageRecord(url=url, depth=depth, error=f"browser crashed: {crash}",
                                               error_kind="crashed", started_ms=recorder.clock()))
                if crashes > 1:
                    result.add_cause(CauseKind.browser_crash,
                                     f"the browser crashed twice (last on {url}); stopped with what was gathered")
                    break
                await self._close(context)
                context = await self._new_context()
                recorder.attach(context)
                await self._prepare_consent(context, phase)
                page = await self._new_page(context, recorder)
                result.add_cause(CauseKind.browser_crash, f"the browser crashed on {url} and was restarted; "
                                 "cookies set before the crash are not in later pages")
                continue
            result.pages.append(record)
            if phase is Phase.before_consent and self.consent and len(result.pages) == 1 and record.error is None:
                banner = await self._safely(self.consent.inspect(page, recorder.clock))
                if banner:
                    result.banners.append(banner)
            if not consent_done and record.error is None:
                consent_done = True
                action = "reject" if phase is Phase.after_reject else "accept"
                banner = await self._safely(self.consent.inspect(page, recorder.clock))
                if banner:
                    result.banners.append(banner)
                result.consent_action = await self._safely(self.consent.act(page, action, recorder.clock)) or \
                    ConsentAction(action=action, succeeded=False, detail="the consent driver failed")
                # What a choice sets off often starts seconds later (tag managers re-evaluating consent):
                # watch at least consent_settle_s, then until consent_quiet_s pass with no request.
                await self._settle(page, context, recorder, minimum_s=self.options.consent_settle_s,
                                   quiet_s=self.options.consent_quiet_s, cap_s=self.options.consent_cap_s)
                # Trackers often fire on the next navigation after a choice: reload the first page.
                queue.insert(index, url)
            if discovering and record.error is None:
                for link in record.links:
                    frontier.add(link.url, depth + 1, priority=self.link_priority(link.text, link.url))
        else:
            if discovering and len(frontier):
                result.add_cause(CauseKind.page_limit, f"page limit of {self.options.max_pages} reached; "
                                 f"{len(frontier)} more same-site URLs not visited")
        await recorder.snapshot_cookies(context)
        await recorder.drain()
        await self._close(context)
        result.requests = recorder.requests
        result.cookies = [*recorder.cookies.values(), *recorder.header_only_cookies()]
        result.storage = list(recorder.storage.values())
        return result

    async def _prepare_consent(self, context: BrowserContext, phase: Phase) -> None:
        """Let the consent driver set itself up on a new context before the first page loads (it injects
        its banner detection into every document)."""
        if self.consent is not None:
            await self._safely(self.consent.prepare(context, phase, self.options, self.workdir))

    async def _safely(self, coro):
        try:
            return await asyncio.wait_for(coro, timeout=max(5.0, min(60.0, self._remaining())))
        except (TimeoutError, PlaywrightError):
            return None

    async def _new_page(self, context: BrowserContext, recorder: PhaseRecorder) -> Page:
        page = context.pages[0] if context.pages else await context.new_page()
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        if id(context) not in self._popup_handlers:
            self._popup_handlers.add(id(context))  # one handler per context, however many tabs we open

            async def close_popup(popup: Page) -> None:
                with _suppress():
                    if await popup.opener() is not None:  # window.open from the site; not our own tab
                        await popup.close()

            context.on("page", lambda popup: asyncio.ensure_future(close_popup(popup)))
        try:
            cdp = await context.new_cdp_session(page)
            await cdp.send("Network.enable")

            def on_will_be_sent(event: dict) -> None:
                initiator = event.get("initiator") or {}
                url = initiator.get("url")
                if not url:
                    frames = (initiator.get("stack") or {}).get("callFrames") or []
                    url = frames[0]["url"] if frames else None
                if url:
                    recorder.initiators.setdefault(event["request"]["url"], url)

            cdp.on("Network.requestWillBeSent", on_will_be_sent)
        except PlaywrightError:
            pass  # initiators are "where known"
        return page

    # ------------------------------------------------------------------ one page
    async def _visit(self, page: Page, context: BrowserContext, recorder: PhaseRecorder, url: str,
                     depth: int, phase: Phase, index: int, keep_html: bool = False) -> PageRecord:
        recorder.current_page = url
        record = PageRecord(url=url, depth=depth, started_ms=recorder.clock())
        started = time.monotonic()
        budget_s = max(1.0, min(self.options.page_timeout_s, self._remaining() - 1))

        def left_ms() -> float:
            return max(200.0, (budget_s - (time.monotonic() - started)) * 1000)

        try:
            try:
                response = await page.goto(url, wait_until="commit", timeout=left_ms())
            except PlaywrightTimeout:
                response = None
                record.error = f"timed out after {budget_s:g}s waiting for the server"
                record.error_kind = "no_document"
            except PlaywrightError as exc:
                if self._crashed(context, exc):
                    raise _BrowserCrashed(_first_line(str(exc))) from exc
                response = None
                refused = self.proxy.refusal_for(host_of(url))
                unreachable = self.proxy.refusal_for(host_of(url), kind="unreachable")
                record.error_kind = "refused" if refused else "no_document"
                if refused:
                    record.error = f"refused: {refused}"
                elif unreachable:
                    record.error = f"unreachable: {unreachable}"
                else:
                    record.error = _first_line(str(exc))
            if response is not None:
                record.status = response.status
                refused = response.headers.get("x-privacyscan-refused")
                if refused:
                    record.error = f"{'refused' if response.status == 403 else 'unreachable'}: {refused}"
                    record.error_kind = "refused" if response.status == 403 else "no_document"
                else:
                    # A page whose scripts or styles hang is still recorded with what had arrived.
                    for state in ("domcontentloaded", "load"):
                        try:
                            await page.wait_for_load_state(state, timeout=left_ms())
                        except PlaywrightTimeout:
                            record.error = f"the page did not finish loading within {budget_s:g}s; recorded what had loaded"
                            record.error_kind = "incomplete_load"
                            break
                    # Scroll first so lazy loaders fire inside the settle window, not after it.
                    loaded_at = time.monotonic()
                    try:
                        await self._scroll(page)
                        await self._settle(page, context, recorder, minimum_s=self.options.settle_s,
                                           since=loaded_at)
                        await self._capture(page, record, recorder, keep_html)
                    except _PageUnresponsive:
                        record.error = "the page's scripts kept it busy; it did not answer within 5s"
                        record.error_kind = "busy"
                        record.final_url = page.url
                        record.load_ms = round((time.monotonic() - started) * 1000, 1)
                        await recorder.snapshot_cookies(context)
                        raise _PageUnresponsive(record) from None
                    if self.options.screenshots:
                        # A page that never finished loading may never paint: do not wait long for it.
                        record.screenshot = await self._screenshot(page, phase, index, 1.5 if record.error else 5.0)
                    record.final_url = page.url if page.url != "about:blank" else None
        except PlaywrightError as exc:
            if self._crashed(context, exc):
                raise _BrowserCrashed(_first_line(str(exc))) from exc
            if record.error is None:
                record.error, record.error_kind = _first_line(str(exc)), "other"
        await recorder.snapshot_cookies(context)
        record.load_ms = round((time.monotonic() - started) * 1000, 1)
        return record

    def _crashed(self, context: BrowserContext, exc: BaseException) -> bool:
        return self._closed.get(id(context), False) or _is_crash(exc)

    async def _settle(self, page: Page, context: BrowserContext, recorder: PhaseRecorder, minimum_s: float,
                      since: float | None = None, quiet_s: float | None = None, cap_s: float | None = None) -> None:
        """Wait until `minimum_s` after `since` (default: now), then until no request started or ended for
        the quiet window (capped). A request that hangs forever does not hold the crawl: only activity
        counts, not open requests."""
        start = since or time.monotonic()
        quiet_window = self.options.quiet_window_s if quiet_s is None else quiet_s
        cap = start + max(minimum_s, self.options.quiet_cap_s if cap_s is None else cap_s)
        last_poll = 0.0
        while True:
            now = time.monotonic()
            if now - last_poll >= COOKIE_POLL_S:
                await recorder.snapshot_cookies(context)
                last_poll = now
            quiet = now - recorder.last_activity >= quiet_window
            if (now - start >= minimum_s and quiet) or now >= cap or self._remaining() < 1 or self.stop.is_set():
                return
            await asyncio.sleep(0.05)

    async def _scroll(self, page: Page) -> None:
        try:
            await _within(SCRIPT_TIMEOUT_S, page.evaluate(
                """async () => {
                    const step = Math.max(300, innerHeight * 0.9);
                    const height = () => (document.body ? document.body.scrollHeight : 0);
                    for (let i = 0; i < 8 && scrollY + innerHeight < height(); i++) {
                        scrollBy(0, step);
                        await new Promise(r => setTimeout(r, 40));
                    }
                    scrollTo(0, height());
                    await new Promise(r => setTimeout(r, 40));
                    scrollTo(0, 0);
                }"""
            ))
        except PlaywrightError:
            pass  # a page navigating away mid-scroll is not an error of the scan
        except TimeoutError:
            raise _PageUnresponsive() from None

    async def _capture(self, page: Page, record: PageRecord, recorder: PhaseRecorder, keep_html: bool) -> None:
        main = page.main_frame
        for frame in page.frames:
            try:
                data = await _within(SCRIPT_TIMEOUT_S, frame.evaluate(CAPTURE_JS))
            except PlaywrightError:
                continue
            except TimeoutError:
                if frame is main:
                    raise _PageUnresponsive() from None
                continue
            origin = data.get("origin") or ""
            if origin and origin != "null":
                recorder.add_storage(origin, data.get("storage", []), record.url)
            in_frame = frame is not main
            forms = [FormRecord(page_url=record.url, frame_url=frame.url if in_frame else None, **f)
                     for f in data.get("forms", [])]
            if self.options.screenshots and not in_frame:
                await self._outline_ticked_controls(page, forms, record)
            record.forms.extend(forms)
            if frame is main:
                record.title = data.get("title", "")[:500]
                record.lang = data.get("lang")
                record.text_excerpt = data.get("text", "")
                record.links = [LinkRecord(**link) for link in data.get("links", [])]
            elif frame.url.startswith("http"):
                host = host_of(frame.url)
                record.iframes.append(
                    FrameRecord(url=frame.url, host=host, name=frame.name or None, page_url=record.url,
                                party=recorder.party(host))
                )
        # The privacy notice is read from its HTML later; other pages keep only their text excerpt.
        if keep_html or self.link_priority(record.title, record.url) > 0:
            with _suppress():
                record.html = (await _within(SCRIPT_TIMEOUT_S, page.content()))[:MAX_HTML_CHARS]

    async def _outline_ticked_controls(self, page: Page, forms: list[FormRecord], record: PageRecord) -> None:
        """A control that is on before the visitor touched it is evidence in itself: photograph its form
        with the control outlined. Only ticked boxes, radios and switches: they are few."""
        for form in forms:
            for control in form.controls:
                # Hidden boxes (a banner's greyed "necessary" toggle) cannot be photographed: skip them.
                if not control.checked or control.tag == "option" or not control.visible:
                    continue
                self._shots += 1
                relative = f"screenshots/control-{self._shots:04d}.jpg"
                path = self.workdir / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    target = page.locator(control.selector).first
                    await target.evaluate("el => { const t = el.labels && el.labels[0] ? el.labels[0] : el;"
                                          " t.dataset.psOutline = t.style.outline; t.style.outline = '3px solid #e00'; }")
                    box = page.locator(form.selector).first if form.selector else target
                    await box.screenshot(path=str(path), type="jpeg", quality=60, timeout=1500)
                    await target.evaluate("el => { const t = el.labels && el.labels[0] ? el.labels[0] : el;"
                                          " t.style.outline = t.dataset.psOutline || ''; }")
                    control.screenshot = relative
                except PlaywrightError:
                    continue
        if self._shots:
            with _suppress():
                await page.evaluate("scrollTo(0, 0)")  # the page screenshot is of the first viewport

    async def _screenshot(self, page: Page, phase: Phase, index: int, timeout_s: float) -> str | None:
        relative = f"screenshots/{phase.value}-{index:03d}.jpg"
        path = self.workdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            await page.screenshot(path=str(path), type="jpeg", quality=60, timeout=timeout_s * 1000)
        except PlaywrightError:
            return None
        return relative


class _BrowserCrashed(Exception):
    pass


class _PageUnresponsive(Exception):
    """The page's own scripts keep its renderer busy: it answers nothing we ask."""

    def __init__(self, record: PageRecord | None = None) -> None:
        super().__init__("page unresponsive")
        self.record = record


SCRIPT_TIMEOUT_S = 5.0


async def _within(seconds: float, awaitable):
    """Playwright's evaluate has no timeout of its own; a page that spins in a loop would hold the scan."""
    return await asyncio.wait_for(awaitable, timeout=seconds)


class _suppress:
    """Close and tidy-up calls on a browser that may already be gone."""

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        return exc_type is not None and issubclass(exc_type, (PlaywrightError, asyncio.TimeoutError))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return exc_type is not None and issubclass(exc_type, (PlaywrightError, asyncio.TimeoutError))


async def crawl_site(options: ScanOptions, workdir: Path, started_at: datetime, scan_id: str, site_id: str,
                     consent: ConsentDriver | None = None, progress: ProgressCallback | None = None,
                     link_priority: LinkPriority = _no_priority,
                     identifiers: IdentifierParams = _no_identifiers, stop: StopToken | None = None) -> Evidence:
    crawler = Crawler(options, workdir, consent, progress, link_priority=link_priority, identifiers=identifiers,
                      stop=stop)
    return await crawler.run(started_at, scan_id, site_id)
