from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from cloud.integrations.configs import (
    ConnectorType,
    GA4Config,
    ShopifyConfig,
    config_example,
    mask_config,
    parse_config,
    restore_masked,
)

PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----\n"
GA4: dict[str, Any] = {
    "property_id": "123456789",
    "credentials_json": {
        "type": "service_account", "project_id": "p", "private_key_id": "abcdef0123456789",
        "private_key": PEM, "client_email": "sa@p.iam.gserviceaccount.com",
        "token_uri": "https://oauth2.googleapis.com/token",
    },
}
SHOPIFY = {"shop_url": "my-store.myshopify.com", "access_token": "shpat_0123456789abcdef"}
WOO = {"url": "https://shop.example.ro", "consumer_key": "ck_0123456789abcdef",
       "consumer_secret": "cs_0123456789abcdef"}
TILL = {"store_ids": ["0190a6e2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"]}
VALID = {ConnectorType.GA4: GA4, ConnectorType.SHOPIFY: SHOPIFY,
         ConnectorType.WOOCOMMERCE: WOO, ConnectorType.TILLBRIDGE: TILL}


@pytest.mark.parametrize("kind", list(ConnectorType))
def test_valid_configs_parse(kind: ConnectorType) -> None:
    assert parse_config(kind, VALID[kind])


def test_normalisation() -> None:
    shop = parse_config("shopify", SHOPIFY)
    assert isinstance(shop, ShopifyConfig)
    assert shop.shop_url == "https://my-store.myshopify.com"
    ga4 = parse_config("ga4", {**GA4, "property_id": "properties/42"})
    assert isinstance(ga4, GA4Config) and ga4.property_id == "42"


def _with(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    node = data
    *parents, leaf = path.split(".")
    for p in parents:
        node = node[p]
    if value is KeyError:
        node.pop(leaf)
    else:
        node[leaf] = value
    return data


@pytest.mark.parametrize(("kind", "path", "value"), [
    ("ga4", "property_id", "G-ABC123"),
    ("ga4", "credentials_json.type", "authorized_user"),
    ("ga4", "credentials_json.private_key", "not a key"),
    ("ga4", "credentials_json.client_email", "nobody"),
    ("ga4", "credentials_json", "{not json"),
    ("ga4", "credentials_json.token_uri", "http://evil.example.com/token"),
    ("shopify", "shop_url", "ftp://shop"),
    ("shopify", "shop_url", "http://my-store.myshopify.com"),
    ("shopify", "access_token", "x"),
    ("shopify", "api_version", "latest"),
    ("shopify", "access_token", KeyError),
    ("shopify", "surprise", 1),
    ("woocommerce", "consumer_key", "key_without_prefix"),
    ("woocommerce", "consumer_secret", "cs_"),
    ("woocommerce", "url", ""),
    ("tillbridge", "store_ids", []),
    ("tillbridge", "store_ids", ["not-a-uuid"]),
    ("tillbridge", "store_ids", [TILL["store_ids"][0]] * 2),
])
def test_invalid_config_per_type(kind: str, path: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        parse_config(kind, _with(VALID[ConnectorType(kind)], path, value))


def test_unknown_type() -> None:
    with pytest.raises(ValueError, match="unknown connector type"):
        parse_config("magento", {})


def test_http_is_allowed_only_for_loopback() -> None:
    assert parse_config("shopify", {**SHOPIFY, "shop_url": "http://127.0.0.1:9"})


@pytest.mark.parametrize("kind", list(ConnectorType))
def test_examples_are_documentation_not_valid_secrets(kind: ConnectorType) -> None:
    example = config_example(kind)
    assert example  # every type has one
    assert set(example) <= set(parse_config(kind, VALID[kind]).model_dump())


def test_masking_hides_every_secret() -> None:
    for kind in (ConnectorType.GA4, ConnectorType.SHOPIFY, ConnectorType.WOOCOMMERCE):
        config = parse_config(kind, VALID[kind])
        text = str(mask_config(config))
        for secret in ("MIIEvQIBADANBgkq", "abcdef0123456789", "shpat_0123456789abcdef",
                       "ck_0123456789abcdef", "cs_0123456789abcdef"):
            assert secret not in text
    assert mask_config(parse_config("shopify", SHOPIFY))["access_token"] == "****cdef"


def test_masked_secret_sent_back_keeps_the_stored_one() -> None:
    old = parse_config("woocommerce", WOO)
    sent = {**mask_config(old), "url": "https://new.example.ro"}
    merged = parse_config("woocommerce", restore_masked(ConnectorType.WOOCOMMERCE, sent, old))
    assert merged.consumer_secret == WOO["consumer_secret"]  # type: ignore[union-attr]
    assert merged.url == "https://new.example.ro"  # type: ignore[union-attr]
    ga4 = parse_config("ga4", GA4)
    back = parse_config("ga4", restore_masked(ConnectorType.GA4, mask_config(ga4), ga4))
    assert back == ga4
