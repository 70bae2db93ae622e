"""What a phase's pages were seen *doing*, whatever a vendor list says: the instrument's log of
fingerprinting and session-recording calls (instrument.js, an init script in every frame), and keystrokes:
marked test values typed into a page's text, e-mail, phone and search fields — never submitted, never
Enter — and every request that carries one of them (plain, URL-encoded, base64, SHA-256 or MD5 of the
value as typed or normalised: lower-cased e-mail, E.164 phone). Records; judges nothing (the behaviour
checks in `privacyscan.check.behaviour` do)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus, urlsplit

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from ..models import BehaviourRecord, PageRecord, PhaseEvidence
from ..urls import host_of, registrable_domain
from .calls import SCRIPT_TIMEOUT_S, CallClock
from .events import PhaseRecorder

INSTRUMENT_JS = (Path(__file__).parent / "instrument.js").read_text()
READ_LOG_JS = "() => (window.__privacyscanBehaviour ? window.__privacyscanBehaviour() : null)"
MAX_PROBED_PAGES = 5  # per phase: the same header form on every page need not be typed into every time
MAX_FIELDS = 8
TYPE_TIMEOUT_S = 3.0
MAX_BODY_CHARS = 200_000

# Which fields to type into and what each is (kind, locator index, a readable selector for the evidence).
# `index` counts the elements `page.locator("input")` counts (inputs only: a textarea before the fields
# would send each value into the next field).
FIELDS_JS = """() => {
  const kinds = [];
  const inputs = Array.from(document.querySelectorAll("input"));
  inputs.forEach((el, index) => {
    const type = (el.getAttribute("type") || "text").toLowerCase();
    if (!["text", "email", "tel", "search"].includes(type) || el.disabled || el.readOnly) return;
    const r = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (r.width <= 0 || r.height <= 0 || style.visibility === "hidden" || style.display === "none") return;
    const words = [el.name, el.id, el.getAttribute("autocomplete"), el.getAttribute("placeholder"),
                   el.getAttribute("aria-label"), el.labels && el.labels[0] ? el.labels[0].textContent : ""]
                  .join(" ").toLowerCase();
    let kind = "text";
    if (type === "email" || /e-?mail|e-?post/.test(words)) kind = "email";
    else if (type === "tel" || /phone|telefon|mobil|\\btel\\b/.test(words)) kind = "phone";
    else if (type === "search" || el.getAttribute("role") === "searchbox" || /\\b(q|s|query|search|s\\u00f8k|sok)\\b/.test(words)) kind = "search";
    const selector = el.id ? "#" + el.id : el.name ? `input[name="${el.name}"]` : `input:nth-of-type(${index + 1})`;
    kinds.push({ index, kind, selector });
  });
  return kinds.slice(0, %d);
}""" % MAX_FIELDS  # noqa: UP031 - braces of the JavaScript would need doubling for format()

Settle = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class TestValue:
    """A marked value privacyscan types into one kind of field, and the forms a site may send it in."""

    kind: str
    typed: str
    plain_forms: tuple[str, ...]  # as typed and normalised; each may also be URL-encoded or base64
    hashed_forms: tuple[str, ...]  # the normalisations sites and pixels hash (Meta: lower-case e-mail, digits)


TEST_VALUES = (
    TestValue("email", "Kari.Probe7431@Example.org", ("Kari.Probe7431@Example.org", "kari.probe7431@example.org"),
              ("kari.probe7431@example.org", "Kari.Probe7431@Example.org")),
    TestValue("phone", "917 35 286", ("917 35 286", "+4791735286", "4791735286", "91735286"),
              ("+4791735286", "4791735286", "91735286")),
    TestValue("text", "Kari Probesen", ("Kari Probesen",), ("kari probesen",)),
    TestValue("search", "probesok7431", ("probesok7431",), ("probesok7431",)),
)
VALUE_OF_KIND = {v.kind: v for v in TEST_VALUES}


@dataclass(frozen=True)
class Needle:
    text: str
    encoding: str
    case_sensitive: bool


def _b64(text: str) -> Iterator[str]:
    raw = text.encode()
    for encoded in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        yield encoded.rstrip("=")


def needles(value: TestValue) -> list[Needle]:
    """Every form of a test value worth looking for, the most telling encoding first."""
    out = [Needle(p.lower(), "plain", False) for p in value.plain_forms]
    out += [Needle(e.lower(), "url-encoded", False) for p in value.plain_forms for e in (quote(p, safe=""),
            quote_plus(p, safe="")) if e != p]
    out += [Needle(e, "base64", True) for p in value.plain_forms for e in _b64(p)]
    out += [Needle(hashlib.sha256(h.encode()).hexdigest(), "sha256", False) for h in value.hashed_forms]
    out += [Needle(hashlib.md5(h.encode()).hexdigest(), "md5", False) for h in value.hashed_forms]  # noqa: S324
    return out


NEEDLES = {value.kind: needles(value) for value in TEST_VALUES}


@dataclass(frozen=True)
class ValueMatch:
    value: TestValue
    encoding: str
    parameter: str | None


def _params(url: str, body: str | None) -> list[tuple[str, str]]:
    """The request's query and body parameters (form-encoded or JSON, flattened to dotted keys)."""
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    if body:
        stripped = body.strip()
        if stripped[:1] in "{[":
            with contextlib.suppress(ValueError):
                pairs += list(_flatten(json.loads(stripped), ""))
        elif "=" in stripped:
            pairs += parse_qsl(stripped, keep_blank_values=True)
    return pairs


