"""Checkout part of the façade: payments on a cart and completing the sale.

Completion is one durable transaction: next receipt number of the shift, final line amounts,
payments, status ``completed`` and the ``sale.completed`` outbox event carrying the receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import structlog

from desktop.core.cart import Cart
from desktop.core.errors import CartEmpty, InsufficientPayment, InvalidPayment
from desktop.core.payments import Payment, Tender, apply_tender
from desktop.core.receipt import Receipt, ReceiptKind, ReceiptLine, VatLine, format_receipt_number
from desktop.core.settings import TillSettings
from desktop.core.shifts import Shift
from desktop.core.till_cart import CartMixin
from desktop.core.users import Permission
from shared.events import EventType
from shared.ids import uuid7

log = structlog.get_logger(__name__)

__all__ = ["CheckoutMixin", "build_sale_receipt"]


def build_sale_receipt(cart: Cart, *, shift: Shift, seq: int, at: datetime, cashier_id: str,
                       cashier_name: str, settings: TillSettings) -> Receipt:
    """Freeze a fully paid cart into its receipt (pure)."""
    lines = tuple(
        ReceiptLine(
            line_no=p.line.line_no, sku=p.line.sku, name=p.line.name, unit=p.line.unit,
            quantity=p.line.quantity, unit_price=p.line.unit_price,
            list_price=p.line.list_price, base=p.base, line_discount=p.line_discount,
            receipt_discount=p.receipt_discount, gross=p.tax.gross, net=p.tax.net,
            vat=p.tax.vat, excise=p.tax.excise, vat_group=p.tax.vat_group,
            vat_rate=p.tax.vat_rate, excise_rate=p.tax.excise_rate,
            product_id=p.line.product_id, barcode=p.line.barcode, code=p.line.code,
            fixed_gross=p.line.fixed_gross, price_override_by=p.line.price_override_by,
            discount_by=p.line.discount_by, excise_stamps=p.line.excise_stamps)
        for p in cart.priced)
    vat = tuple(VatLine(g, t.vat_rate, t.gross, t.net, t.vat, t.excise)
                for g, t in sorted(cart.tax.by_group.items()))
    d = cart.discount
    return Receipt(
        id=cart.id, number=format_receipt_number(settings.store_code, settings.till_code,
                                                 shift.number, seq),
        kind=ReceiptKind.SALE, store_code=settings.store_code, till_code=settings.till_code,
        shift_id=shift.id, shift_no=shift.number, seq=seq, cashier_id=cashier_id,
        cashier_name=cashier_name, opened_at=cart.opened_at, completed_at=at,
        country=cart.country, currency=cart.currency, lines=lines, vat=vat,
        subtotal=cart.subtotal, discount_total=cart.discount_total, total=cart.total,
        rounding=cart.rounding, paid=cart.paid, change=cart.change, payments=cart.payments,
        receipt_discount=f"{d.kind.value}:{d.value}" if d else None,
        header=settings.header, footer=settings.footer,
        voided_lines=sum(1 for ln in cart.lines if ln.voided))


class CheckoutMixin(CartMixin):
    """Taking payment and completing sales."""

    def add_payment(self, cart_id: str, tender: Tender) -> Cart:
        """Record a tender on the cart (a card approval, or cash handed over).

        Cash at or above the (rounded) amount due settles it with change; less cash is a
        partial payment. A card pays at most the amount due and is never rounded.
        """
        with self._lock:
            self._require(Permission.SELL)
            now = self._now()
            self._sellable_shift(now)
            cart = self._cart(cart_id)
            if not cart.active_lines:
                raise CartEmpty(details={"cart_id": cart_id})
            payment = apply_tender(tender, cart.due, cash_step=self._settings.cash_rounding,
                                   payment_id=str(uuid7()), at=now)
            new = cart.with_payments((*cart.payments, payment))
            with self._storage.transaction(durable=True) as tx:
                tx.insert_payment(cart.id, payment)
            self._carts[cart.id] = new
            return new

    def remove_payment(self, cart_id: str, payment_id: str) -> Cart:
        """Drop a payment from an open cart (after the terminal reversed a card payment)."""
        with self._lock:
            self._require(Permission.SELL)
            cart = self._cart(cart_id)
            if all(p.id != payment_id for p in cart.payments):
                raise InvalidPayment("no such payment on this cart",
                                     details={"payment_id": payment_id})
            new = cart.with_payments(p for p in cart.payments if p.id != payment_id)
            with self._storage.transaction(durable=True) as tx:
                tx.delete_payment(cart.id, payment_id)
            self._carts[cart.id] = new
            return new

    def complete_sale(self, cart_id: str, tenders: Sequence[Tender] = ()) -> Receipt:
        """Apply ``tenders`` and complete the sale when fully paid; returns the receipt.

        Raises ``InsufficientPayment`` (nothing written) when the cart is not fully paid,
        ``ShiftClosed``/``ShiftExpired`` when the shift cannot sell, ``CartEmpty``.
        """
        with self._lock:
            user = self._require(Permission.SELL)
            now = self._now()
            shift = self._sellable_shift(now)
            cart = self._cart(cart_id)
            if not cart.active_lines:
                raise CartEmpty(details={"cart_id": cart_id})
            cart = cart.repriced(now)
            step = self._settings.cash_rounding
            new_payments: list[Payment] = []
            for tender in tenders:
                if cart.due <= 0:
                    raise InvalidPayment("the sale is already paid", details={"due": cart.due})
                p = apply_tender(tender, cart.due, cash_step=step, payment_id=str(uuid7()),
                                 at=now)
                new_payments.append(p)
                cart = cart.with_payments((*cart.payments, p))
            if cart.due > 0:
                raise InsufficientPayment(details={"due": cart.due, "total": cart.payable})
            if cart.due < 0:
                raise InvalidPayment("payments exceed the total; remove a payment",
                                     details={"due": cart.due})
            with self._storage.transaction(durable=True) as tx:
                seq = tx.next_document_seq(shift.id)
                receipt = build_sale_receipt(cart, shift=shift, seq=seq, at=now,
                                             cashier_id=user.id, cashier_name=user.name,
                                             settings=self._settings)
                for p in new_payments:
                    tx.insert_payment(cart.id, p)
                tx.complete_sale(receipt)
                self._event(tx, EventType.SALE_COMPLETED, {"receipt": receipt.to_payload()},
                            aggregate_id=receipt.id, at=now)
            del self._carts[cart_id]
            log.info("sale_completed", receipt=receipt.number, total=receipt.total,
                     lines=len(receipt.lines))
            return receipt
