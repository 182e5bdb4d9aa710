"""Composition root: the till store, settings and the ``Till`` façade built from ``TillConfig``.

Everything that runs on a till (UI, local API, CLI, sync client, device workers) gets its
``Till`` from here, so wiring lives in one place.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from desktop.config import TillConfig
from desktop.core.settings import TillSettings
from desktop.core.till import Till
from desktop.core.users import PinHasher
from desktop.store import SqliteStorage
from shared.clock import Clock

__all__ = ["build_till", "open_till", "tune_gc"]


def build_till(config: TillConfig | None = None, *, settings: TillSettings | None = None,
               clock: Clock | None = None, pins: PinHasher | None = None) -> Till:
    """Open (creating on first use) the store under ``config.home`` and build the till.

    ``settings`` replaces the stored settings (first setup, tests); without it the stored
    settings are used, or Romanian defaults on a brand-new store. Close with ``till.close()``.
    """
    cfg = config or TillConfig()
    storage = SqliteStorage(cfg.store_path)
    try:
        till = Till(storage, settings, clock=clock, pins=pins)
    except BaseException:
        storage.close()
        raise
    return till


@contextmanager
def open_till(config: TillConfig | None = None, **kwargs: object) -> Iterator[Till]:
    """``with open_till() as till: ...`` — builds the till and always closes its store."""
    till = build_till(config, **kwargs)  # type: ignore[arg-type]
    try:
        yield till
    finally:
        till.close()


def tune_gc() -> None:
    """Call once a long-running till process has started (UI, headless agent).

    Python's cyclic collector otherwise re-walks every object alive since start-up in each
    full collection — several milliseconds that land on a random scan. Freezing the start-up
    heap removes it from those walks (objects are still freed by reference counting).
    """
    gc.collect()
    gc.freeze()
