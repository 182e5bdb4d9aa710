"""The real httpx clients against the shipped fake servers, over 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from cloud.integrations.configs import parse_config
from cloud.integrations.emulators import ga4_fake, shopify_fake, woocommerce_fake
from cloud.integrations.emulators.ga4_fake import GA4Event
from cloud.integrations.emulators.server import serve_in_thread
from cloud.integrations.ga4 import GA4Client
from cloud.integrations.orders import (
    IntegrationAuthError,
    TransientIntegrationError,
)
from cloud.integrations.outbound import OutboundPolicy
from cloud.integrations.shopify import ShopifyClient
from cloud.integrations.woocommerce import WooCommerceClient

END = date(2026, 3, 31)
UNTIL = datetime(2026, 4, 1, tzinfo=UTC)
START = END - timedelta(days=9)

LOCAL = OutboundPolicy("127.0.0.1/32")  # the fakes listen on 127.0.0.1


@pytest.fixture
def shopify() -> Iterator[tuple[shopify_fake.ShopifyFakeState, str]]:
    orders = shopify_fake.make_orders(120, days=10, end=UNTIL)
    # One order outside the range on each side, one cancelled, one test order.
    orders.append({**orders[0], "id": 1, "created_at": "2026-03-21T23:59:59+00:00"})
    orders.append({**orders[0], "id": 2, "created_at": "2026-04-01T00:00:00+00:00"})
    orders.append({**orders[0], "id": 3, "cancelled_at": "2026-03-25T10:00:00+00:00"})
    orders.append({**orders[0], "id": 4, "test": True})
    state = shopify_fake.ShopifyFakeState(orders=orders)
    with serve_in_thread(shopify_fake.create_app(state)) as url:
        yield state, url


def _shop(url: str, token: str, page: int = 50) -> ShopifyClient:
    config = parse_config("shopify", {"shop_url": url, "access_token": token})
    return ShopifyClient(config, page_size=page, policy=LOCAL)  # type: ignore[arg-type]


def test_shopify_pages_by_link_header(shopify: tuple[shopify_fake.ShopifyFakeState, str]) -> None:
    state, url = shopify
    with _shop(url, state.access_token, page=50) as client:
        records = client.fetch(START, END)
    expected = sorted(o["id"] for o in state.orders[:120])
    assert sorted(int(r.order_id) for r in records) == expected
    assert state.requests == 3  # 50 + 50 + 20
    first = next(o for o in state.orders if str(o["id"]) == records[0].order_id)
    assert records[0].amount_minor == int(first["total_price"].replace(".", ""))


def test_shopify_refuses_filters_with_page_info(
        shopify: tuple[shopify_fake.ShopifyFakeState, str]) -> None:
    state, url = shopify
    headers = {"X-Shopify-Access-Token": state.access_token}
    first = httpx.get(f"{url}/admin/api/2025-01/orders.json",
                      params={"limit": 10, "status": "any"}, headers=headers)
    nxt = first.links["next"]["url"]
    assert httpx.get(nxt, headers=headers).status_code == 200
    assert httpx.get(nxt + "&status=any", headers=headers).status_code == 400


def test_shopify_wrong_token(shopify: tuple[shopify_fake.ShopifyFakeState, str]) -> None:
    _, url = shopify
    with _shop(url, "shpat_wrong_token_000") as client, pytest.raises(IntegrationAuthError):
        client.fetch(START, END)


def test_shopify_fault_switch(shopify: tuple[shopify_fake.ShopifyFakeState, str]) -> None:
    state, url = shopify
    state.faults.set(fail_times=1)
    with _shop(url, state.access_token) as client:
        with pytest.raises(TransientIntegrationError):
            client.fetch(START, END)
        assert len(client.fetch(START, END)) == 120


def test_unreachable_server_is_transient() -> None:
    with _shop("http://127.0.0.1:9", "shpat_0123456789") as client, \
            pytest.raises(TransientIntegrationError):
        client.fetch(START, END)


@pytest.fixture
def woo() -> Iterator[tuple[woocommerce_fake.WooFakeState, str]]:
    orders = woocommerce_fake.make_orders(230, days=10, end=UNTIL)
    orders.append({**orders[0], "id": 1, "status": "cancelled"})
    orders.append({**orders[0], "id": 2, "date_created_gmt": "2026-04-01T00:00:00"})
    state = woocommerce_fake.WooFakeState(orders=orders)
    with serve_in_thread(woocommerce_fake.create_app(state)) as url:
        yield state, url


def _woo(url: str, key: str, secret: str, page: int = 100) -> WooCommerceClient:
    config = parse_config("woocommerce", {"url": url, "consumer_key": key,
                                          "consumer_secret": secret})
    return WooCommerceClient(config, page_size=page, policy=LOCAL)  # type: ignore[arg-type]


def test_woocommerce_pages_by_total_pages(
        woo: tuple[woocommerce_fake.WooFakeState, str]) -> None:
    state, url = woo
    with _woo(url, state.consumer_key, state.consumer_secret) as client:
        records = client.fetch(START, END)
    assert sorted(int(r.order_id) for r in records) == sorted(o["id"] for o in state.orders[:230])
    assert state.requests == 3


def test_woocommerce_auth(woo: tuple[woocommerce_fake.WooFakeState, str]) -> None:
    state, url = woo
    with _woo(url, state.consumer_key, "cs_wrongsecret000") as client, \
            pytest.raises(IntegrationAuthError):
        client.fetch(START, END)
    query_auth = httpx.get(f"{url}/wp-json/wc/v3/orders", params={
        "consumer_key": state.consumer_key, "consumer_secret": state.consumer_secret})
    assert query_auth.status_code == 200


@pytest.fixture
def ga4() -> Iterator[tuple[ga4_fake.GA4FakeState, dict[str, object]]]:
    state = ga4_fake.GA4FakeState(property_id="42", client_email="", public_key_pem="")
    state.events = [GA4Event(f"T{i:03d}", "10.50", START + timedelta(days=i % 10))
                    for i in range(25)]
    state.events.append(GA4Event("T000", "10.50", START))  # recorded twice
    state.events.append(GA4Event("OLD", "1.00", START - timedelta(days=1)))
    state.events.append(GA4Event("(not set)", "3.00", START))
    with serve_in_thread(ga4_fake.create_app(state)) as url:
        account, public = ga4_fake.make_service_account(f"{url}/token")
        state.client_email, state.public_key_pem = account["client_email"], public
        yield state, {"property_id": "42", "credentials_json": account, "api_base": url}


def test_ga4_service_account_flow_and_paging(
        ga4: tuple[ga4_fake.GA4FakeState, dict[str, object]]) -> None:
    state, config = ga4
    cfg = parse_config("ga4", config)
    with GA4Client(cfg, page_size=10, policy=LOCAL) as client:  # type: ignore[arg-type]
        records = client.fetch(START, END)
    by_id = {r.order_id: r for r in records}
    assert len(records) == 25 and "OLD" not in by_id and "(not set)" not in by_id
    assert by_id["T000"].occurrences == 2 and by_id["T000"].amount_minor == 2100
    assert by_id["T001"].amount_minor == 1050 and by_id["T001"].currency == "RON"
    assert state.report_calls == 3  # 10 + 10 + 6 rows (the "(not set)" row is dropped)
    assert len(state.tokens) == 1  # one token, reused across pages


def test_ga4_wrong_key_is_refused_by_token_endpoint(
        ga4: tuple[ga4_fake.GA4FakeState, dict[str, object]]) -> None:
    _, config = ga4
    other, _ = ga4_fake.make_service_account(str(config["credentials_json"]["token_uri"]))  # type: ignore[index]
    forged = {**config, "credentials_json": {**config["credentials_json"],  # type: ignore[dict-item]
                                             "private_key": other["private_key"]}}
    with GA4Client(parse_config("ga4", forged), policy=LOCAL) as client:  # type: ignore[arg-type]
        with pytest.raises(IntegrationAuthError):
            client.fetch(START, END)


def test_ga4_wrong_property_and_faults(
        ga4: tuple[ga4_fake.GA4FakeState, dict[str, object]]) -> None:
    state, config = ga4
    other = parse_config("ga4", {**config, "property_id": "7"})
    with GA4Client(other, policy=LOCAL) as client:  # type: ignore[arg-type]
        with pytest.raises(IntegrationAuthError):
            client.fetch(START, END)
    state.faults.set(always=True)
    with GA4Client(parse_config("ga4", config), policy=LOCAL) as client:  # type: ignore[arg-type]
        for _ in range(2):
            with pytest.raises(TransientIntegrationError):
                client.fetch(START, END)
    assert state.faults.failures == 2
