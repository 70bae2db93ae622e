"""Fixture sites for consent under test: banners that behave well and banners that do not, with tracker
imitations (gtag.js, the Meta pixel, Hotjar) that leave the same cookies and requests as the real ones.

Each site has a home page and one sub-page, so after a consent click the crawler reloads the home page
and visits a second page. The consent-platform look-alikes are static files in tests/fixtures/consent.
"""

from __future__ import annotations

from pathlib import Path

from privacyscan.demo.webserver import Response, VirtualHostWeb

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "consent"

COMPLIANT = "www.hjemmelaget.no"  # home-made banner, "Avvis alle" works, nothing before consent
ONETRUST = "www.sporingsbutikken.no"  # OneTrust look-alike; GA and Meta fire before any choice
COOKIEBOT = "www.kakefabrikken.no"  # Cookiebot look-alike; visible decline ignored; toggles pre-ticked
COOKIE_INFORMATION = "www.informert.no"  # Cookie Information look-alike, compliant
IMPLIED_EN = "www.teashop.co.uk"  # "by clicking through you accept", only an OK button
IMPLIED_NB = "www.fortsett.no"  # "Ved å fortsette å bruke nettstedet godtar du ...", only "Lukk"
NO_BANNER = "www.ingenbanner.no"  # GA and Hotjar, no consent mechanism at all

GTAG = "https://www.googletagmanager.com/gtag/js?id=G-TEST"
META = "https://connect.facebook.net/en_US/fbevents.js"
HOTJAR = "https://static.hotjar.com/c/hotjar-1.js"

GTAG_JS = """(function () {
  var id = "GA1.1." + Math.floor(Math.random() * 1e9) + "." + Math.floor(Date.now() / 1000);
  var domain = location.hostname.replace(/^www\\./, "");
  document.cookie = "_ga=" + id + "; path=/; max-age=63072000; domain=" + domain;
  new Image().src = "https://www.google-analytics.com/g/collect?v=2&tid=G-TEST&cid=" + id.slice(6) + "&en=page_view";
})();"""
META_JS = """(function () {
  var id = "fb.1." + Date.now() + "." + Math.floor(Math.random() * 1e9);
  document.cookie = "_fbp=" + id + "; path=/; max-age=7776000";
  new Image().src = "https://www.facebook.com/tr?id=123456789&ev=PageView&fbp=" + id;
})();"""
HOTJAR_JS = """(function () {
  localStorage.setItem("_hjSessionUser_1", JSON.stringify({id: "hj-" + Math.random().toString(16).slice(2)}));
  new Image().src = "https://in.hotjar.com/api/v2/client/sites/1/visit-data?sv=7";
})();"""

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body style="font-family:sans-serif"><header><a href="/">{home}</a> <a href="{sub}">{sub_text}</a></header>
<main><h1>{title}</h1><p>{intro}</p><div style="height:1200px"></div></main>{body}</body></html>"""


def _js(body: str) -> Response:
    return Response(body, content_type="application/javascript; charset=utf-8")


def add_trackers(web: VirtualHostWeb) -> None:
    web.route("www.googletagmanager.com", "/gtag/js", _js(GTAG_JS))
    web.route("www.google-analytics.com", "/g/collect", Response(b"", status=204))
    web.route("connect.facebook.net", "/en_US/fbevents.js", _js(META_JS))
    web.route(
        "www.facebook.com",
        "/tr",
        Response(
            b"GIF89a",
            content_type="image/gif",
            headers=[
                (
                    "Set-Cookie",
                    "fr=0abc.1234567890; Domain=.facebook.com; Path=/; Max-Age=7776000; Secure; "
                    "SameSite=None; HttpOnly",
                )
            ],
        ),
    )
    web.route("static.hotjar.com", "/c/hotjar-1.js", _js(HOTJAR_JS))
    web.route("in.hotjar.com", "/api/v2/client/sites/1/visit-data", Response(b"", status=204))


def _site(
    web: VirtualHostWeb,
    host: str,
    *,
    lang: str = "nb",
    head: str = "",
    body: str = "",
    sub: str = "/om-oss",
    sub_text: str = "Om oss",
    intro: str = "Velkommen.",
) -> None:
    for path, title in (("/", f"Forside {host}"), (sub, f"{sub_text} {host}")):
        html = PAGE.format(
            lang=lang,
            title=title,
            head=head,
            body=body,
            home="Hjem" if lang != "en" else "Home",
            sub=sub,
            sub_text=sub_text,
            intro=intro,
        )
        web.route(host, path, Response(html))


HOMEMADE_NB = """
<div id="samtykke" style="display:none;position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid #333;padding:16px">
  <p>Vi bruker informasjonskapsler (cookies) til statistikk og markedsføring. Du velger selv om du vil tillate dette.</p>
  <div id="valg" style="display:none">
    <label><input type="checkbox" checked disabled> Nødvendige</label>
    <label><input type="checkbox" id="stat"> Statistikk</label>
    <label><input type="checkbox" id="mark"> Markedsføring</label>
    <button id="lagre">Lagre valg</button>
  </div>
  <button id="avvis">Avvis alle</button> <button id="innst">Innstillinger</button> <button id="godta">Godta alle</button>
