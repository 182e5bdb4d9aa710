"""Our fiscal documents ↔ Checkbox JSON (kopiykas, quantity in thousandths, org tax codes)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop.devices.errors import ProtocolError
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalReceipt,
    FiscalResult,
    GroupTotals,
    PaymentKind,
    ReportTotals,
    ShiftInfo,
)
from desktop.devices.fiscal.vat import DeviceTax, VatMapper

__all__ = ["report_totals", "result_from", "sell_body", "service_body", "shift_info",
           "tax_table"]


def tax_table(taxes: list[dict[str, Any]]) -> list[DeviceTax]:
    """``GET cashier/tax`` → device taxes; excise is recognised by its label (акциз)."""
    out = []
    for t in taxes:
        label = str(t.get("label", ""))
        out.append(DeviceTax(str(t["code"]), Decimal(str(t["rate"])), label,
                             exempt=bool(t.get("no_vat")), excise="кциз" in label.lower()))
    return out


def sell_body(r: FiscalReceipt, mapper: VatMapper) -> dict[str, Any]:
    goods = []
    for ln in r.lines:
        tax = [mapper.key_for(ln)] + ([mapper.excise_key()] if ln.excise else [])
        good: dict[str, Any] = {"code": ln.sku or ln.name[:64], "name": ln.name,
                                "price": ln.unit_price, "tax": [int(t) if t.isdigit() else t
                                                                for t in tax]}
        if ln.barcode:
            good["barcode"] = ln.barcode
        if ln.uktzed:
            good["uktzed"] = ln.uktzed
        item: dict[str, Any] = {"good": good, "quantity": int(ln.qty * 1000),
                                "is_return": r.is_return}
        if ln.discount:
            item["discounts"] = [{"type": "DISCOUNT", "mode": "VALUE", "value": ln.discount}]
        goods.append(item)
    payments = [{"type": "CASH", "value": p.amount} if p.kind is PaymentKind.CASH
                else {"type": "CASHLESS", "value": p.amount, "label": "Картка"}
                for p in r.payments]
    body: dict[str, Any] = {"id": str(r.receipt_id), "goods": goods, "payments": payments,
                            "rounding": bool(r.rounding)}
    if r.cashier:
        body["cashier_name"] = r.cashier
    if r.is_return and r.original_receipt_id:
        body["related_receipt_id"] = str(r.original_receipt_id)
    if r.header:
        body["header"] = r.header
    if r.footer:
        body["footer"] = r.footer
    delivery = {k: v for k, v in (("email", r.customer_email), ("phone", r.customer_phone)) if v}
    if delivery:
        body["delivery"] = delivery
    return body


def service_body(op: CashOperation) -> dict[str, Any]:
    value = op.amount if op.kind is DocKind.DEPOSIT else -op.amount
    return {"id": str(op.receipt_id), "payment": {"type": "CASH", "value": value}}


def _when(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProtocolError(f"Checkbox sent a bad timestamp {value!r}") from exc


def result_from(data: dict[str, Any], kind: DocKind, device: str, base_url: str, total: int,
                *, offline: bool = False) -> FiscalResult:
    rid = str(data["id"])
    return FiscalResult(
        receipt_id=uuid.UUID(rid), kind=kind, device=device,
        fiscal_number=data.get("fiscal_code"), fiscal_date=_when(data.get("fiscal_date")),
        total=total, verify_url=data.get("tax_url"),
        qr_payload=data.get("tax_url") or f"{base_url}/api/v1/receipts/{rid}/qrcode",
        pdf_url=f"{base_url}/api/v1/receipts/{rid}/pdf", offline=offline,
        device_ref=str(data.get("serial")) if data.get("serial") is not None else rid)


def shift_info(data: dict[str, Any], device: str, cashier: str) -> ShiftInfo:
    return ShiftInfo(str(data["id"]), int(data.get("serial") or 0),
                     _when(data.get("opened_at") or data.get("created_at")), device, cashier,
                     str(data["id"]))


def report_totals(rep: dict[str, Any], kind: str, device: str) -> ReportTotals:
    groups = tuple(
        GroupTotals(str(t["code"]), Decimal(str(t["rate"])), str(t.get("label", "")),
                    int(t.get("sales_turnover", 0)), int(t.get("returns_turnover", 0)),
                    int(t.get("sell_sum", 0)), int(t.get("return_sum", 0)))
        for t in rep.get("taxes", []))
    pays: dict[str, dict[str, int]] = {}
    cash_in = cash_out = sales = returns = 0
    for p in rep.get("payments", []):
        key = "cash" if p.get("type") == "CASH" else "card"
        slot = pays.setdefault(key, {"sell": 0, "return": 0})
        slot["sell"] += int(p.get("sell_sum", 0))
        slot["return"] += int(p.get("return_sum", 0))
        sales += int(p.get("sell_sum", 0))
        returns += int(p.get("return_sum", 0))
        cash_in += int(p.get("service_in", 0))
        cash_out += int(p.get("service_out", 0))
    return ReportTotals(kind, int(rep.get("serial") or 0), _when(rep.get("created_at")), device,
                        groups, sales, returns, int(rep.get("sell_receipts_count", 0)),
                        int(rep.get("return_receipts_count", 0)), cash_in, cash_out, pays,
                        rep.get("fiscal_code"))
