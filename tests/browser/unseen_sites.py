"""Fixture sites for issue 16, "right on sites never seen": each imitates a weakness found on real sites that
no one on the team wrote, with decoys that must stay clean.

- item 1: a home page whose `load` never fires (an async third-party tag that never answers), trackers on
  its sub-pages; and a server that never answers at all (still unreachable).
- item 2: cookieless analytics (Plausible, a self-hosted counter), a YouTube embed that sets YSC and
  VISITOR_INFO1_LIVE (and a youtube-nocookie decoy), a customer-data platform (Segment), first-party visitor
  ids (with a language cookie and a session id as decoys).
- item 4: a tracker behind "Vis mer", a JS-only link to a page with a tracker, and buttons that must never be
  clicked ("Slett konto", "Kjøp", a submit button, an external JS-only link): each counts its clicks with a
  beacon the fixture server sees; and a "Vis mer" in a fixed layer, where banners live.
- item 5: implied-consent wording variants with only a close button, an affirmative-click decoy; a newsletter
  sign-up without consent information and its decoys (login, search, contact with a privacy link, sign-up
  with a consent box).
"""

from __future__ import annotations

from privacyscan.demo.webserver import Response, VirtualHostWeb

from .consent_sites import HOTJAR, META, add_trackers

GTAG_SCRIPT = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>'

