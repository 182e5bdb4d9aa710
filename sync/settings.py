"""The store and till rows as the cloud sends them, kept in ``sync.json`` between pulls.

The cloud hands its store row (code, name, address, country, currency, fiscal ids, free-form
``settings``) and till row (code, name, ``settings``) to the till at enrollment, and again
through the feed whenever the back office changes them (``store``/``till`` changes, kept in the
enrollment's ``cloud_config``; the feed spells keys in camelCase). :func:`cloud_rows` is the
latest of each, with snake_case keys; what the till makes of them is its own business
(:class:`sync.ports.TillSetup`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sync.state import Enrollment

__all__ = ["WAITING", "cloud_rows", "snake_keys"]

WAITING = "settings_waiting"
"""``cloud_config`` key: a change from the cloud waits for the shift to close."""
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake_keys(row: Mapping[str, Any] | None) -> dict[str, Any]:
    """``row`` with its camelCase keys in snake_case (values untouched)."""
    return {_CAMEL.sub("_", str(k)).lower(): v for k, v in (row or {}).items()}


def cloud_rows(enrollment: Enrollment) -> tuple[dict[str, Any], dict[str, Any]]:
    """The store and till rows: as enrolled, overlaid with what the feed brought since."""
    config = enrollment.cloud_config or {}
    rows = []
    for kind, enrolled in (("store", enrollment.store), ("till", enrollment.till)):
        row = snake_keys(enrolled)
        latest = config.get(kind)
        if isinstance(latest, Mapping):
            row |= snake_keys(latest)
        rows.append(row)
    return rows[0], rows[1]
