"""Fixture sites for behaviour no catalogue can see: session recording, keystrokes captured before submit,
browser fingerprinting and hashed identifiers in pixels. The vendor imitations are served from the real
vendors' hostnames (the fixture web maps every routed hostname to loopback), so the classification names
the real recipient; none of this is vendor code, it only behaves the way a behaviour scanner sees it.
"""

from __future__ import annotations

import hashlib

from privacyscan.demo.webserver import Response, VirtualHostWeb

RECORDING = "www.opptaksbutikken.no"  # Hotjar-like recorder before any consent; its batches carry typed values
RECORDING_AFTER_CONSENT = "www.samtykkeopptak.no"  # the same recorder, loaded only after "Godta alle"
PAGE_VIEWS_ONLY = "www.sidevisninger.no"  # decoy: an analytics beacon with page views only
KEYLOGGER = "www.skjemafelle.no"  # a third party sends the e-mail (URL-encoded) and phone (base64) as typed
# the same, below a comment box: a textarea before the fields must not shift which field gets which value
KEYLOGGER_BELOW_COMMENT = "www.kommentarfelle.no"
QUIET_FORM = "www.stilleskjema.no"  # compliant: the form's values go nowhere until submit
AUTOCOMPLETE = "www.sokebutikken.no"  # decoy: the site's own autocomplete endpoint receives the search term
ADVANCED_MATCHING = "www.matchbutikken.no"  # Meta ud[em]/ud[ph] of the typed values; Google em of a customer
PLAIN_PIXEL = "www.vanligpiksel.no"  # decoy: Meta PageView whose only 64-hex parameter is an event id
FINGERPRINT = "www.fingeravtrykk.no"  # a third party reads canvas, WebGL, audio and enumerates fonts
CHART = "www.diagrambutikken.no"  # decoy: a first-party chart library draws text and exports a PNG
LANGUAGE = "www.sprakvalg.no"  # decoy: a third-party script that reads navigator.language

RECORDER = "https://static.hotjar.com/c/hotjar-4711.js"
RECORDER_BATCH = "https://in.hotjar.com/api/v2/client/ws/4711/batch"
KEYS_SCRIPT = "https://mc.yandex.ru/metrika/forms-4711.js"
PAGE_VIEW_SCRIPT = "https://plausible.io/js/pageviews-4711.js"
META_AM_SCRIPT = "https://connect.facebook.net/signals/am-4711.js"
PLAIN_PIXEL_SCRIPT = "https://connect.facebook.net/signals/plain-4711.js"
FINGERPRINT_SCRIPT = "https://static.criteo.net/js/ld/fp-4711.js"
LANGUAGE_SCRIPT = "https://plausible.io/js/lang-4711.js"
CUSTOMER_EMAIL_SHA256 = hashlib.sha256(b"ola.kunde@example.no").hexdigest()

RECORDER_JS = """(function () {
  var events = [{t: "snapshot", size: document.documentElement.outerHTML.length}];
  new MutationObserver(function (m) { events.push({t: "dom", n: m.length}); })
    .observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
  document.addEventListener("mousemove", function (e) { events.push({t: "move", x: e.clientX, y: e.clientY}); }, true);
  document.addEventListener("keydown", function () { events.push({t: "key"}); }, true);
  document.addEventListener("input", function (e) { events.push({t: "input", value: e.target.value}); }, true);
  function flush() {
    if (!events.length) return;
    fetch("%s", {method: "POST", mode: "no-cors", body: JSON.stringify({events: events.splice(0)})});
  }
  flush();
  setInterval(flush, 150);
})();""" % RECORDER_BATCH  # noqa: UP031

KEYS_JS = """(function () {
  document.addEventListener("input", function (e) {
    var el = e.target, v = el.value;
    if (el.type === "email" && v.indexOf(".org") > 0) {
      new Image().src = "https://mc.yandex.ru/watch/4711/forms?field=" + el.name + "&v=" + encodeURIComponent(v);
    }
    if (el.type === "tel" && v.replace(/\\D/g, "").length === 8) {
      fetch("https://mc.yandex.ru/watch/4711/forms", {method: "POST", mode: "no-cors", body: "p=" + btoa(v)});
    }
  });
  new Image().src = "https://mc.yandex.ru/watch/4711?page-url=" + encodeURIComponent(location.href);
})();"""

PAGE_VIEW_JS = """(function () {
  fetch("https://plausible.io/api/event", {method: "POST", mode: "no-cors",
        body: JSON.stringify({n: "pageview", u: location.href, d: location.hostname})});
})();"""

