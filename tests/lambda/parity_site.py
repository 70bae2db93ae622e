"""One small site with every kind of evidence the Lambda/Debian comparison looks at: a header cookie, a
script cookie, a third-party pixel that sets its own cookie, a home-made consent banner that loads Google
Analytics only after "Godta alle", and a newsletter form with a pre-ticked box."""

from __future__ import annotations

from pathlib import Path

from privacyscan.demo.webserver import Response, VirtualHostWeb

from ..browser.consent_sites import HOMEMADE_NB, add_trackers

SITE = "www.paritet.no"
FORM_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "forms" / "preticked_checked.html"

HOME = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Paritet</title></head><body>
<h1>Paritet</h1><p>Velkommen.</p>
<script>document.cookie = "js_pref=kompakt; path=/; max-age=3600";</script>
<img src="https://www.facebook.com/tr?id=1&ev=PageView" width="1" height="1" alt="">
<a href="/nyhetsbrev">Nyhetsbrev</a>
<div style="height:800px"></div>""" + HOMEMADE_NB + "</body></html>"


def add_parity_site(web: VirtualHostWeb) -> None:
    add_trackers(web)
    web.route(SITE, "/", Response(HOME, headers=[("Set-Cookie", "sid=abc123; Path=/; HttpOnly")]))
    web.route(SITE, "/nyhetsbrev", Response(FORM_PAGE.read_text()))
