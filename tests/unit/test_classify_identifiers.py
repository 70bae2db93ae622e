"""Which request parameters carry a visitor id: GA's cid and Meta's fbp do; the site's own property id,
versions, cache busters and URLs do not."""

from __future__ import annotations

from privacyscan.classify.identifiers import identifier_params, looks_like_identifier


def test_vendor_ids_in_the_query_are_found() -> None:
    url = "https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&cid=123456789.1700000000&en=page_view"
    assert identifier_params(url, None) == ["cid"]
    meta = "https://www.facebook.com/tr/?id=1234567890&ev=PageView&fbp=fb.1.1700000000000.987654321"
    assert identifier_params(meta, None) == ["fbp"]


def test_ids_in_a_json_or_batched_body_are_found() -> None:
    assert identifier_params("https://in.hotjar.com/api", '{"user_id": "abc", "page": "x"}') == ["user_id"]
    body = "v=2&cid=1.2&en=page_view\nv=2&cid=1.2&en=scroll"
    assert identifier_params("https://region1.google-analytics.com/g/collect", body) == ["cid"]


def test_decoys_are_not_identifiers() -> None:
    url = (
        "https://example.com/x?v=2&lang=nb&page=3&tid=G-ABCDEF1234&_=1700000000000"
        "&dl=https%3A%2F%2Fshop.example%2F&render=6LcAbCdEfGhIjKlMnOp&slug=summer-sale-campaign"
    )
    assert identifier_params(url, None) == []
    assert identifier_params("https://example.com/x", "not a query or json") == []
    assert not looks_like_identifier("summer-sale-campaign")
    assert looks_like_identifier("0f8fad5b-d9cb-469f-a165-70867728950e")
