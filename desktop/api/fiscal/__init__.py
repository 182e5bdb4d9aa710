"""Local Fiscal API (seed 003 "Fiscal API"): shifts, receipts, returns, service receipts, reports.

Thin shell over ``desktop.devices.fiscal.service``, driving whichever device ``home/fiscal.json``
configures (Datecs or Checkbox). Shapes follow the seed (camelCase); amounts are integer minor
units (bani, kopiyky). Errors use the app's ``{error, code, details}`` handlers with the fiscal
codes of ``desktop.devices.fiscal.errors`` and the device's own (``FISCAL_PAPER_OUT`` …).

Where things live::

    mount.py      the ``/api/admin/fiscal`` router and ``setup(app, home)``
    holder.py     the service, built from ``home`` on first use (no I/O at import)
    schemas.py    request and response models
    mapping.py    wire ↔ fiscal domain
    shifts.py     /shift/open|close|status
    receipts.py   /receipt, /return, /receipt/{id}, /service/deposit|withdraw
    reports.py    /reports/daily|period
    attention.py  beyond the seed: /device, /attention, /reconcile, /receipt/{id}/void
"""

from __future__ import annotations

from desktop.api.fiscal.holder import FiscalHolder
from desktop.api.fiscal.mount import router, setup

__all__ = ["FiscalHolder", "router", "setup"]
