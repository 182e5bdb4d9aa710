"""``/shift/open|close|status``: the fiscal shift (a Z report closes it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from desktop.api.deps import Services
from desktop.api.fiscal.mapping import shift_out, z_out
from desktop.api.fiscal.schemas import (
    ShiftCloseResponse,
    ShiftRequest,
    ShiftResponse,
    ShiftStatus,
)

__all__ = ["router"]

router = APIRouter()


@router.post("/shift/open", response_model=ShiftResponse, response_model_by_alias=True)
def shift_open(services: Services, body: ShiftRequest | None = None) -> ShiftResponse:
    svc = services.fiscal.get()
    row = svc.open_shift((body.cashier_id if body else None) or "")
    return ShiftResponse(shift=shift_out(svc, row), message="Зміну відкрито успішно")


@router.post("/shift/close", response_model=ShiftCloseResponse)
def shift_close(services: Services, body: ShiftRequest | None = None) -> ShiftCloseResponse:
    svc = services.fiscal.get()
    row, z = svc.close_shift()
    return ShiftCloseResponse(z_report=z_out(svc, row, z),
                              message="Зміну закрито, Z-звіт створено")


@router.get("/shift/status", response_model=ShiftStatus)
def shift_status(services: Services,
                 cashier_id: Annotated[str | None, Query(alias="cashierId")] = None
                 ) -> ShiftStatus:
    svc = services.fiscal.get()
    row = svc.current_shift()
    return ShiftStatus(is_open=row is not None, shift=shift_out(svc, row) if row else None)
