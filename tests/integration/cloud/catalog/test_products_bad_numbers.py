"""Numbers past what a product can hold are validation errors on their field, never a 500.

GIVEN a tenant creating products
WHEN weight, minimum stock or price is 1e30, 1E+999999 or has 5,000 digits
THEN the answer is 422 naming the field, and nothing is created.
"""

from __future__ import annotations

import pytest
from _catalog_env import CatalogWorld, product_body


@pytest.mark.parametrize(("field", "value"), [
    ("weight", 1e30), ("minStock", 1e30), ("weight", "1E+999999"), ("price", 1e30),
    ("price", "9" * 5000), ("minStock", "1E+999999")])
def test_huge_numbers_are_refused_on_their_field(cw: CatalogWorld, field: str,
                                                 value: object) -> None:
    resp = cw.as_a("POST", "/api/v1/products", json=product_body("HUGE-1", **{field: value}))
    assert resp.status_code == 422, resp.text
    assert field in resp.text
    assert cw.as_a("GET", "/api/v1/products?search=HUGE").json()["data"] == []
