"""Crash-safe fiscalisation throughput: receipts/s through the FiscalService (durable intent and
result in the journal, fsync each) vs the bare Datecs driver on the same emulated device (TCP).

``ratio_service_vs_driver`` is the price of exactly-once; ``frames_per_receipt`` shows how many
protocol frames one 3-line receipt costs (status/state queries included).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bench._harness import percentile, timed
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.fiscal.datecs import DatecsDriver, DatecsSettings
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.model import FiscalReceipt, Payment, PaymentKind, line
from desktop.devices.fiscal.service import FiscalService
from desktop.devices.transports import TcpTransport
from shared.clock import ManualClock
from shared.ids import uuid7


def _receipt(clock: ManualClock, i: int) -> FiscalReceipt:
    at = clock.now()
    lines = (line("Paine", "2", 350 + i % 7, "reduced", country="RO", at=at),
             line("Vin", "1", 4599, "standard", country="RO", at=at, discount=100),
             line("Mere", Decimal("0.735"), 699, "reduced", country="RO", at=at))
    return FiscalReceipt(uuid7(), lines, (Payment(PaymentKind.CASH, 10_000),), at, "RO")


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    clock = ManualClock(datetime(2026, 3, 2, 8, tzinfo=UTC))
    with DatecsEmulator("x", clock=clock) as emu, tempfile.TemporaryDirectory() as tmp:
        host, port = emu.serve_tcp()
        drv = DatecsDriver(TcpTransport(host, port, timeout=1.0), DatecsSettings(timeout=1.0),
                           clock=clock)
        drv.connect()
        per_receipt: list[float] = []

        def bare() -> None:
            for i in range(size):
                r = _receipt(clock, i)
                drv.issue(r, drv.prepare(r))

        frames0 = emu.frames
        t_driver = timed(bare)
        frames = (emu.frames - frames0) / size
        journal = Journal(Path(tmp) / "fiscal.sqlite3")
        svc = FiscalService(drv, journal, clock=clock)
        svc.start()
        svc.open_shift("bench")

        def safe() -> None:
            for i in range(size):
                r = _receipt(clock, i)
                per_receipt.append(timed(lambda r=r: svc.sell(r)))  # type: ignore[misc]

        t_service = timed(safe)
        svc.close()
    return (
        {"receipts": size, "lines_per_receipt": 3, "link": "tcp", "protocol": "x"},
        {
            "service_receipts_per_s": size / t_service,
            "driver_receipts_per_s": size / t_driver,
            "service_p95_ms": percentile(per_receipt, 95) * 1000,
            "frames_per_receipt": frames,
            "ratio_service_vs_driver": t_service / t_driver,
        },
    )
