"""``/receipt``, ``/return``, ``/receipt/{id}``, ``/service/deposit|withdraw``: issuing and
looking up fiscal documents. An ``orderId`` is an idempotency key."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from desktop.api.deps import Services
from desktop.api.fiscal.mapping import (
    detail,
    fiscal_lines,
    fiscal_payments,
    receipt_id_for,
    receipt_out,
)
from desktop.api.fiscal.schemas import (
    ReceiptDetail,
    ReceiptIn,
    ReceiptOut,
    ReturnIn,
    ServiceIn,
    ServiceOut,
)
from desktop.app import TillServices
from desktop.devices.fiscal.errors import DocumentNotFound
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalReceipt,
    Payment,
    PaymentKind,
)

__all__ = ["router"]

router = APIRouter()


@router.post("/receipt", response_model=ReceiptOut)
def create_receipt(services: Services, body: ReceiptIn) -> ReceiptOut:
    svc, cfg = services.fiscal.get(), services.fiscal_config()
    at = svc.clock.now()
    receipt = FiscalReceipt(
        receipt_id_for(svc, body.order_id), fiscal_lines(body.items, cfg.country, at),
        fiscal_payments(body.payments), at, cfg.country, body.cashier_id or "",
        rounding=body.rounding, order_id=body.order_id, header=body.header, footer=body.footer,
        customer_email=body.customer.email if body.customer else None,
        customer_phone=body.customer.phone if body.customer else None)
    return receipt_out(svc.sell(receipt))


@router.post("/return", response_model=ReceiptOut)
def create_return(services: Services, body: ReturnIn) -> ReceiptOut:
    svc, cfg = services.fiscal.get(), services.fiscal_config()
    at = svc.clock.now()
    lines = fiscal_lines(body.items, cfg.country, at)
    total = sum(ln.gross for ln in lines)
    pays = (fiscal_payments(body.payments) if body.payments
            else (Payment(PaymentKind.CASH, total),))
    receipt = FiscalReceipt(receipt_id_for(svc, body.order_id), lines, pays, at, cfg.country,
                            body.cashier_id or "", True, body.original_fiscal_code,
                            order_id=body.order_id)
    return receipt_out(svc.refund(receipt))


@router.get("/receipt/{id}", response_model=ReceiptDetail)
def get_receipt(services: Services, id: str) -> ReceiptDetail:
    """By our receipt id (UUID) or by fiscal number."""
    receipt_id, svc = id, services.fiscal.get()
    try:
        return detail(svc.document(uuid.UUID(receipt_id)))
    except ValueError:
        row = svc.journal.by_fiscal_number(receipt_id) or \
            svc.journal.by_fiscal_number(receipt_id, "return")
        if row is None:
            raise DocumentNotFound(f"no fiscal document {receipt_id!r}") from None
        return detail(row)


def _service(services: TillServices, body: ServiceIn, kind: DocKind) -> ServiceOut:
    svc = services.fiscal.get()
    op = CashOperation(receipt_id_for(svc, body.order_id), kind, body.amount, svc.clock.now(),
                       comment=body.comment, order_id=body.order_id)
    r = svc.cash(op)
    return ServiceOut(fiscal_code=r.fiscal_number, receipt_id=str(r.receipt_id))


@router.post("/service/deposit", response_model=ServiceOut)
def deposit(services: Services, body: ServiceIn) -> ServiceOut:
    return _service(services, body, DocKind.DEPOSIT)


@router.post("/service/withdraw", response_model=ServiceOut)
def withdraw(services: Services, body: ServiceIn) -> ServiceOut:
    return _service(services, body, DocKind.WITHDRAW)
