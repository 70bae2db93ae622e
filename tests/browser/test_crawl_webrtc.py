"""WebRTC must not go around the guard proxy: a page that gathers ICE candidates against a STUN server on
loopback (a UDP canary that records every packet) gets no packet through. The control run, with the
WebRTC preference removed, shows that the canary does hear Chromium when nothing stops it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from privacyscan.crawl import browser
from privacyscan.pipeline import scan_site

from .conftest import scan_options

pytestmark = pytest.mark.browser


@contextmanager
def stun_canary() -> Iterator[tuple[int, list[bytes]]]:
    """A UDP socket on 127.0.0.1 that keeps every datagram it receives."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.1)
    packets: list[bytes] = []
    done = threading.Event()

    def listen() -> None:
        while not done.is_set():
            try:
                packets.append(sock.recvfrom(2048)[0])
            except OSError:
                continue

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], packets
    finally:
        time.sleep(0.3)  # a packet in flight still counts
        done.set()
        thread.join()
        sock.close()


def scan_webrtc_page(fixture_web, tmp_path, port: int):
    options = scan_options(fixture_web, f"http://webrtc.example/?port={port}", settle_s=2.0, max_pages=1)
    return scan_site(options, tmp_path)


def test_a_page_gathering_webrtc_candidates_sends_no_udp_around_the_guard_proxy(fixture_web, tmp_path):
    with stun_canary() as (port, packets):
        report = scan_webrtc_page(fixture_web, tmp_path, port)
    assert report.evidence.phases[0].pages[0].error is None
    assert report.evidence.phases[0].pages[0].title.startswith("WebRTC")
    assert packets == []


def test_the_stun_canary_hears_chromium_when_the_webrtc_policy_is_removed(fixture_web, tmp_path, monkeypatch):
    """Control: the same scan without the preference; the canary must hear STUN binding requests."""
    preferences = {k: v for k, v in browser.PROFILE_PREFERENCES.items() if k != "webrtc"}
    monkeypatch.setattr(browser, "PROFILE_PREFERENCES", preferences)
    with stun_canary() as (port, packets):
        scan_webrtc_page(fixture_web, tmp_path, port)
    assert packets, "no STUN packet reached the canary: the first test would prove nothing"
    assert all(p[:2] == b"\x00\x01" for p in packets)  # STUN binding requests
