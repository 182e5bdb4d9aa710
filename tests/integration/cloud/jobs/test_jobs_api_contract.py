"""Schemathesis over the queue and webhook endpoints: no 5xx, documented statuses and bodies.

Bounded: a fixed number of positive and negative cases per operation (derandomised, so a run
is repeatable). Generated webhook URLs are swapped for literal addresses (127.0.0.1, allowed;
10.0.0.1, refused) so no case resolves a random host name: the test stays on the loopback.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from conftest import World
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

OURS = r"^/api/(queues|v1/webhooks|pim/webhooks)"
_URL = re.compile(r"^https?://[^\s]+$")
_TARGETS = ("http://127.0.0.1:9/hook", "http://10.0.0.1/hook")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 8  # per operation and mode


def _loopback_urls(body: Any) -> None:
    if isinstance(body, dict) and isinstance(body.get("url"), str) and _URL.match(body["url"]):
        body["url"] = _TARGETS[len(body["url"]) % 2]


def test_queue_and_webhook_endpoints_follow_their_contract(world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app).include(path_regex=OURS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 17  # 6 queue + 7 webhook + 4 quality-webhook endpoints
    headers = world.a.h()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case: Any) -> None:
                _loopback_urls(case.body)
                case.call_and_validate(headers=headers, checks=CHECKS)

            run()
