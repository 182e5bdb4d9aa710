"""Schemathesis over the 26 seed-002 operations (plus invite acceptance): generated valid and
invalid requests, sent with a tenant admin's token, never get a 5xx and always match the
documented status codes, content types and bodies."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from _recon_api_env import ApiWorld
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shared.errors import Family, family_for_path

EXAMPLES = 6  # per operation and backend: keeps the test near ten seconds
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.mark.slow
def test_recon_endpoints_conform_to_their_schema(world: ApiWorld) -> None:
    w = world
    client_id = w.call(w.a.admin, "POST", "/api/v1/clients",
                       json={"name": "Contract"}).json()["id"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", w.app)
    operations = [r.ok() for r in schema.get_all_operations()]
    ops = [op for op in operations if family_for_path(op.path) is Family.RECON]
    assert len(ops) >= 27
    # DELETE last, so the generator does not remove what the others use.
    ops.sort(key=lambda op: (op.method.upper() == "DELETE", op.path, op.method))
    headers = w.h(w.a.admin)
    seen: dict[str, set[int]] = {}

    def exercise(operation: Any) -> None:
        name = f"{operation.method.upper()} {operation.path}"
        strategy = st.one_of(
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case: Any) -> None:
            if case.path_parameters and "client_id" in case.path_parameters \
                    and case.method.upper() != "DELETE":
                case.path_parameters["client_id"] = client_id  # reach the real handlers
            merged = {**(case.headers or {})}
            if "authorization" not in {k.lower() for k in merged}:
                merged.update(headers)
            case.headers = merged
            response = case.call_and_validate(checks=CHECKS)
            seen.setdefault(name, set()).add(response.status_code)

        run()

    for operation in ops:
        exercise(operation)

    assert any(200 <= s < 300 for codes in seen.values() for s in codes)
    assert any(s == 422 for codes in seen.values() for s in codes)
