"""Schemathesis over the Fiscal API with an emulated Datecs behind it: generated (valid and
invalid) requests never cause a 5xx, and every answer matches the documented schema (seed 003
error bodies included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from desktop.api.app import create_app
from desktop.app import TillServices
from desktop.config import TillConfig
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.fiscal.config import DatecsConfig, FiscalConfig, save_config

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
VALID_SALE = {"orderId": "contract-1", "items": [
    {"sku": "P", "name": "Paine", "price": 350, "quantity": 2, "taxRate": 11},
    {"sku": "M", "name": "Mere", "price": 699, "quantity": 0.735, "taxRate": 11}],
    "payments": [{"type": "cash", "amount": 2000}]}
EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_fiscal_api_conforms_to_its_schema(tmp_path: Path) -> None:
    home = tmp_path / "till"
    with DatecsEmulator("x") as emu:
        host, port = emu.serve_tcp()
        save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(
            host=host, port=port, vat_overrides={"exempt": "E"})))
        app = create_app(TillServices(TillConfig(home=home)), token="t")
        with TestClient(app):
            auth = {"Authorization": "Bearer t"}
            schema = schemathesis.openapi.from_asgi("/openapi.json", app)
            ops = [r.ok() for r in schema.get_all_operations()]
            ops = [op for op in ops if op.path.startswith("/api/admin/fiscal")]
            assert len(ops) == 14
            seen: dict[str, set[int]] = {}
            receipt_ids: list[str] = []
            # the shift first, so sales can succeed; closing it last
            ops.sort(key=lambda op: (op.path.endswith("/shift/close"),
                                     not op.path.endswith("/shift/open")))
            for op in ops:
                _exercise(op, auth, seen)
                if (op.method.upper(), op.path) == ("POST", "/api/admin/fiscal/receipt"):
                    # one valid sale, so the 200 answers are checked against the schema too
                    case = op.Case(body=VALID_SALE, headers=auth,
                                        media_type="application/json")
                    response = case.call_and_validate(checks=CHECKS)
                    assert response.status_code == 200, response.text
                    seen[f"POST {op.path}"].add(200)
                    receipt_ids.append(response.json()["receiptId"])
                if (op.method.upper(), op.path) == ("GET", "/api/admin/fiscal/receipt/{id}"):
                    for rid in receipt_ids:
                        case = op.Case(path_parameters={"id": rid}, headers=auth)
                        assert case.call_and_validate(checks=CHECKS).status_code == 200
    codes = {s for v in seen.values() for s in v}
    assert {200, 404, 422} <= codes
    assert 500 not in codes


def _exercise(operation: Any, auth: dict[str, str], seen: dict[str, set[int]]) -> None:
    name = f"{operation.method.upper()} {operation.path}"
    strategy = st.one_of(
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        headers = dict(case.headers or {})
        if "authorization" not in {k.lower() for k in headers}:
            headers.update(auth)
        case.headers = headers
        response = case.call_and_validate(checks=CHECKS)
        seen.setdefault(name, set()).add(response.status_code)

    run()
