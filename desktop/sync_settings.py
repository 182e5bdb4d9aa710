"""The store and till as the cloud keeps them, turned into the till's own settings.

The cloud's store and till rows reach the till at enrollment and through the feed
(:func:`sync.settings.cloud_rows` has the latest of each). The till takes:

* ``store_code``/``till_code``, ``country`` (with that country's defaults) and ``currency``;
* the receipt header: the store's name, its address, its fiscal id, then the lines of
  ``receiptHeader`` (the till's ``settings`` first, else the store's; a list of lines or one
  text with line breaks);
* the receipt footer: ``receiptFooter`` the same way (the till keeps its own when neither has
  one).

Country and currency change what a receipt adds up to, so while a shift is open they wait
(:func:`settings_from_cloud` says so, and sync tries again at a later pull); the texts apply at
once. ``desktop.sync_ports.TillSyncPorts.apply_cloud_settings`` applies the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import structlog

from desktop.core import TillSettings
from desktop.core.errors import InvalidSettings
from desktop.core.settings import COUNTRY_DEFAULTS
from sync.settings import cloud_rows, snake_keys
from sync.state import Enrollment

__all__ = ["cloud_settings", "settings_from_cloud"]

log = structlog.get_logger(__name__)

_MAX_LINES = 10


def _code(value: Any, fallback: str) -> str:
    text = re.sub(r"[^A-Za-z0-9]", "", str(value or ""))[:12]
    return text or fallback


def _address(addr: Any) -> str:
    if not isinstance(addr, Mapping):
        return ""
    return ", ".join(str(addr[k]) for k in ("street", "city") if addr.get(k))


def _fiscal_id(ids: Any) -> str:
    if not isinstance(ids, Mapping):
        return ""
    for key, label in (("cui", "CUI"), ("edrpou", "ЄДРПОУ"), ("ipn", "ІПН")):
        if ids.get(key):
            return f"{label}: {ids[key]}"
    return ""


def _lines(store: Mapping[str, Any], till: Mapping[str, Any], name: str) -> tuple[str, ...] | None:
    """``receiptHeader``/``receiptFooter`` from the till's settings, else the store's."""
    for row in (till, store):
        found = snake_keys(row.get("settings") if isinstance(row.get("settings"), Mapping) else {})
        if name in found:
            value = found[name]
            items = value.splitlines() if isinstance(value, str) else list(value or ())
            return tuple(str(x).strip() for x in items if str(x).strip())[:_MAX_LINES]
    return None


def settings_from_cloud(current: TillSettings, store: Mapping[str, Any],
                        till: Mapping[str, Any], *,
                        shift_open: bool = False) -> tuple[TillSettings, bool]:
    """The settings the cloud's rows ask for, and whether some of them must wait (a country or
    currency change while ``shift_open``). Anything the till cannot accept keeps ``current``."""
    country = str(store.get("country") or current.country)
    currency = str(store.get("currency") or current.currency)
    waiting = shift_open and (country != current.country or currency != current.currency)
    base = current
    if not shift_open and country != current.country and country in COUNTRY_DEFAULTS:
        try:
            base = current.with_changes(country=country, **COUNTRY_DEFAULTS[country])
        except InvalidSettings:
            base = current
    identity = tuple(x for x in (str(store.get("name") or ""), _address(store.get("address")),
                                 _fiscal_id(store.get("fiscal_ids"))) if x)
    extra = _lines(store, till, "receipt_header") or ()
    footer = _lines(store, till, "receipt_footer")
    try:
        wanted = base.with_changes(
            store_code=_code(store.get("code"), current.store_code),
            till_code=_code(till.get("code"), current.till_code),
            currency=current.currency if shift_open else currency,
            header=(identity + extra) or current.header,
            footer=current.footer if footer is None else footer)
    except InvalidSettings as exc:
        log.warning("sync_settings_refused", error=exc.message)
        return current, False
    return wanted, waiting


def cloud_settings(current: TillSettings, enrollment: Enrollment) -> TillSettings:
    """The till settings with the identity, country and receipt texts the cloud holds."""
    store, till = cloud_rows(enrollment)
    return settings_from_cloud(current, store, till)[0]
