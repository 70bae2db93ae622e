"""The behaviour instrument (crawl/instrument.js) must not change what a page does: the same probe page,
run in Chromium with and without it, gets the same return values, the same exceptions, working observers
and listeners, native-looking functions and no new enumerable globals; and with it, every call is
attributed to the probe's own script URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright

from privacyscan.crawl.behaviour import INSTRUMENT_JS, READ_LOG_JS
from privacyscan.crawl.browser import chromium_executable
from privacyscan.demo.webserver import Response, VirtualHostWeb

from .conftest import CHROMIUM_MARKER

pytestmark = pytest.mark.browser

HOST = "www.instrumentprove.no"
PROBE_JS = """window.probeResult = (async () => {
  await new Promise((ready) => document.addEventListener("DOMContentLoaded", ready));
  const r = {};
  const c = document.createElement("canvas"); c.width = 200; c.height = 40;
  const ctx = c.getContext("2d");
  ctx.font = "16px serif"; ctx.fillText("Probe \\u00c6\\u00d8\\u00c5", 2, 20);
  r.dataUrl = c.toDataURL();
  r.pixels = Array.from(ctx.getImageData(0, 0, 200, 40).data).reduce((a, b) => a + b, 0);
  r.measure = ctx.measureText("Probe").width;
  try { ctx.getImageData(0, 0, 0, 0); r.error = "none"; } catch (e) { r.error = e.name + ": " + e.message; r.stack = e.stack; }
  try { HTMLCanvasElement.prototype.toDataURL.call({}); } catch (e) { r.illegal = e.constructor.name + ": " + e.message; }
  try { document.addEventListener(); } catch (e) { r.noArgs = e.constructor.name + ": " + e.message; }
  const fns = [HTMLCanvasElement.prototype.toDataURL, CanvasRenderingContext2D.prototype.getImageData,
               CanvasRenderingContext2D.prototype.fillText, EventTarget.prototype.addEventListener,
               MutationObserver.prototype.observe, Function.prototype.toString,
               Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetWidth").get];
  r.functions = fns.map((f) => [Function.prototype.toString.call(f), f.name, f.length, String(f), f.toString.toString(),
                                typeof f.prototype, Object.getOwnPropertyNames(f).join(",")]);
  r.descriptor = Object.entries(Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, "toDataURL"))
    .map(([k, v]) => k + "=" + (typeof v === "function" ? "function" : v)).join(";");
  const gl = document.createElement("canvas").getContext("webgl");
  r.gl = gl ? String(gl.getParameter(0x9246)) + "/" + String(gl.getParameter(gl.VERSION)) : null;
  const audio = new OfflineAudioContext(1, 4410, 44100), osc = audio.createOscillator();
  osc.connect(audio.destination); osc.start(0);
  r.audio = (await audio.startRendering()).getChannelData(0).slice(0, 200).reduce((a, b) => a + b, 0);
  const span = document.createElement("span"); span.textContent = "mmmmm"; span.style.fontFamily = "monospace";
  document.body.appendChild(span); r.width = [span.offsetWidth, span.offsetHeight];
  let mutations = 0, keys = 0, thisOk = false;
  new MutationObserver((m) => { mutations += m.length; }).observe(document, {subtree: true, childList: true});
  document.addEventListener("keydown", function () { keys++; thisOk = this === document; });
  document.body.appendChild(document.createElement("i"));
  document.dispatchEvent(new KeyboardEvent("keydown"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  r.mutations = mutations; r.keys = keys; r.thisOk = thisOk;
  r.enumerableGlobals = Object.keys(window).length;
  r.errorsSeen = window.errorsSeen;
  return r;
})();"""
PAGE = """<!doctype html><html><head><title>probe</title>
<script>window.errorsSeen = 0; addEventListener("error", () => { window.errorsSeen++; });</script>
<script src="/probe.js"></script></head><body><p>probe</p></body></html>"""


@pytest.fixture(scope="module")
def probe_web() -> Iterator[VirtualHostWeb]:
    with VirtualHostWeb() as web:
        web.route(HOST, "/", Response(PAGE))
        web.route(HOST, "/probe.js", Response(PROBE_JS, content_type="application/javascript"))
        yield web


def _run(web: VirtualHostWeb, instrumented: bool) -> tuple[dict, list[str], list[dict] | None]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(None), headless=True,
            args=[f"--host-resolver-rules=MAP {HOST} 127.0.0.1", CHROMIUM_MARKER])
        try:
            context = browser.new_context()
            if instrumented:
                context.add_init_script(INSTRUMENT_JS)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"http://{HOST}:{web.port}/")
            result = page.evaluate("window.probeResult")
            log = page.evaluate(READ_LOG_JS)
        finally:
            browser.close()
    return result, errors, log


def test_the_instrument_changes_nothing_the_page_can_see_and_attributes_each_call(probe_web):
    plain, plain_errors, no_log = _run(probe_web, instrumented=False)
    watched, watched_errors, log = _run(probe_web, instrumented=True)
    assert no_log is None and plain_errors == [] and watched_errors == []
    assert watched == plain  # return values, exceptions, toString, names, lengths, globals, observers, listeners
    assert plain["mutations"] >= 1 and plain["keys"] == 1 and plain["thisOk"] is True
    assert plain["functions"][0][0] == "function toDataURL() { [native code] }"
    assert "probe.js" in plain["stack"] and "apply" not in plain["stack"]
    assert plain["error"].startswith("IndexSizeError") and plain["illegal"].startswith("TypeError")
    probe = f"http://{HOST}:{probe_web.port}/probe.js"
    seen = {(e["kind"], e["detail"]) for e in log if e["script"] == probe}
    assert {("canvas", "toDataURL after drawing text"), ("canvas", "getImageData after drawing text"),
            ("audio", "OfflineAudioContext.startRendering"), ("dom_observer", "subtree of the document"),
            ("input_listener", "keydown")} <= seen
    if plain["gl"] is not None:  # WebGL may be unavailable without a GPU; then nothing can be read
        assert ("webgl", "getParameter(UNMASKED_RENDERER_WEBGL)") in seen
    assert all(e["script"] == probe for e in log if e["kind"] != "font_probe")
