"""Fixtures shared by the AWS tests that scan for real: the demo shop on the loopback fixture web."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from privacyscan.demo.webserver import VirtualHostWeb

from ..browser.spine_sites import add_shop


@pytest.fixture(scope="module")
def shop_web() -> Iterator[VirtualHostWeb]:
    web = VirtualHostWeb()
    web.start()
    add_shop(web)
    yield web
    web.stop()
