"""What a phase's browser did, from Playwright's context events: every request (with its initiator,
status, cookies sent and identifier parameters), every cookie that reached the jar or was only offered
by a Set-Cookie header, and every storage key a page's capture reported."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from ..models import CookieRecord, Party, Phase, PhaseEvidence, RequestRecord, StorageItem
from ..urls import host_of, registrable_domain
from .calls import CallClock, first_line
from .guard_proxy import GuardProxy

# Which query/body parameters of a request carry a visitor identifier (classify decides; the pipeline
# passes it in, so crawl imports no later stage).
IdentifierParams = Callable[[str, str | None], list[str]]
COOKIE_JAR_TIMEOUT_S = 5.0


def no_identifiers(_url: str, _post_data: str | None) -> list[str]:
    return []


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



@dataclass
class PhaseRecorder:
    """Collects one phase's evidence from Playwright's context events."""

    phase: Phase
    site_domain: str
    proxy: GuardProxy
    identifiers: IdentifierParams = no_identifiers
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

    async def drain(self, seconds: float = 5.0) -> None:
        """Let the response-detail reads that are still running finish (bounded)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=seconds)

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

    def _ended(self, request) -> RequestRecord | None:
        """The record of a request that just finished or failed, with its duration and initiator filled in."""
        self.last_activity = time.monotonic()
        record = self._by_request.get(id(request))
        if record is not None:
            record.duration_ms = round(self.clock() - record.started_ms, 1)
            record.initiator = record.initiator or self.initiators.get(record.url)
        return record

    def _on_finished(self, request) -> None:
        record = self._ended(request)
        if record is None:
            return

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
        record = self._ended(request)
        if record is None:
            return
        record.failure = first_line(request.failure or "failed")
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
    async def snapshot_cookies(self, context: BrowserContext, clock: CallClock) -> None:
        """Add the jar's new cookies. A browser that does not answer within the deadline (a window.open
        storm) leaves the jar as last read; a stop request ends the wait at once."""
        try:
            jar = await clock.call(context.cookies(), COOKIE_JAR_TIMEOUT_S)
        except (PlaywrightError, TimeoutError):
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
                                                              or line[1].endswith("." + domain))),
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

    def fill(self, result: PhaseEvidence) -> PhaseEvidence:
        """Hand what the events recorded to the phase's evidence (at the end, or when a fault stops it)."""
        result.requests = self.requests
        result.cookies = [*self.cookies.values(), *self.header_only_cookies()]
        result.storage = list(self.storage.values())
        return result
