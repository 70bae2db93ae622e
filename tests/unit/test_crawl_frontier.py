"""The crawl frontier and Set-Cookie parsing: pure parts of the crawler, tested without a browser."""

from __future__ import annotations

from privacyscan.crawl.events import _parse_set_cookie
from privacyscan.crawl.frontier import Frontier
from privacyscan.settings import ScanOptions


def frontier(**kw) -> Frontier:
    return Frontier("example.no", ScanOptions(site_url="https://www.example.no/", **kw))


def drain(f: Frontier) -> list[tuple[str, int, float]]:
    out = []
    while (item := f.pop()) is not None:
        out.append(item)
    return out


def test_breadth_first_with_privacy_links_first_within_a_depth():
    f = frontier()
    f.add("https://www.example.no/", 0)
    f.add("https://www.example.no/produkter", 1)
    f.add("https://www.example.no/personvern", 1, priority=1.0)
    f.add("https://www.example.no/a/b", 2)
    assert [url for url, *_ in drain(f)] == [
        "https://www.example.no/", "https://www.example.no/personvern", "https://www.example.no/produkter",
        "https://www.example.no/a/b",
    ]


def test_only_same_site_http_pages_within_depth_and_patterns():
    f = frontier(max_depth=2, exclude=(r"/logg-inn",))
    for url in ("https://shop.example.no/x", "https://www.example.com/", "mailto:a@example.no",
                "https://www.example.no/brosjyre.pdf", "https://www.example.no/logg-inn", "https://www.example.no/d3"):
        f.add(url, 1)
    f.add("https://www.example.no/too-deep", 3)
    assert [url for url, *_ in drain(f)] == ["https://shop.example.no/x", "https://www.example.no/d3"]


def test_duplicates_and_endless_query_variants_are_bounded():
    f = frontier()
    f.add("https://www.example.no/a#top", 1)
    f.add("https://www.example.no/a/", 1)
    for month in range(100):
        f.add(f"https://www.example.no/kalender?month={month}", 1)
    urls = [url for url, *_ in drain(f)]
    assert urls.count("https://www.example.no/a") == 1
    assert sum("kalender" in u for u in urls) == 5


def test_set_cookie_lines_give_name_domain_and_deletion():
    assert _parse_set_cookie("sid=1; Path=/; HttpOnly", "www.example.no") == ("sid", "www.example.no", False)
    assert _parse_set_cookie("fr=x; Domain=.facebook.com; Secure", "www.facebook.com") == ("fr", "facebook.com", False)
    assert _parse_set_cookie("old=; Max-Age=0", "a.example")[2] is True
    assert _parse_set_cookie("old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "a.example")[2] is True
    assert _parse_set_cookie("=novalue", "a.example") is None
