"""Property-based contract test of this issue's endpoints with schemathesis (Python API).

For each operation, schemathesis generates requests from the OpenAPI document (bounded:
``EXAMPLES`` per operation, positive and negative data) and checks that no response is a 5xx
and that status, content type and body conform to the documented responses. Requests carry a
real admin's token, so the protected code paths run, not only the 401.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from conftest import World
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 12  # per operation and backend: the test stays well under a minute
PREFIXES = ("/api/v1/auth", "/api/v1/admin/config", "/api/v1/admin/users",
            "/api/v1/admin/audit", "/api/v1/admin/health", "/api/v1/rate-limit", "/health")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Operations that change the caller's own access run last, so they do not lock the
# generator out of the others (an IP whitelist or a 2FA requirement is a valid config).
LAST = ("PUT /api/v1/admin/config", "POST /api/v1/auth/logout", "POST /api/v1/auth/mfa/enable",
        "POST /api/v1/auth/mfa/disable")


def _operations(schema: Any) -> list[Any]:
    ops = []
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path.startswith(PREFIXES):
            ops.append(op)
    return sorted(ops, key=lambda op: (f"{op.method.upper()} {op.path}" in LAST, op.path,
                                       op.method))


@pytest.mark.slow
def test_endpoints_conform_to_their_schema(world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    operations = _operations(schema)
    assert len(operations) >= 17
    headers = world.api.headers(world.a.admin)
    seen: dict[str, set[int]] = {}

    def exercise(operation: Any) -> None:
        name = f"{operation.method.upper()} {operation.path}"
        strategy = st.one_of(
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate, Phase.shrink],
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case: Any) -> None:
            merged = {**(case.headers or {})}
            if "authorization" not in {k.lower() for k in merged}:
                merged.update(headers)
            case.headers = merged
            response = case.call_and_validate(checks=CHECKS)
            seen.setdefault(name, set()).add(response.status_code)

        run()

    for operation in operations:
        exercise(operation)

    # The runs reached real handlers, not only the authentication layer.
    assert any(200 <= s < 300 for codes in seen.values() for s in codes)
    assert any(s == 422 for codes in seen.values() for s in codes)