</div>
<script>
(function () {
  function load(src) { var s = document.createElement("script"); s.src = src; document.head.appendChild(s); }
  var m = document.cookie.match(/(?:^|; )samtykke=([^;]*)/);
  function set(v) {
    document.cookie = "samtykke=" + v + "; path=/; max-age=31536000; SameSite=Lax";
    document.getElementById("samtykke").style.display = "none";
    if (v === "ja") load("__GTAG__");
  }
  if (m) { if (m[1] === "ja") load("__GTAG__"); return; }
  document.getElementById("samtykke").style.display = "block";
  document.getElementById("avvis").onclick = function () { set("nei"); };
  document.getElementById("godta").onclick = function () { set("ja"); };
  document.getElementById("innst").onclick = function () { document.getElementById("valg").style.display = "block"; };
  document.getElementById("lagre").onclick = function () { set(document.getElementById("stat").checked ? "ja" : "nei"); };
})();
</script>""".replace("__GTAG__", GTAG)

IMPLIED_EN_BANNER = """
<div class="cookie-notice" style="position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:12px">
  We use cookies to improve your experience. When you click through to the next page, you\u2019re accepting that
  we\u2019re setting cookies. <button onclick="this.parentNode.remove()">OK</button>
</div>"""

IMPLIED_NB_BANNER = """
<div id="cookie-info" style="position:fixed;top:0;left:0;right:0;background:#ffd;padding:12px">
  Ved å fortsette å bruke nettstedet godtar du at vi bruker informasjonskapsler.
  <a href="/om-oss">Les mer</a> <button onclick="this.parentNode.remove()">Lukk</button>
</div>"""


def add_consent_sites(web: VirtualHostWeb) -> None:
    add_trackers(web)
    _site(web, COMPLIANT, body=HOMEMADE_NB)
    _site(
        web,
        ONETRUST,
        head=(
            f'<script src="{GTAG}" async></script><script src="{META}" async></script>'
            '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="0000-test"></script>'
        ),
    )
    _site(
        web,
        COOKIEBOT,
        head='<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="test"></script>',
    )
    _site(
        web,
        COOKIE_INFORMATION,
        head=(
            '<script id="CookieConsent" src="https://policy.app.cookieinformation.com/uc.js" data-culture="NB"></script>'
        ),
    )
    _site(
        web,
        IMPLIED_EN,
        lang="en",
        body=IMPLIED_EN_BANNER,
        sub="/about",
        sub_text="About us",
        intro="Fine teas.",
    )
    _site(web, IMPLIED_NB, body=IMPLIED_NB_BANNER)
    _site(web, NO_BANNER, head=f'<script src="{GTAG}" async></script><script src="{HOTJAR}" async></script>')


def consent_web() -> VirtualHostWeb:
    web = VirtualHostWeb(roots=[FIXTURES])
    add_consent_sites(web)
    return web