# item 1
HANGING_HOME = "www.hengende.no"
SLOW_TAG = "https://treg-tagg.example/tag.js"
NO_SERVER = "www.svarerikke.no"
# item 2
COOKIELESS = "www.tellerfri.no"
YOUTUBE = "www.videoside.no"
NOCOOKIE = "www.personvernvideo.no"
SEGMENT = "www.kundedata.no"
VISITOR_ID = "www.besoksid.no"
# item 4
CLICKABLE = "www.klikkbar.no"
EXTERNAL = "ekstern-partner.example"
# item 5
IMPLIED_NB_USE = "www.samtykkerdu.no"  # "Ved å bruke denne nettsiden samtykker du ...", only "Lukk"
IMPLIED_EN_BROWSE = "www.browseon.co.uk"  # "By continuing to browse you agree ...", only "Close"
AFFIRMATIVE = "www.klikkgodta.no"  # "Ved å klikke «Godta alle» samtykker du ...", accept and reject: decoy
FORMS = "www.nyhetsbrevet.no"

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body style="font-family:sans-serif"><header><nav>{nav}</nav></header>
<main><h1>{title}</h1>{main}</main>{body}</body></html>"""

# A consent banner with "Avvis alle" and "Godta alle" that loads nothing either way: a consent mechanism
# exists, so what runs before the choice is "tracking before consent" if it tracks.
BANNER = """<div id="samtykke" style="position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid #333;
padding:16px"><p>Vi bruker informasjonskapsler (cookies) til statistikk. Du velger selv om du vil tillate dette.</p>
<button id="avvis" onclick="document.cookie='samtykke=nei; path=/; max-age=31536000';this.parentNode.remove()">Avvis alle</button>
<button id="godta" onclick="document.cookie='samtykke=ja; path=/; max-age=31536000';this.parentNode.remove()">Godta alle</button>
</div>"""


def page(title: str, main: str = "", *, head: str = "", body: str = "", nav: str = "", lang: str = "nb",
         headers: list[tuple[str, str]] | None = None) -> Response:
    html = PAGE.format(lang=lang, title=title, head=head, body=body, nav=nav, main=main or f"<p>{title}</p>")
    return Response(html, headers=headers or [])


def _js(body: str) -> Response:
    return Response(body, content_type="application/javascript; charset=utf-8")


# ------------------------------------------------------------------ item 1: load never fires


def add_hanging_home(web: VirtualHostWeb) -> None:
    nav = '<a href="/produkter">Produkter</a> <a href="/om-oss">Om oss</a>'
    web.route(HANGING_HOME, "/", page("Hengende forside", "<p>Velkommen.</p>", nav=nav,
                                      head=f'<script async src="{SLOW_TAG}"></script>'))
    web.route(HANGING_HOME, "/produkter", page("Produkter", nav=nav, head=GTAG_SCRIPT))
    web.route(HANGING_HOME, "/om-oss", page("Om oss", nav=nav, head=f'<script async src="{META}"></script>'))
    web.route("treg-tagg.example", "/tag.js", Response(hang=True))
    web.route(NO_SERVER, "/", Response(hang=True))


# ------------------------------------------------------------------ item 2: behaviour decides

PLAUSIBLE_JS = """(function () {
  var body = JSON.stringify({n: "pageview", u: location.href, d: location.hostname, r: document.referrer || null});
  fetch("https://plausible.io/api/event", {method: "POST", body: body, headers: {"Content-Type": "text/plain"}});
})();"""
# A self-hosted counter: one request to the site itself, no cookie, no id.
COUNTER_JS = """new Image().src = "/teller?side=" + encodeURIComponent(location.pathname);"""
YOUTUBE_EMBED = """<!doctype html><html><body style="margin:0;background:#000;color:#fff">
<div>video player</div></body></html>"""
SEGMENT_JS = """(function () {
  var id = (crypto.randomUUID ? crypto.randomUUID() : "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
  document.cookie = "ajs_anonymous_id=" + id + "; path=/; max-age=31536000; SameSite=Lax";
  localStorage.setItem("ajs_anonymous_id", JSON.stringify(id));
  fetch("https://api.segment.io/v1/p", {method: "POST", headers: {"Content-Type": "text/plain"},
    body: JSON.stringify({anonymousId: id, type: "page", writeKey: "wk-fixture", properties: {path: location.pathname}})});
})();"""
VISITOR_ID_JS = """(function () {
  function uuid() { return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
    var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16); }); }
  if (!document.cookie.match(/vis_id=/)) document.cookie = "vis_id=" + uuid() + "; path=/; max-age=63072000";
  document.cookie = "lang=nb; path=/; max-age=31536000";
  document.cookie = "sess=" + uuid() + "; path=/";
  new Image().src = "/besok?ts=" + Date.now();
})();"""


def add_behaviour_sites(web: VirtualHostWeb) -> None:
    nav = '<a href="/">Hjem</a> <a href="/om-oss">Om oss</a>'

    def site(host: str, head: str = "", main: str = "") -> None:
        for path, title in (("/", f"Forside {host}"), ("/om-oss", f"Om oss {host}")):
            web.route(host, path, page(title, main, head=head, body=BANNER, nav=nav))

    web.route("plausible.io", "/js/script.js", _js(PLAUSIBLE_JS))
    web.route("plausible.io", "/api/event", Response(b"ok", status=202))
    site(COOKIELESS, head='<script defer src="https://plausible.io/js/script.js"></script>'
                          f"<script>{COUNTER_JS}</script>")
    web.route(COOKIELESS, "/teller", Response(b"", status=204))

    web.route("www.youtube.com", "/embed/abc123", Response(YOUTUBE_EMBED, headers=[
        ("Set-Cookie", "YSC=Zm9vYmFyYmF6; Domain=.youtube.com; Path=/; Secure; HttpOnly; SameSite=None"),
        ("Set-Cookie", "VISITOR_INFO1_LIVE=k3Jd9sLq2Xa; Domain=.youtube.com; Path=/; Max-Age=15552000; Secure; "
                       "HttpOnly; SameSite=None"),
    ]))
    site(YOUTUBE, main='<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123"></iframe>')
    web.route("www.youtube-nocookie.com", "/embed/abc123", Response(YOUTUBE_EMBED))
    site(NOCOOKIE, main='<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/abc123"></iframe>')

    web.route("cdn.segment.com", "/analytics.js/v1/wk-fixture/analytics.min.js", _js(SEGMENT_JS))
    web.route("api.segment.io", "/v1/p", Response(b"{}", content_type="application/json"))
    site(SEGMENT, head='<script async src="https://cdn.segment.com/analytics.js/v1/wk-fixture/analytics.min.js"></script>')

    site(VISITOR_ID, head=f"<script>{VISITOR_ID_JS}</script>")
    web.route(VISITOR_ID, "/besok", Response(b"", status=204))


# ------------------------------------------------------------------ item 4: bounded interaction

BEACON = "navigator.sendBeacon('/klikk?knapp={name}')"
CLICKABLE_HOME = f"""
<section><h2>Om butikken</h2><p>Kort om oss.</p>
<button id="mer" aria-expanded="false" onclick="this.setAttribute('aria-expanded','true');
  document.getElementById('mer-tekst').hidden=false;
  var s=document.createElement('script');s.src='{HOTJAR}';document.head.appendChild(s);">Vis mer</button>
<div id="mer-tekst" hidden><p>Her er resten av teksten.</p></div></section>
<div role="tablist"><button role="tab" aria-selected="true">Info</button>
<button role="tab" aria-selected="false" id="kart-fane"
  onclick="this.setAttribute('aria-selected','true');{BEACON.format(name='fane')}">Kart</button></div>
<p><span class="lenke" style="cursor:pointer;color:blue" onclick="location.href='/butikker'">Våre butikker</span></p>
<p><span style="cursor:pointer;color:blue" onclick="location.href='https://{EXTERNAL}/'">Samarbeidspartner</span></p>
<button onclick="{BEACON.format(name='slett')}">Slett konto</button>
<button onclick="{BEACON.format(name='kjop')}">Kjøp</button>
<span style="cursor:pointer" onclick="{BEACON.format(name='logg-ut')}">Logg ut</span>
<div id="hjelp" style="position:fixed;bottom:0;right:0;background:#eee">Trenger du hjelp?
  <button aria-expanded="false" onclick="{BEACON.format(name='fast-lag')}">Vis mer</button></div>
<form action="/abonner" method="post"><input type="email" name="email" aria-label="E-post">
  <button>Vis mer</button></form>
