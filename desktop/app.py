"""The till's composition root: :class:`TillServices` builds every long-lived collaborator of
a till process once and hands them to whoever runs: the local API
(:func:`desktop.api.app.create_app`), the cashier window (:func:`desktop.ui.app.run_gui`) and
the headless till (:func:`desktop.headless.run_headless`).

What it holds, each behind one :class:`Lazy` (built on first use, so the login screen never
waits for a device, the web stack or the sync engine)::

    till      desktop.core.Till over the SQLite store under config.home
    hardware  desktop.devices.printers.service.HardwareService (print queue, label printers)
    fiscal    desktop.devices.fiscal.service.FiscalService for home/fiscal.json's device
    sync      sync.runner.SyncRunner, syncing through ``till`` when the process has one open

Nothing else builds these: no holders in the API, no registries keyed by home. Where a new
piece goes:

* a new device service: one more ``Lazy`` here (with its start and close), passed on from here;
* a new local API route: a router in ``desktop/api/<family>.py``, included in ``create_app``,
  reaching its service through ``desktop.api.deps.Services``;
* a new screen: ``desktop/ui/views`` or ``desktop/ui/dialogs``, reaching the till and the
  device ports through ``desktop.ui.context.UiContext`` (never the services or the API).

One-shot commands (``tillbridge-till sell``, ``shift close`` …) need only the till:
:func:`build_till` / :func:`open_till`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Generic, TypeVar

from desktop.config import TillConfig
from desktop.core.settings import TillSettings
from desktop.core.till import Till
from desktop.core.users import PinHasher
from desktop.store import SqliteStorage
from shared.clock import Clock

if TYPE_CHECKING:
    from desktop.devices.fiscal.config import FiscalConfig
    from desktop.devices.fiscal.service import FiscalService
    from desktop.devices.printers.service import HardwareService
    from sync.runner import SyncRunner

__all__ = ["Lazy", "TillServices", "build_till", "open_till", "tune_gc"]

T = TypeVar("T")


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
    """Call once a long-running till process has started (window, headless till).

    Python's cyclic collector otherwise re-walks every object alive since start-up in each
    full collection — several milliseconds that land on a random scan. Freezing the start-up
    heap removes it from those walks (objects are still freed by reference counting).
    """
    gc.collect()
    gc.freeze()


class Lazy(Generic[T]):
    """One collaborator, built by ``build`` on the first :meth:`get` from any thread.

    A build that raises leaves nothing behind, so the next :meth:`get` tries again (a device
    that was off). :meth:`reset` closes what was built and forgets it: the next :meth:`get`
    builds anew (after the fiscal device was reconfigured). ``value`` starts it built (a
    service the caller made, e.g. over an emulator); it is closed like a built one.
    """

    def __init__(self, build: Callable[[], T], close: Callable[[T], object] | None = None, *,
                 value: T | None = None) -> None:
        self._build, self._close = build, close
        self._value: T | None = value
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value

    def peek(self) -> T | None:
        """The value if it is built, without building it."""
        return self._value

    def reset(self) -> None:
        with self._lock:
            value, self._value = self._value, None
            if value is not None and self._close is not None:
                self._close(value)


class TillServices:
    """The till, its device services and its sync runner for one till home (see the module
    docstring). Build it once per process, pass it on, :meth:`close` it last.

    Already-built collaborators may be handed in (a test's emulated printer service, the
    till a test opened); they are closed with the rest.
    """

    def __init__(self, config: TillConfig | None = None, *, till: Till | None = None,
                 hardware: HardwareService | None = None,
                 fiscal: FiscalService | None = None) -> None:
        self.config = config or TillConfig()
        self.home = self.config.home
        self._fiscal_config: FiscalConfig | None = None
        self.till: Lazy[Till] = Lazy(lambda: build_till(self.config), Till.close, value=till)
        self.hardware: Lazy[HardwareService] = Lazy(self._start_hardware, lambda s: s.close(),
                                                    value=hardware)
        self.fiscal: Lazy[FiscalService] = Lazy(self._start_fiscal, self._close_fiscal,
                                                value=fiscal)
        self.sync: Lazy[SyncRunner] = Lazy(self._start_sync, lambda r: r.stop())

    # -- builders ----------------------------------------------------------------------------
    def _start_hardware(self) -> HardwareService:
        """The print service over this home, its label catalog read from the till store; its
        print workers start at once, so jobs queued before a restart print without a call."""
        # device stack (pyserial, pyusb, escpos, pydantic models): not for the first frame
        from desktop.devices.printers.catalog import TillStoreCatalog
        from desktop.devices.printers.service import HardwareService
        from desktop.devices.printers.settings import HardwareSettings

        settings = HardwareSettings.from_env()
        catalog = TillStoreCatalog(self.config.store_path, currency=settings.currency)
        service = HardwareService(self.home, settings=settings, catalog=catalog)
        service.start()
        return service

    def _start_fiscal(self) -> FiscalService:
        """The service for ``home/fiscal.json``'s device, started: it connects and reconciles
        unfinished documents (:class:`~desktop.devices.fiscal.errors.NotConfigured` without
        a device)."""
        # fiscal drivers and their transports: not for the first frame
        from desktop.devices.fiscal.config import load_config
        from desktop.devices.fiscal.factory import build_service

        config = load_config(self.home)
        service = build_service(self.home, cfg=config)
        try:
            service.start()
        except BaseException:
            service.close()
            raise
        self._fiscal_config = config
        return service

    def _close_fiscal(self, service: FiscalService) -> None:
        self._fiscal_config = None
        service.close()

    def fiscal_config(self) -> FiscalConfig:
        """The fiscal configuration the service was built from (read from ``home`` if it is
        not built)."""
        # pydantic configuration models: not for the first frame
        from desktop.devices.fiscal.config import FiscalConfig, load_config

        if self._fiscal_config is None:
            self._fiscal_config = load_config(self.home)
        return self._fiscal_config or FiscalConfig()

    def fiscal_configured(self) -> bool:
        """Whether ``home/fiscal.json`` exists (the device may still be ``none``)."""
        # pydantic configuration models: not for the first frame
        from desktop.devices.fiscal.config import config_path

        return config_path(self.home).exists()

    def _start_sync(self) -> SyncRunner:
        """The background runner, started (it waits quietly until the till is enrolled). It
        syncs through the process's own till when one is open — so what the feed changes
        (settings, users) applies to the till the cashier uses — else through a till of its
        own, opened once the home is enrolled."""
        # the sync engine and its HTTP stack: not for the first frame
        from desktop.sync_ports import TillSyncPorts
        from sync.runner import SyncRunner

        live = self.till.peek()
        runner = SyncRunner(TillSyncPorts(live) if live is not None
                            else (lambda: TillSyncPorts(build_till(self.config))), self.home)
        runner.start()
        return runner

    def enrolled(self) -> bool:
        """Whether this home is enrolled with a cloud (reads ``home``)."""
        # the sync engine: not for the first frame
        from sync import state

        return state.load(self.home) is not None

    # -- life cycle --------------------------------------------------------------------------
    def close(self) -> None:
        """Stop sync, close the device services, then the till (safe to call twice)."""
        for lazy in (self.sync, self.fiscal, self.hardware, self.till):
            lazy.reset()

