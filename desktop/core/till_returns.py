"""Returns part of the façade: by original receipt number, partial lines and quantities.

Never more than sold minus earlier returns; refunds by the original payment type or cash, never
more per type than the original took; a store manager approves. One durable transaction writes
the return receipt, its refunds and the ``return.completed`` event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import structlog

from desktop.core.errors import (
    InsufficientCash,
    InvalidQuantity,
    InvalidRefund,
    ReceiptNotFound,
    ReturnExceedsSale,
)
from desktop.core.payments import (
    CashTender,
    Payment,
    PaymentKind,
    Tender,
    apply_tender,
    round_cash,
)
from desktop.core.receipt import (
    Receipt,
    ReceiptKind,
    ReceiptLine,
    VatLine,
    format_receipt_number,
    normalize_receipt_number,
)
from desktop.core.returns import Returnable, ReturnableLine, ReturnItem, return_line
from desktop.core.shifts import Shift, expected_cash
from desktop.core.till_checkout import CheckoutMixin
from desktop.core.users import Approval, Permission
from shared.events import EventType
from shared.ids import uuid7

log = structlog.get_logger(__name__)

__all__ = ["ReturnsMixin"]


class ReturnsMixin(CheckoutMixin):
    """Returns against completed sales."""

    def _original(self, receipt: str) -> Receipt:
        found = self._storage.receipt(receipt) or self._storage.receipt_by_number(
            normalize_receipt_number(receipt))
        if found is None or found.kind is not ReceiptKind.SALE:
            raise ReceiptNotFound(details={"receipt": receipt})
        return found

    def returnable(self, receipt: str) -> Returnable:
        """The sale ``receipt`` (number or id) with what may still be returned and refunded."""
        original = self._original(receipt)
        done = self._storage.returned_amounts(original.id)
        lines = tuple(ReturnableLine(ln, done[ln.line_no].quantity if ln.line_no in done
                                     else Decimal(0))
                      for ln in original.lines)
        refunded = self._storage.refunded_by_kind(original.id)
        refundable = {k: v - refunded.get(k, 0) for k, v in original.payments_by_kind().items()}
        return Returnable(original, lines, refundable)

    def complete_return(self, receipt: str, items: Sequence[ReturnItem],
                        refunds: Sequence[Tender] | None = None, *,
                        approval: Approval | None = None, reason: str = "") -> Receipt:
        """Return ``items`` of sale ``receipt``; refund with ``refunds`` (default: all cash).

        Raises ``ReturnExceedsSale``, ``InvalidRefund``, ``InsufficientCash``,
        ``ReceiptNotFound``, ``PermissionDenied``, ``ShiftClosed``/``ShiftExpired``; nothing is
        written when it raises.
        """
        with self._lock:
            user = self._require_user()
            approver = self._approver(Permission.RETURN, approval)
            now = self._now()
            shift = self._sellable_shift(now)
            if not items:
                raise ReturnExceedsSale("nothing to return", details={"receipt": receipt})
            s = self._settings
            # Everything is read and checked inside the write transaction: no other writer
            # (another till process) can return the same goods in between.
            with self._storage.transaction(durable=True) as tx:
                info = self.returnable(receipt)
                original = info.receipt
                done = self._storage.returned_amounts(original.id)
                seen: set[int] = set()
                lines: list[ReceiptLine] = []
                for no, item in enumerate(sorted(items, key=lambda i: i.line_no), start=1):
                    if item.line_no in seen:
                        raise InvalidQuantity("name each line once",
                                              details={"line_no": item.line_no})
                    seen.add(item.line_no)
                    lines.append(return_line(info.line(item.line_no), item.quantity,
                                             done.get(item.line_no), line_no=no,
                                             country=original.country, original=original))
                total = sum(ln.gross for ln in lines)
                payments = self._refunds(info, total, refunds, now)
                self._check_drawer(shift, payments)
                seq = tx.next_document_seq(shift.id)
                ret = Receipt(
                    id=str(uuid7()), number=format_receipt_number(s.store_code, s.till_code,
                                                                  shift.number, seq),
                    kind=ReceiptKind.RETURN, store_code=s.store_code, till_code=s.till_code,
                    shift_id=shift.id, shift_no=shift.number, seq=seq, cashier_id=user.id,
                    cashier_name=user.name, opened_at=now, completed_at=now,
                    country=original.country, currency=original.currency, lines=tuple(lines),
                    vat=_vat_lines(lines), subtotal=sum(ln.base for ln in lines),
                    discount_total=sum(ln.discount for ln in lines), total=total,
                    rounding=sum(p.rounding for p in payments),
                    paid=sum(p.amount for p in payments), change=0, payments=tuple(payments),
                    header=s.header, footer=s.footer, original_receipt_id=original.id,
                    original_number=original.number, approved_by=approver)
                tx.insert_return(ret)
                self._event(tx, EventType.RETURN_COMPLETED,
                            {"receipt": ret.to_payload(), "reason": reason},
                            aggregate_id=ret.id, at=now)
            self._consume(approval)
            log.info("return_completed", receipt=ret.number, original=original.number,
                     total=ret.total)
            return ret

    def _refunds(self, info: Returnable, total: int, refunds: Sequence[Tender] | None,
                 now: datetime) -> list[Payment]:
        """Settle ``total`` with refund tenders: cash pays out exactly (rounded in UA), a card
        only when the sale took a card and never more than it took."""
        step = self._settings.cash_rounding
        if total == 0 and not refunds:  # fully discounted goods: nothing to pay back
            return []
        tenders = list(refunds) if refunds is not None else [CashTender(round_cash(total, step))]
        payments: list[Payment] = []
        due = total
        for tender in tenders:
            if due <= 0:
                raise InvalidRefund("refunds exceed the return total", details={"total": total})
            p = apply_tender(tender, due, cash_step=step, payment_id=str(uuid7()), at=now)
            if p.change:
                raise InvalidRefund("a cash refund pays out exactly what is due",
                                    details={"due": due, "tendered": p.tendered})
            payments.append(p)
            due -= p.amount - p.rounding
        if due != 0:
            raise InvalidRefund("refunds must equal the return total",
                                details={"total": total, "left": due})
        card = sum(p.amount for p in payments if p.kind is PaymentKind.CARD)
        if card > info.refundable.get(PaymentKind.CARD.value, 0):
            raise InvalidRefund("refund by card only up to what the sale took by card",
                                details={"card": card, "refundable": info.refundable})
        return payments

    def _check_drawer(self, shift: Shift, payments: Sequence[Payment]) -> None:
        cash = sum(p.amount for p in payments if p.kind is PaymentKind.CASH)
        if cash and cash > expected_cash(shift, self._storage.shift_totals(shift.id)):
            raise InsufficientCash(details={"refund": cash})


def _vat_lines(lines: Sequence[ReceiptLine]) -> tuple[VatLine, ...]:
    groups: dict[tuple[str, Decimal], list[int]] = {}
    for ln in lines:
        acc = groups.setdefault((ln.vat_group, ln.vat_rate), [0, 0, 0, 0])
        for i, v in enumerate((ln.gross, ln.net, ln.vat, ln.excise)):
            acc[i] += v
    return tuple(VatLine(g, r, *a) for (g, r), a in sorted(groups.items()))
