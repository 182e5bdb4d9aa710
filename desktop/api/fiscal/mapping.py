"""Between the wire and the fiscal domain: request lines and payments into documents, journal
rows and device results into response shapes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from desktop.api.fiscal.schemas import (
    AttentionOut,
    ItemIn,
    ItemOut,
    PaymentIn,
    PaymentOut,
    ReceiptDetail,
    ReceiptOut,
    ShiftOut,
    TaxOut,
    ZReportOut,
)
from desktop.devices.fiscal import reports
from desktop.devices.fiscal.errors import FiscalInvalid
from desktop.devices.fiscal.journal import DocState, JournalRow, ShiftRow
from desktop.devices.fiscal.model import (
    FiscalLine,
    FiscalReceipt,
    FiscalResult,
    Payment,
    PaymentKind,
    ReportTotals,
)
from desktop.devices.fiscal.service import FiscalService
from desktop.devices.fiscal.vat import group_for_rate
from shared.ids import uuid7
from shared.tax import TaxError, rate_for, vat_from_gross

__all__ = [
    "attention_out",
    "detail",
    "fiscal_lines",
    "fiscal_payments",
    "receipt_id_for",
    "receipt_out",
    "shift_out",
    "z_out",
]

_TYPES = {"sale": "SELL", "return": "RETURN", "deposit": "SERVICE_IN", "withdraw": "SERVICE_OUT"}
_STATE_TEXT = {
    DocState.IN_DOUBT: "The device has not confirmed this receipt. It will not be sent again "
                       "until the device answers: do not issue a second receipt for this sale.",
    DocState.PENDING: "Being issued.",
    DocState.NOT_ISSUED: "The device did not issue this receipt; it will be sent again.",
}


def shift_out(svc: FiscalService, row: ShiftRow) -> ShiftOut:
    t = reports.shift_totals(svc.journal, row.info.id)
    return ShiftOut(id=row.info.id, serial=row.info.serial,
                    status="CLOSED" if row.closed_at else "OPENED", opened_at=row.info.opened_at,
                    closed_at=row.closed_at, balance=t.balance, receipts_count=t.receipts,
                    total_sales=t.sales, total_returns=t.returns)


def fiscal_lines(items: Sequence[ItemIn], country: str, at: datetime
                 ) -> tuple[FiscalLine, ...]:
    """Lines with their VAT group and rate valid at ``at``, from ``taxRate`` or ``vatGroup``."""
    out = []
    for i, it in enumerate(items):
        try:
            if it.vat_group:
                group = it.vat_group
                rate = rate_for(country, group, at)
                if it.tax_rate is not None and it.tax_rate != rate:
                    raise FiscalInvalid(f"items[{i}]: {group} is {rate}% on {at:%Y-%m-%d}, "
                                        f"not {it.tax_rate}%", field=f"items.{i}.taxRate")
            elif it.tax_rate is not None:
                group = group_for_rate(country, it.tax_rate, at)
                rate = rate_for(country, group, at)
            else:
                raise FiscalInvalid(f"items[{i}] needs taxRate or vatGroup",
                                    field=f"items.{i}.taxRate")
        except TaxError as exc:
            raise FiscalInvalid(f"items[{i}]: {exc}", field=f"items.{i}.vatGroup") from exc
        out.append(FiscalLine(it.name, it.quantity, it.price, group, rate, it.excise,
                              it.discount, it.sku or "", it.barcode, it.uktzed))
    return tuple(out)


def fiscal_payments(pays: Sequence[PaymentIn]) -> tuple[Payment, ...]:
    return tuple(Payment(PaymentKind.CASH if p.type.lower() == "cash" else PaymentKind.CARD,
                         p.amount) for p in pays)


def receipt_id_for(svc: FiscalService, order_id: str | None) -> uuid.UUID:
    """Our receipt id: the order id when it is a UUID, the id already used for this order, or
    a new UUIDv7 — so a client retrying the same order never gets two receipts."""
    if order_id:
        try:
            return uuid.UUID(order_id)
        except ValueError:
            row = svc.journal.by_order(order_id)
            if row is not None:
                return row.receipt_id
    return uuid7()


def receipt_out(r: FiscalResult) -> ReceiptOut:
    qr = r.qr_payload if r.qr_payload and r.qr_payload.startswith("http") else None
    return ReceiptOut(fiscal_code=r.fiscal_number, receipt_id=str(r.receipt_id),
                      receipt_url=r.verify_url, qr_code_url=qr, pdf_url=r.pdf_url,
                      receipt_text=r.text, fiscal_date=r.fiscal_date, offline=r.offline,
                      qr_payload=r.qr_payload)


def z_out(svc: FiscalService, shift: ShiftRow, z: ReportTotals) -> ZReportOut:
    t = reports.shift_totals(svc.journal, shift.info.id)
    taxes = []
    for g in z.groups:
        # Datecs reports turnover only: its VAT is computed on the group total, as it prints it
        rate = g.rate or Decimal(0)
        s_vat = g.sales_vat if g.sales_vat is not None else vat_from_gross(g.sales, rate)
        r_vat = g.returns_vat if g.returns_vat is not None else vat_from_gross(g.returns, rate)
        taxes.append(TaxOut(rate=g.rate, label=g.label, sell_sum=g.sales - s_vat,
                            return_sum=g.returns - r_vat, sales_turnover=g.sales,
                            returns_turnover=g.returns, sales_vat=s_vat, returns_vat=r_vat))
    return ZReportOut(id=f"{shift.info.id}:z{z.number}", serial=z.number,
                      fiscal_code=z.fiscal_number, created_at=z.at, payments_sum=z.sales_total,
                      returns_sum=z.returns_total,
                      receipts_count=z.receipts_count if z.receipts_count is not None
                      else t.receipts,
                      returns_count=z.returns_count if z.returns_count is not None
                      else t.return_receipts,
                      cash_in=z.cash_in, cash_out=z.cash_out, taxes=taxes)


def detail(row: JournalRow) -> ReceiptDetail:
    doc, r = row.document, row.result
    items: list[ItemOut] = []
    pays: list[PaymentOut] = []
    if isinstance(doc, FiscalReceipt):
        items = [ItemOut(name=ln.name, quantity=ln.qty, price=ln.unit_price, total=ln.gross)
                 for ln in doc.lines]
        pays = [PaymentOut(type=p.kind.value.upper(), amount=p.amount) for p in doc.payments]
    else:
        pays = [PaymentOut(type="CASH", amount=doc.amount)]
    qr = r.qr_payload if r and r.qr_payload and r.qr_payload.startswith("http") else None
    return ReceiptDetail(
        id=str(row.receipt_id), fiscal_code=row.fiscal_number, type=_TYPES[row.kind],
        date=r.fiscal_date if r else None, total=row.total, items=items, payments=pays,
        pdf_url=r.pdf_url if r else None, qr_code_url=qr, status=row.state.value.upper(),
        status_message=(row.note or _STATE_TEXT.get(row.state)) if row.state is not DocState.DONE
        else row.note, offline=bool(r and r.offline))


def attention_out(rows: list[JournalRow]) -> list[AttentionOut]:
    return [AttentionOut(receipt_id=str(r.receipt_id), kind=r.kind,
                         status=r.state.value.upper(), message=r.note or _STATE_TEXT.get(r.state),
                         total=r.total, attempts=r.attempts) for r in rows]
