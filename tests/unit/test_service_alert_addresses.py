"""SiteService keeps a site's alert address subscribed: on add, on a change of address, never twice for an
unchanged one; a failed subscription registers nothing. (The SNS adapter's filtering is checked against a
moto server in tests/aws/test_service_contracts.py.)"""

from __future__ import annotations

import pytest

from privacyscan.service.compose import SiteService
from privacyscan.service.queue import SqliteScanQueue
from privacyscan.service.registry import SqliteSiteRegistry
from privacyscan.service.schedules import SqliteSchedules
from privacyscan.service.sites import Site


class RecordingSubscriptions:
    def __init__(self, fail: bool = False) -> None:
        self.addresses: list[str] = []
        self.fail = fail

    def subscribe(self, address: str) -> str:
        if self.fail:
            raise RuntimeError("SNS said no")
        self.addresses.append(address)
        return f"sub:{address}"


def service(tmp_path, subscriptions) -> SiteService:
    path = tmp_path / "sites.sqlite"
    return SiteService(registry=SqliteSiteRegistry(path), schedules=SqliteSchedules(path),
                       queue=SqliteScanQueue(path), subscriptions=subscriptions)


def test_an_address_is_subscribed_on_add_and_on_change_only(tmp_path):
    subscriptions = RecordingSubscriptions()
    sites = service(tmp_path, subscriptions)
    site = sites.add(Site.new("https://www.example.no/", notify="dpo@example.no"))
    sites.update(site.site_id, label="acme")  # address unchanged
    sites.update(site.site_id, notify="ny@example.no")
    sites.update(site.site_id, notify=None)
    assert subscriptions.addresses == ["dpo@example.no", "ny@example.no"]


def test_a_site_without_an_address_subscribes_nothing(tmp_path):
    subscriptions = RecordingSubscriptions()
    service(tmp_path, subscriptions).add(Site.new("https://www.example.no/"))
    assert subscriptions.addresses == []


def test_a_failed_subscription_registers_nothing(tmp_path):
    sites = service(tmp_path, RecordingSubscriptions(fail=True))
    site = Site.new("https://www.example.no/", notify="dpo@example.no")
    with pytest.raises(RuntimeError):
        sites.add(site)
    assert sites.registry.get(site.site_id) is None