"""


def add_clickable_site(web: VirtualHostWeb) -> None:
    web.route(CLICKABLE, "/", page("Klikkbar forside", CLICKABLE_HOME))
    web.route(CLICKABLE, "/butikker", page("Våre butikker", "<p>Oslo og Bergen.</p>",
                                           head=f'<script async src="{META}"></script>'))
    web.route(CLICKABLE, "/klikk", Response(b"", status=204))
    web.route(CLICKABLE, "/abonner", page("Takk", "<p>Takk for påmeldingen.</p>"))
    web.route(EXTERNAL, "/", page("Ekstern", "<p>Ekstern side.</p>"))


# ------------------------------------------------------------------ item 5: banner and form variants


def _close_only_banner(text: str, button: str) -> str:
    return (f'<div id="info-boks" style="position:fixed;top:0;left:0;right:0;background:#ffd;padding:12px">{text} '
            f'<button onclick="this.parentNode.remove()">{button}</button></div>')


AFFIRMATIVE_BANNER = """<div id="samtykke" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:16px">
<p>Vi bruker informasjonskapsler til statistikk. Ved å klikke «Godta alle» samtykker du til dette.</p>
<button onclick="this.parentNode.remove()">Avvis alle</button> <button onclick="this.parentNode.remove()">Godta alle</button>
</div>"""

SIGNUP_FORM = """<section><h2>Nyhetsbrev</h2><form id="nyhetsbrev" action="/nyhetsbrev" method="post">
<p>Meld deg på nyhetsbrevet vårt og få tilbud først!</p>
<label>Navn <input name="navn"></label> <label>E-post <input type="email" name="epost"></label>
<button type="submit">Meld meg på</button></form></section>"""
SIGNUP_WITH_CONSENT = """<form id="nyhetsbrev-ok" action="/nyhetsbrev" method="post"><p>Få nyhetsbrevet vårt.</p>
<label>E-post <input type="email" name="epost"></label>
<label><input type="checkbox" name="samtykke"> Ja, jeg samtykker til å motta nyhetsbrev på e-post.</label>
<p>Les <a href="/personvern">personvernerklæringen</a>.</p><button>Meld meg på</button></form>"""
LOGIN_FORM = """<form id="logg-inn" action="/logg-inn" method="post"><label>E-post <input type="email" name="epost"></label>
<label>Passord <input type="password" name="passord"></label><button>Logg inn</button></form>"""
SEARCH_FORM = """<form id="sok" action="/sok" role="search"><label>Søk <input type="search" name="q"></label>
<button>Søk</button></form>"""
CONTACT_FORM = """<form id="kontakt" action="/kontakt" method="post"><label>Navn <input name="navn"></label>
<label>E-post <input type="email" name="epost"></label><label>Melding <textarea name="melding"></textarea></label>
<p>Vi behandler henvendelsen som beskrevet i <a href="/personvern">personvernerklæringen</a>.</p>
<button>Send</button></form>"""


def add_banner_and_form_sites(web: VirtualHostWeb) -> None:
    nav = '<a href="/">Hjem</a> <a href="/om-oss">Om oss</a>'
    for host, banner, lang in (
        (IMPLIED_NB_USE, _close_only_banner(
            "Ved å bruke denne nettsiden samtykker du til at vi bruker informasjonskapsler.", "Lukk"), "nb"),
        (IMPLIED_EN_BROWSE, _close_only_banner(
            "We use cookies. By continuing to browse you agree to our use of cookies.", "Close"), "en"),
        (AFFIRMATIVE, AFFIRMATIVE_BANNER, "nb"),
    ):
        for path, title in (("/", f"Forside {host}"), ("/om-oss", f"Om oss {host}")):
            web.route(host, path, page(title, body=banner, nav=nav, lang=lang))
    forms_nav = ('<a href="/logg-inn">Logg inn</a> <a href="/sok">Søk</a> <a href="/kontakt">Kontakt</a> '
                 '<a href="/pamelding">Påmelding</a>')
    web.route(FORMS, "/", page("Nyhetsbrevet", SIGNUP_FORM, nav=forms_nav))
    web.route(FORMS, "/logg-inn", page("Logg inn", LOGIN_FORM, nav=forms_nav))
    web.route(FORMS, "/sok", page("Søk", SEARCH_FORM, nav=forms_nav))
    web.route(FORMS, "/kontakt", page("Kontakt oss", CONTACT_FORM, nav=forms_nav))
    web.route(FORMS, "/pamelding", page("Påmelding", SIGNUP_WITH_CONSENT, nav=forms_nav))
    web.route(FORMS, "/personvern", page("Personvernerklæring", "<p>Personvern.</p>", nav=forms_nav))


def unseen_web() -> VirtualHostWeb:
    web = VirtualHostWeb()
    add_trackers(web)
    add_hanging_home(web)
    add_behaviour_sites(web)
    add_clickable_site(web)
    add_banner_and_form_sites(web)
    return web