# Meta's automatic advanced matching: on the e-mail and phone fields' input, the pixel hashes the
# normalised value (lower-cased e-mail; phone digits with country code) and sends it as ud[em] / ud[ph].
META_AM_JS = """(function () {
  async function sha256(text) {
    var digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  var sent = {};
  document.addEventListener("input", async function (e) {
    var el = e.target, v = el.value.trim(), param = null;
    if (el.type === "email" && /@.+\\.org$/.test(v)) { param = "ud[em]"; v = v.toLowerCase(); }
    if (el.type === "tel" && v.replace(/\\D/g, "").length === 8) { param = "ud[ph]"; v = "47" + v.replace(/\\D/g, ""); }
    if (!param || sent[param]) return;
    sent[param] = true;
    new Image().src = "https://www.facebook.com/tr/?id=4711&ev=PageView&" + encodeURIComponent(param) + "=" + (await sha256(v));
  });
})();"""

PLAIN_PIXEL_JS = """(function () {
  new Image().src = "https://www.facebook.com/tr/?id=4711&ev=PageView&eid=%s";
})();""" % hashlib.sha256(b"event-1").hexdigest()  # noqa: UP031

FINGERPRINT_JS = """(function () {
  var c = document.createElement("canvas"); c.width = 220; c.height = 30;
  var ctx = c.getContext("2d");
  ctx.textBaseline = "top"; ctx.font = "14px Arial"; ctx.fillStyle = "#f60"; ctx.fillRect(125, 1, 62, 20);
  ctx.fillStyle = "#069"; ctx.fillText("Cwm fjordbank glyphs vext quiz", 2, 15);
  var canvasHash = c.toDataURL().length;
  var gl = document.createElement("canvas").getContext("webgl"), renderer = "";
  if (gl) {
    var info = gl.getExtension("WEBGL_debug_renderer_info");
    renderer = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : 0x9246) + "/" +
               gl.getParameter(info ? info.UNMASKED_VENDOR_WEBGL : 0x9245);
  }
  var fonts = ["Arial", "Verdana", "Times New Roman", "Courier New", "Georgia", "Palatino", "Garamond",
               "Bookman", "Comic Sans MS", "Trebuchet MS", "Arial Black", "Impact", "Helvetica", "Calibri",
               "Cambria", "Candara", "Consolas", "Constantia", "Corbel", "Franklin Gothic", "Futura", "Gill Sans",
               "Lucida Console", "Monaco", "Optima", "Segoe UI", "Tahoma", "DejaVu Sans", "Ubuntu", "Roboto"];
  var probe = document.createElement("span"); probe.textContent = "mmmmmmmmmmlli"; probe.style.fontSize = "72px";
  document.body.appendChild(probe);
  var widths = fonts.map(function (f) { probe.style.fontFamily = "'" + f + "', monospace"; return probe.offsetWidth; });
  probe.remove();
  var audio = new OfflineAudioContext(1, 5000, 44100), osc = audio.createOscillator();
  osc.type = "triangle"; osc.frequency.value = 10000;
  var comp = audio.createDynamicsCompressor(); osc.connect(comp); comp.connect(audio.destination); osc.start(0);
  audio.startRendering().then(function (buffer) {
    var sum = buffer.getChannelData(0).slice(4500).reduce(function (a, b) { return a + Math.abs(b); }, 0);
    new Image().src = "https://gum.criteo.com/fp?c=" + canvasHash + "&g=" + encodeURIComponent(renderer) +
                      "&a=" + sum.toFixed(4) + "&f=" + widths.join(".");
  });
})();"""

CHART_JS = """(function () {
  var c = document.getElementById("chart"), ctx = c.getContext("2d"), values = [3, 7, 4, 9];
  ctx.font = "12px sans-serif";
  values.forEach(function (v, i) {
    ctx.fillStyle = "#369"; ctx.fillRect(20 + i * 50, 120 - v * 10, 30, v * 10);
    ctx.fillStyle = "#000"; ctx.fillText("Q" + (i + 1), 25 + i * 50, 135);
  });
  ctx.measureText("Q4");
  document.getElementById("png").href = c.toDataURL("image/png");  // "download the chart"
})();"""

LANGUAGE_JS = """(function () {
  new Image().src = "https://plausible.io/api/lang?l=" + encodeURIComponent(navigator.language) +
                    "&w=" + screen.width;
})();"""

FORM = """<form id="nyhetsbrev" action="/takk" method="post">
  <label>Navn <input type="text" name="navn"></label>
  <label>E-post <input type="email" name="epost"></label>
  <label>Telefon <input type="tel" name="telefon"></label>
  <button type="submit">Meld meg på</button>
</form>"""

SEARCH = """<form role="search" action="/sok"><label>Søk <input type="search" name="q" id="q"></label></form>
<ul id="forslag"></ul>
<script>
document.getElementById("q").addEventListener("input", function (e) {
  fetch("/api/autocomplete?q=" + encodeURIComponent(e.target.value)).then(function (r) { return r.json(); });
});
</script>"""

