"""Beyond the seed: what a cashier needs for receipts in doubt — ``GET device``,
``GET attention``, ``POST reconcile`` and ``POST receipt/{id}/void``."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from desktop.api.deps import Services
from desktop.api.fiscal.mapping import attention_out, detail
from desktop.api.fiscal.schemas import AttentionOut, ReceiptDetail

__all__ = ["router"]

router = APIRouter()


@router.get("/device")
def device(services: Services) -> dict[str, Any]:
    st = services.fiscal.get().device_state()
    return {"device": st.device, "online": st.online, "shiftOpen": st.shift_open,
            "receiptOpen": st.receipt_open, "errors": list(st.errors),
            "warnings": list(st.warnings), "info": st.info}


@router.get("/attention", response_model=list[AttentionOut])
def attention(services: Services) -> list[AttentionOut]:
    return attention_out(services.fiscal.get().attention())


@router.post("/reconcile", response_model=list[AttentionOut])
def reconcile(services: Services) -> list[AttentionOut]:
    svc = services.fiscal.get()
    svc.sync()
    return attention_out(svc.reconcile(retry=True))


@router.post("/receipt/{id}/void", response_model=ReceiptDetail)
def void(services: Services, id: uuid.UUID) -> ReceiptDetail:
    """Abandon a receipt the device confirms it never issued (never one in doubt)."""
    return detail(services.fiscal.get().void(id, "voided via API"))
