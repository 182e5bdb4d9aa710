"""Checkbox PRRO (Ukraine): httpx client, offline codes store, driver."""

from __future__ import annotations
