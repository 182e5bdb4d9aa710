"""A plain-text rendering of an issued document (the API's ``receiptText``; not the legal print)."""

from __future__ import annotations

from desktop.devices.fiscal.model import FiscalDocument, FiscalReceipt, FiscalResult

__all__ = ["render_text"]

_W = 42


def _money(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


def _row(left: str, right: str) -> str:
    left = left[: _W - len(right) - 1]
    return f"{left}{' ' * (_W - len(left) - len(right))}{right}"


def render_text(doc: FiscalDocument, result: FiscalResult) -> str:
    title = {"sale": "FISCAL RECEIPT", "return": "RETURN RECEIPT", "deposit": "CASH IN",
             "withdraw": "CASH OUT"}[doc.kind.value]
    out = [f"{f' {title} ':=^{_W}}"]
    if isinstance(doc, FiscalReceipt):
        if doc.header:
            out.append(doc.header[:_W])
        for ln in doc.lines:
            out.append(ln.name[:_W])
            detail = f"  {ln.qty.normalize():f} x {_money(ln.unit_price)}"
            if ln.discount:
                detail += f" -{_money(ln.discount)}"
            out.append(_row(detail, f"{_money(ln.gross)} {ln.vat_rate.normalize():f}%"))
        if doc.rounding:
            out.append(_row("Rounding", _money(doc.rounding)))
        out.append(_row("TOTAL", _money(doc.total)))
        for p in doc.payments:
            out.append(_row(p.kind.value.upper(), _money(p.amount)))
        if doc.change > 0:
            out.append(_row("CHANGE", _money(doc.change)))
        if doc.is_return:
            out.append(f"Original: {doc.original_fiscal_number}")
        if doc.footer:
            out.append(doc.footer[:_W])
    else:
        out.append(_row("AMOUNT", _money(doc.amount)))
        if doc.comment:
            out.append(doc.comment[:_W])
    out.append(f"No. {result.fiscal_number or '-'}  {result.fiscal_date:%Y-%m-%d %H:%M:%S}")
    if result.offline:
        out.append("OFFLINE")
    out.append("=" * _W)
    return "\n".join(out)
