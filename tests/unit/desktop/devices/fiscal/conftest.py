"""Fixtures for fiscal tests: emulators on a pty and on TCP, fake Checkbox, manual clocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fiscal_helpers import checkbox_driver

from desktop.devices.emulators.checkbox_fake import CheckboxFake
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.fiscal.datecs import DatecsDriver, DatecsSettings, Variant
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.service import FiscalService
from desktop.devices.transports import SerialTransport, TcpTransport
from shared.clock import ManualClock

START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(params=["x-tcp", "x-pty", "old-tcp", "old-pty"])
def datecs_pair(request: pytest.FixtureRequest, clock: ManualClock
                ) -> Iterator[tuple[DatecsEmulator, DatecsDriver]]:
    """An emulator and a driver talking to it, for each protocol family and link."""
    variant, link = request.param.split("-")
    yield from _datecs(variant, link, clock)


@pytest.fixture
def datecs_x(clock: ManualClock) -> Iterator[tuple[DatecsEmulator, DatecsDriver]]:
    yield from _datecs("x", "tcp", clock)


def _datecs(variant: str, link: str, clock: ManualClock
            ) -> Iterator[tuple[DatecsEmulator, DatecsDriver]]:
    emu = DatecsEmulator(variant, clock=clock)
    transport: TcpTransport | SerialTransport
    if link == "tcp":
        host, port = emu.serve_tcp()
        transport = TcpTransport(host, port, timeout=0.3)
    else:
        transport = SerialTransport(emu.serve_pty(), 115200, timeout=0.3)
    drv = DatecsDriver(transport, DatecsSettings(variant=Variant(variant), timeout=0.3,
                                                 vat_overrides={"exempt": "E"}), clock=clock)
    try:
        yield emu, drv
    finally:
        drv.close()
        emu.close()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "fiscal.sqlite3")
    yield j
    j.close()


@pytest.fixture
def datecs_service(datecs_x: tuple[DatecsEmulator, DatecsDriver], journal: Journal,
                   clock: ManualClock) -> tuple[DatecsEmulator, FiscalService]:
    emu, drv = datecs_x
    return emu, FiscalService(drv, journal, clock=clock)


@pytest.fixture
def fake(clock: ManualClock) -> Iterator[CheckboxFake]:
    with CheckboxFake(clock=clock) as f:
        yield f


@pytest.fixture
def make_checkbox_service(fake: CheckboxFake, journal: Journal, clock: ManualClock
                          ) -> Iterator[Callable[..., FiscalService]]:
    """Build services over the fake (driver options as keywords); all closed afterwards."""
    made: list[FiscalService] = []

    def make(*, max_shift: timedelta = timedelta(hours=24), **kw: Any) -> FiscalService:
        svc = FiscalService(checkbox_driver(fake, journal, clock, **kw), journal, clock=clock,
                            max_shift=max_shift)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.driver.close()


@pytest.fixture
def checkbox_service(make_checkbox_service: Callable[..., FiscalService]) -> FiscalService:
    return make_checkbox_service()