# A home-made banner that loads the recorder only after "Godta alle".
CONSENTED_RECORDER = """
<div id="samtykke" style="display:none;position:fixed;bottom:0;left:0;right:0;background:#fff;padding:16px">
  <p>Vi bruker informasjonskapsler og opptak av økter til å forbedre nettstedet. Du velger selv.</p>
  <button id="avvis">Avvis alle</button> <button id="godta">Godta alle</button>
</div>
<script>
(function () {
  function load() { var s = document.createElement("script"); s.src = "%s"; document.head.appendChild(s); }
  var m = document.cookie.match(/(?:^|; )samtykke=([^;]*)/);
  function set(v) {
    document.cookie = "samtykke=" + v + "; path=/; max-age=31536000; SameSite=Lax";
    document.getElementById("samtykke").style.display = "none";
    if (v === "ja") load();
  }
  if (m) { if (m[1] === "ja") load(); return; }
  document.getElementById("samtykke").style.display = "block";
  document.getElementById("avvis").onclick = function () { set("nei"); };
  document.getElementById("godta").onclick = function () { set("ja"); };
})();
</script>""" % RECORDER  # noqa: UP031

PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><main><h1>{title}</h1><p>Velkommen.</p>{body}</main></body></html>"""


def _js(body: str) -> Response:
    return Response(body, content_type="application/javascript; charset=utf-8")


def _site(web: VirtualHostWeb, host: str, head: str = "", body: str = "") -> None:
    web.route(host, "/", Response(PAGE.format(title=f"Forside {host}", head=head, body=body)))


def _script(url: str) -> str:
    return f'<script src="{url}"></script>'


def add_behaviour_sites(web: VirtualHostWeb) -> None:
    for url, source in ((RECORDER, RECORDER_JS), (KEYS_SCRIPT, KEYS_JS), (PAGE_VIEW_SCRIPT, PAGE_VIEW_JS),
                        (META_AM_SCRIPT, META_AM_JS), (PLAIN_PIXEL_SCRIPT, PLAIN_PIXEL_JS),
                        (FINGERPRINT_SCRIPT, FINGERPRINT_JS), (LANGUAGE_SCRIPT, LANGUAGE_JS)):
        host, _, path = url.removeprefix("https://").partition("/")
        web.route(host, "/" + path, _js(source))
    for host, path in (("in.hotjar.com", "/api/v2/client/ws/4711/batch"), ("mc.yandex.ru", "/watch/4711"),
                       ("mc.yandex.ru", "/watch/4711/forms"), ("plausible.io", "/api/event"),
                       ("plausible.io", "/api/lang"), ("www.facebook.com", "/tr/"), ("gum.criteo.com", "/fp"),
                       ("www.google.com", "/pagead/1p-conversion/4711/")):
        web.route(host, path, Response(b"", status=204))
    _site(web, RECORDING, head=_script(RECORDER), body=FORM)
    _site(web, RECORDING_AFTER_CONSENT, body=FORM + CONSENTED_RECORDER)
    _site(web, PAGE_VIEWS_ONLY, head=_script(PAGE_VIEW_SCRIPT), body=FORM)
    _site(web, KEYLOGGER, head=_script(KEYS_SCRIPT), body=FORM)
    _site(web, KEYLOGGER_BELOW_COMMENT, head=_script(KEYS_SCRIPT),
          body='<form action="/kommentar"><textarea name="kommentar"></textarea></form>' + FORM)
    _site(web, QUIET_FORM, head=_script(PAGE_VIEW_SCRIPT), body=FORM)
    _site(web, AUTOCOMPLETE, body=SEARCH)
    web.route(AUTOCOMPLETE, "/api/autocomplete", Response('["roser", "tulipaner"]', content_type="application/json"))
    google_em = ("https://www.google.com/pagead/1p-conversion/4711/?label=kjop&em=tv.1~em."
                 + CUSTOMER_EMAIL_SHA256)
    _site(web, ADVANCED_MATCHING, head=_script(META_AM_SCRIPT),
          body=FORM + f'<img src="{google_em}" alt="" width="1" height="1">')
    _site(web, PLAIN_PIXEL, head=_script(PLAIN_PIXEL_SCRIPT), body=FORM)
    _site(web, FINGERPRINT, body=_script(FINGERPRINT_SCRIPT))
    _site(web, CHART, body='<canvas id="chart" width="240" height="140"></canvas><a id="png" download="q.png">PNG</a>'
                           '<script src="/js/chart.js"></script>')
    web.route(CHART, "/js/chart.js", _js(CHART_JS))
    _site(web, LANGUAGE, body=_script(LANGUAGE_SCRIPT))