def _flatten(node: object, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _flatten(child, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _flatten(child, f"{prefix}[{index}]")
    else:
        yield prefix, str(node)


def find_test_values(url: str, body: str | None, kinds: set[str] | None = None) -> list[ValueMatch]:
    """Which typed test values a request carries, how encoded and in which parameter (None: no one
    parameter holds it, e.g. a batched payload). At most one match per value, the plainest first."""
    haystack = url + "\n" + (body or "")
    lowered = haystack.lower()
    params: list[tuple[str, str]] | None = None
    out = []
    for value in TEST_VALUES:
        if kinds is not None and value.kind not in kinds:
            continue
        for needle in NEEDLES[value.kind]:
            if needle.text not in (haystack if needle.case_sensitive else lowered):
                continue
            if params is None:
                params = _params(url, body)
            out.append(ValueMatch(value, needle.encoding, _parameter_holding(params, needle)))
            break
    return out


def _parameter_holding(params: list[tuple[str, str]], needle: Needle) -> str | None:
    for key, raw in params:
        for candidate in (raw, unquote_plus(raw)):
            text = candidate if needle.case_sensitive else candidate.lower()
            if needle.text in text or (needle.encoding == "url-encoded" and unquote_plus(needle.text) in text):
                return key
    return None


@dataclass
class _Sent:
    match: ValueMatch
    request_url: str
    page_url: str
    frame_url: str | None
    at_ms: float


@dataclass
class BehaviourWatch:
    """One phase's behaviour evidence: installed on each browser context of the phase, fed each page."""

    recorder: PhaseRecorder
    clock: CallClock
    records: list[BehaviourRecord] = field(default_factory=list)
    probed_pages: int = 0
    typed: dict[str, str] = field(default_factory=dict)  # field kind -> selector, on the page being probed
    _sent: list[_Sent] = field(default_factory=list)
    _seen: set[tuple] = field(default_factory=set)

    async def install(self, context: BrowserContext) -> None:
        await self.clock.call(context.add_init_script(INSTRUMENT_JS), SCRIPT_TIMEOUT_S)
        context.on("request", self._on_request)

    def _on_request(self, request) -> None:
        """Only values already typed can be in a request; before the first field, nothing is looked for."""
        if not self.typed:
            return
        url = request.url
        if not url.startswith(("http://", "https://")):
            return
        try:
            buffer = request.post_data_buffer
            body = buffer.decode("utf-8", "replace")[:MAX_BODY_CHARS] if buffer else None
        except PlaywrightError:
            body = None
        try:
            frame = request.frame
            frame_url = None if frame.parent_frame is None else frame.url
        except PlaywrightError:
            frame_url = None
        for match in find_test_values(url, body, set(self.typed)):
            self._sent.append(_Sent(match, url[:4000], self.recorder.current_page, frame_url, self.recorder.clock()))

    async def after_page(self, page: Page, record: PageRecord, settle: Settle) -> None:
        """Type the test values into the page's fields (bounded), let what they set off arrive, then read
        the instrument's log of every frame. A page that answers nothing is left as it is."""
        if self.probed_pages < MAX_PROBED_PAGES and await self._type_into_fields(page):
            self.probed_pages += 1
            await settle()
        for frame in page.frames:
            log = await self._evaluate(frame, READ_LOG_JS)
            for entry in log or []:
                self._add_log_entry(entry, record.url, None if frame is page.main_frame else frame.url)

    async def _type_into_fields(self, page: Page) -> bool:
        fields = await self._evaluate(page.main_frame, FIELDS_JS) or []
        typed_any = False
        for item in fields:
            value = VALUE_OF_KIND[item["kind"]]
            self.typed[value.kind] = item["selector"]
            try:
                # Key by key, like a visitor; no Enter, no submit, no click (a banner may cover the form).
                await self.clock.call(page.locator("input").nth(item["index"]).press_sequentially(
                    value.typed, timeout=TYPE_TIMEOUT_S * 1000), TYPE_TIMEOUT_S + 1)
                typed_any = True
            except (PlaywrightError, TimeoutError):
                continue
        return typed_any

    async def _evaluate(self, frame: Frame, script: str):
        try:
            return await self.clock.call(frame.evaluate(script), SCRIPT_TIMEOUT_S)
        except (PlaywrightError, TimeoutError):
            return None

    def _add_log_entry(self, entry: dict, page_url: str, frame_url: str | None) -> None:
        script = entry.get("script") or None
        key = (entry.get("kind"), script, entry.get("detail"), page_url, frame_url)
        if key in self._seen or entry.get("kind") not in ("canvas", "webgl", "audio", "font_probe",
                                                           "dom_observer", "input_listener"):
            return
        self._seen.add(key)
        host = host_of(script) if script else None
        self.records.append(BehaviourRecord(
            kind=entry["kind"], page_url=page_url, frame_url=frame_url, script_url=script, script_host=host,
            party=self.recorder.party(host) if host else None, detail=str(entry.get("detail", ""))[:300],
            count=int(entry.get("count") or 1), at_ms=self.recorder.clock(),
        ))

    def _listening_script(self, page_url: str, request_host: str) -> str | None:
        """A request sent from an async callback has no initiator stack: the script that listened to the
        page's input events is the sender, preferably one of the recipient's own domain."""
        listeners = [r for r in self.records if r.kind == "input_listener" and r.page_url == page_url
                     and r.script_url and r.detail in ("input", "keydown", "keyup", "keypress")]
        domain = registrable_domain(request_host)
        same = [r for r in listeners if r.script_host and registrable_domain(r.script_host) == domain]
        chosen = same or listeners
        return chosen[0].script_url if chosen else None

    def fill(self, evidence: PhaseEvidence) -> PhaseEvidence:
        """Hand the records to the phase's evidence; each sent value names the script that sent it (CDP's
        initiator, known by now) and the recipient's party."""
        sent = []
        for s in self._sent:
            host = host_of(s.request_url)
            script = self.recorder.initiators.get(s.request_url) or self._listening_script(s.page_url, host)
            sent.append(BehaviourRecord(
                kind="value_sent", page_url=s.page_url, frame_url=s.frame_url, script_url=script,
                script_host=host_of(script) if script and script.startswith("http") else None,
                party=self.recorder.party(host), detail=f"{s.match.value.kind} value, {s.match.encoding}",
                at_ms=s.at_ms, request_url=s.request_url, request_host=host, parameter=s.match.parameter,
                field_kind=s.match.value.kind, field_selector=self.typed.get(s.match.value.kind),
                test_value=s.match.value.typed, encoding=s.match.encoding,
            ))
        evidence.behaviour = [*self.records, *sent]
        return evidence
