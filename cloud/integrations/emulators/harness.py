"""Start the fakes a :class:`Scenario` needs and hand back connector configs pointing at them.

Tests, the e2e suite and ``make demo`` share it: the configs are exactly what a user would
POST to ``/api/v1/clients/{id}/connectors`` (with 127.0.0.1 URLs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from cloud.integrations.emulators import ga4_fake, shopify_fake, woocommerce_fake
from cloud.integrations.emulators.scenario import Scenario
from cloud.integrations.emulators.server import serve_in_thread

__all__ = ["RunningFakes", "run_fakes"]

PROPERTY_ID = "987654321"


@dataclass
class RunningFakes:
    ga4: ga4_fake.GA4FakeState
    ga4_config: dict[str, Any]
    backend_type: str
    backend_config: dict[str, Any]
    shopify: shopify_fake.ShopifyFakeState | None = None
    woo: woocommerce_fake.WooFakeState | None = None


@contextmanager
def run_fakes(scenario: Scenario) -> Iterator[RunningFakes]:
    with ExitStack() as stack:
        ga4 = ga4_fake.GA4FakeState(property_id=PROPERTY_ID, client_email="", public_key_pem="",
                                    events=list(scenario.events),
                                    currency_code=scenario.currency)
        ga4_url = stack.enter_context(serve_in_thread(ga4_fake.create_app(ga4)))
        account, public_pem = ga4_fake.make_service_account(f"{ga4_url}/token")
        ga4.client_email, ga4.public_key_pem = account["client_email"], public_pem
        ga4_config = {"property_id": PROPERTY_ID, "credentials_json": account,
                      "api_base": ga4_url}
        running = RunningFakes(ga4=ga4, ga4_config=ga4_config, backend_type=scenario.backend,
                               backend_config={})
        if scenario.backend == "shopify":
            running.shopify = shopify_fake.ShopifyFakeState(orders=list(scenario.orders))
            url = stack.enter_context(serve_in_thread(shopify_fake.create_app(running.shopify)))
            running.backend_config = {"shop_url": url,
                                      "access_token": running.shopify.access_token}
        elif scenario.backend == "woocommerce":
            running.woo = woocommerce_fake.WooFakeState(orders=list(scenario.orders))
            url = stack.enter_context(serve_in_thread(woocommerce_fake.create_app(running.woo)))
            running.backend_config = {"url": url, "consumer_key": running.woo.consumer_key,
                                      "consumer_secret": running.woo.consumer_secret}
        else:
            running.backend_config = {"store_ids": [str(scenario.store_id)],
                                      "currency": scenario.currency}
        yield running
