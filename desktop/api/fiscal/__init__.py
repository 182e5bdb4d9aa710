"""Local Fiscal API (seed 003 "Fiscal API"): shifts, receipts, returns, service receipts, reports.

Thin shell over ``desktop.devices.fiscal.service``, driving whichever device ``home/fiscal.json``
configures (Datecs or Checkbox): the till's own service
(:attr:`desktop.app.TillServices.fiscal`, shared with the window and the document worker),
reached through :data:`desktop.api.deps.Services`. Shapes follow the seed (camelCase); amounts
are integer minor units (bani, kopiyky). Errors use the app's ``{error, code, details}``
handlers with the fiscal codes of ``desktop.devices.fiscal.errors`` and the device's own
(``FISCAL_PAPER_OUT`` …).

Where things live::

    __init__.py   the ``/api/admin/fiscal`` router, one ``include_router`` per area
    schemas.py    request and response models
    mapping.py    wire ↔ fiscal domain
    shifts.py     /shift/open|close|status
    receipts.py   /receipt, /return, /receipt/{id}, /service/deposit|withdraw
    reports.py    /reports/daily|period
    attention.py  beyond the seed: /device, /attention, /reconcile, /receipt/{id}/void
"""

from __future__ import annotations

from fastapi import APIRouter

from desktop.api.fiscal import attention, receipts, reports, shifts
from desktop.api.fiscal.schemas import ERRORS

__all__ = ["router"]

router = APIRouter(prefix="/api/admin/fiscal", tags=["fiscal"], responses=ERRORS)
for _area in (shifts, receipts, reports, attention):
    router.include_router(_area.router)
