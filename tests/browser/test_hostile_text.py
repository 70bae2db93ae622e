"""A page with a lone-surrogate title, a 199-character link text followed by an emoji, an emoji across
the body-text cut and control characters in a consent label is scanned by real Chromium and every report
format is written and parses (it used to fail with "surrogates not allowed" and lose the whole scan)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from privacyscan.cli import EXIT_OK, run_scan
from privacyscan.demo.webserver import Response

from .conftest import scan_options

pytestmark = pytest.mark.browser

HOST = "hostile-text.example"  # reserved TLD: Chromium keeps it on http
BODY_TEXT_CUT = 20000  # capture.js keeps this many characters of the body text
LINK_TEXT = "a" * 199 + "\U0001f600" + " and more"

PAGE = f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>x</title></head><body>
<main><a href="/next" id="long">{LINK_TEXT}</a>
<form action="/signup" method="post"><label><input type="checkbox" name="newsletter" checked>
<span id="label">Jeg samtykker til nyhetsbrev</span></label><button>Send</button></form>
<p id="filler"></p></main>
<script>
  document.title = 'a\\uD800b';  // a lone surrogate, as some sites produce by cutting strings themselves
  document.getElementById('label').textContent = 'Jeg samtykker\\u0001 til\\u0008 nyhetsbrev\\uFFFE';
  // Put an emoji exactly across the body-text cut: its high surrogate is code unit {BODY_TEXT_CUT - 1}.
  const filler = document.getElementById('filler');
  let n = {BODY_TEXT_CUT};
  for (let i = 0; i < 5; i++) {{
    filler.textContent = 'b'.repeat(n) + '\\uD83D\\uDE00' + ' tail';
    const at = document.body.innerText.lastIndexOf('\\uD83D\\uDE00');
    if (at === {BODY_TEXT_CUT - 1}) break;
    n += {BODY_TEXT_CUT - 1} - at;
  }}
  window.emojiAt = document.body.innerText.lastIndexOf('\\uD83D\\uDE00');
</script></body></html>"""


@pytest.fixture(scope="module")
def hostile_site(fixture_web) -> str:
    fixture_web.route(HOST, "/", Response(PAGE))
    fixture_web.route(HOST, "/next", Response("<!doctype html><title>Next \U0001f600</title><p>next</p>"))
    return f"http://{HOST}/"


def test_a_page_with_hostile_text_is_scanned_and_every_format_parses(fixture_web, hostile_site, tmp_path):
    out = tmp_path / "out"
    options = scan_options(fixture_web, hostile_site, max_pages=2)
    assert run_scan(options, str(out), ["json", "html", "sarif", "junit"], quiet=True) == EXIT_OK
    [report_path] = list(out.glob("sites/*/scans/*/report.json"))
    folder = report_path.parent
    report = json.loads(report_path.read_bytes().decode("utf-8"))
    home = report["evidence"]["phases"][0]["pages"][0]
    assert home["error"] is None
    assert home["title"] == "a\ufffdb"  # the lone surrogate became U+FFFD; the rest is kept
    long_link = next(link for link in home["links"] if link["url"].endswith("/next"))
    assert long_link["text"] == "a" * 199 + "\U0001f600…"  # cut after 200 characters, the emoji whole
    excerpt = home["text_excerpt"]
    assert "\ufffd" not in excerpt and "bbbb" in excerpt  # the emoji across the cut was not split in two
    assert excerpt.rstrip().endswith("b\U0001f600")  # counted in characters, the emoji is kept whole
    label = home["forms"][0]["controls"][0]["label"]
    assert label == "Jeg samtykker\x01 til\x08 nyhetsbrev\ufffe"
    ET.fromstring((folder / "report.junit.xml").read_bytes())  # well-formed despite U+0001/U+0008/U+FFFE
    sarif = json.loads((folder / "report.sarif").read_bytes().decode("utf-8"))
    assert sarif["version"] == "2.1.0"
    html = (folder / "report.html").read_bytes().decode("utf-8")
    assert "a\ufffdb" in html
    assert not (Path(folder) / "dropped.txt").exists()
