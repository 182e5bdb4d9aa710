"""The fake's HTTP API by area, each a router over the :class:`Register` in ``app.state``."""

from __future__ import annotations

from desktop.devices.emulators.checkbox_fake.routes import (
    cash_registers,
    cashier,
    receipts,
    shifts,
)

__all__ = ["ROUTERS"]

ROUTERS = (cashier.router, shifts.router, receipts.router, cash_registers.router)
