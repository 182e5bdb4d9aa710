"""Cart part of the façade: open a cart, add, change, void, override, discount, cancel.

Every change is validated on a new immutable cart first, then written (line rows, plus an
outbox event for voids, overrides and cancellations) and only then replaces the cached cart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from desktop.core.cart import Cart, CartLine, Discount
from desktop.core.catalog import Product, ScanResult
from desktop.core.errors import (
    AgeVerificationRequired,
    CartHasPayments,
    InvalidPrice,
    InvalidQuantity,
    ProductInactive,
)
from desktop.core.quantity import Unit, parse_quantity
from desktop.core.till_catalog import CatalogMixin
from desktop.core.users import Approval, Permission
from shared.events import EventType
from shared.ids import uuid7

__all__ = ["CartMixin"]


class CartMixin(CatalogMixin):
    """Building a sale."""

    def new_cart(self) -> Cart:
        """Open an empty cart for the logged-in cashier (needs a shift that may sell)."""
        with self._lock:
            user = self._require(Permission.SELL)
            now = self._now()
            self._sellable_shift(now)
            s = self._settings
            cart = Cart(id=str(uuid7()), cashier_id=user.id, cashier_name=user.name,
                        opened_at=now, country=s.country, currency=s.currency, priced_at=now,
                        cash_step=s.cash_rounding)
            with self._storage.transaction(durable=False) as tx:
                tx.insert_cart(cart)
            self._carts[cart.id] = cart
            return cart

    def cart(self, cart_id: str) -> Cart:
        """The open cart ``cart_id`` (``CartNotFound`` once completed or cancelled)."""
        return self._cart(cart_id)

    def open_carts(self) -> list[Cart]:
        """Open carts, oldest first (restored from the store after a restart)."""
        return sorted(self._carts.values(), key=lambda c: (c.opened_at, c.id))

    def scan(self, cart_id: str, code: str, quantity: Decimal | int | str | None = None, *,
             age_verified: bool = False, excise_stamps: Sequence[str] = ()) -> Cart:
        """Add the product a scanned code names; scale labels bring their weight or price."""
        with self._lock:
            self._require(Permission.SELL)
            result = self.lookup(code)
            return self._add(cart_id, result, quantity, age_verified, excise_stamps)

    def add_product(self, cart_id: str, sku: str, quantity: Decimal | int | str | None = None, *,
                    age_verified: bool = False, excise_stamps: Sequence[str] = ()) -> Cart:
        """Add a product chosen by SKU (search result, hot key). Weighted units need a
        quantity."""
        with self._lock:
            self._require(Permission.SELL)
            return self._add(cart_id, ScanResult(self.product(sku), ""), quantity, age_verified,
                             excise_stamps)

    def _add(self, cart_id: str, hit: ScanResult, quantity: Decimal | int | str | None,
             age_verified: bool, stamps: Sequence[str]) -> Cart:
        now = self._now()
        self._sellable_shift(now)
        cart = self._editable(cart_id)
        product = hit.product
        line = self._line(cart, product, hit, quantity, now, age_verified, stamps)
        new = cart.with_line(line, now)
        _ = new.priced  # validates receipt discount allocation
        with self._storage.transaction(durable=False) as tx:
            tx.insert_line(cart.id, line)
        self._carts[cart.id] = new
        return new

    def _line(self, cart: Cart, product: Product, hit: ScanResult,
              quantity: Decimal | int | str | None, now: datetime, age_verified: bool,
              stamps: Sequence[str]) -> CartLine:
        if not product.active:
            raise ProductInactive(details={"sku": product.sku})
        if product.age_restricted and not age_verified:
            raise AgeVerificationRequired(details={"sku": product.sku})
        unit, price = product.unit, product.price
        if hit.fixed_gross is not None:  # price label: one package at the printed price
            if quantity is not None:
                raise InvalidQuantity("a price label already carries the amount",
                                      details={"barcode": hit.code})
            qty, unit, price = Decimal(1), Unit.PCS, hit.fixed_gross
        elif hit.quantity is not None:
            if quantity is not None:
                raise InvalidQuantity("a scale label already carries the quantity",
                                      details={"barcode": hit.code})
            if not product.unit.fractional:
                raise InvalidQuantity("a weight label for a product sold by the piece",
                                      details={"barcode": hit.code, "unit": product.unit.value})
            qty = parse_quantity(hit.quantity, product.unit)
        elif quantity is None:
            if product.unit.fractional:
                raise InvalidQuantity(f"enter the quantity in {product.unit.value}",
                                      details={"sku": product.sku})
            qty = Decimal(1)
        else:
            qty = parse_quantity(quantity, product.unit)
        clean = tuple(s.strip() for s in stamps if s and s.strip())
        return CartLine(
            line_no=cart.next_line_no, sku=product.sku,
            name=product.display_name(self._settings.language), unit=unit,
            vat_group=product.vat_group, quantity=qty, list_price=price,
            unit_price=price, added_at=now, product_id=product.id,
            barcode=hit.code or None, excise=product.excise, code=product.code,
            age_restricted=product.age_restricted, fixed_gross=hit.fixed_gross,
            excise_stamps=clean)

    def set_quantity(self, cart_id: str, line_no: int, quantity: Decimal | int | str, *,
                     approval: Approval | None = None) -> Cart:
        """Change a line's quantity; lowering it is a partial void (needs ``void_line``)."""
        with self._lock:
            self._require(Permission.SELL)
            now = self._now()
            self._sellable_shift(now)
            cart = self._editable(cart_id)
            line = cart.line(line_no)
            if line.fixed_gross is not None:
                raise InvalidQuantity("a price-label line has a fixed quantity")
            qty = parse_quantity(quantity, line.unit)
            approver = None
            if qty < line.quantity:
                approver = self._approver(Permission.VOID_LINE, approval)
            changed = _replace(line, quantity=qty)
            new = cart.with_replaced(changed, now)
            _ = new.priced
            with self._storage.transaction(durable=approver is not None) as tx:
                tx.update_line(cart.id, changed)
                if approver is not None:
                    self._event(tx, EventType.LINE_VOIDED, {
                        "cart_id": cart.id, "line_no": line_no, "sku": line.sku,
                        "quantity_before": str(line.quantity), "quantity_after": str(qty),
                        "partial": True, "user_id": self._require_user().id,
                        "approved_by": approver, "at": now.isoformat()},
                        aggregate_id=cart.id, at=now)
            self._consume(approval)
            self._carts[cart.id] = new
            return new

    def void_line(self, cart_id: str, line_no: int, *, approval: Approval | None = None,
                  reason: str = "") -> Cart:
        """Void a line (kept for audit, excluded from totals); needs a store manager."""
        with self._lock:
            self._require(Permission.SELL)
            now = self._now()
            cart = self._editable(cart_id)
            line = cart.line(line_no)
            approver = self._approver(Permission.VOID_LINE, approval)
            changed = _replace(line, voided=True, voided_by=approver)
            new = cart.with_replaced(changed, now)
            _ = new.priced
            with self._storage.transaction(durable=True) as tx:
                tx.update_line(cart.id, changed)
                self._event(tx, EventType.LINE_VOIDED, {
                    "cart_id": cart.id, "line_no": line_no, "sku": line.sku, "name": line.name,
                    "quantity": str(line.quantity), "amount": line.base, "partial": False,
                    "reason": reason, "user_id": self._require_user().id,
                    "approved_by": approver, "at": now.isoformat()},
                    aggregate_id=cart.id, at=now)
            self._consume(approval)
            self._carts[cart.id] = new
            return new

    def override_price(self, cart_id: str, line_no: int, unit_price: int, *,
                       approval: Approval | None = None, reason: str = "") -> Cart:
        """Charge ``unit_price`` (minor units) instead of the catalog price; needs a manager."""
        with self._lock:
            self._require(Permission.SELL)
            now = self._now()
            cart = self._editable(cart_id)
            line = cart.line(line_no)
            if isinstance(unit_price, bool) or not isinstance(unit_price, int) or unit_price < 0:
                raise InvalidPrice(details={"unit_price": repr(unit_price)})
            if line.fixed_gross is not None:
                raise InvalidPrice("a price-label line has a fixed amount")
            approver = self._approver(Permission.PRICE_OVERRIDE, approval)
            changed = _replace(line, unit_price=unit_price, price_override_by=approver)
            new = cart.with_replaced(changed, now)
            _ = new.priced
            with self._storage.transaction(durable=True) as tx:
                tx.update_line(cart.id, changed)
                self._event(tx, EventType.PRICE_OVERRIDDEN, {
                    "cart_id": cart.id, "line_no": line_no, "sku": line.sku,
                    "price_before": line.unit_price, "price_after": unit_price,
                    "list_price": line.list_price, "reason": reason,
                    "user_id": self._require_user().id, "approved_by": approver,
                    "at": now.isoformat()}, aggregate_id=cart.id, at=now)
            self._consume(approval)
            self._carts[cart.id] = new
            return new

    def discount_line(self, cart_id: str, line_no: int, discount: Discount | None, *,
                      approval: Approval | None = None) -> Cart:
        """Set (or with ``None`` remove) a line discount. Above the cashier's limit it needs a
        manager; it can never exceed the line."""
        with self._lock:
            self._require(Permission.SELL)
            now = self._now()
            cart = self._editable(cart_id)
            line = cart.line(line_no)
            by = None
            if discount is not None:
                discount.amount_of(line.base)
                by = self._discount_approver(discount, line.base, approval)
            changed = _replace(line, discount=discount, discount_by=by)
            new = cart.with_replaced(changed, now)
            _ = new.priced
            with self._storage.transaction(durable=False) as tx:
                tx.update_line(cart.id, changed)
            self._consume(approval)
            self._carts[cart.id] = new
            return new

    def discount_cart(self, cart_id: str, discount: Discount | None, *,
                      approval: Approval | None = None) -> Cart:
        """Set (or remove) the receipt discount, spread over lines in proportion to amounts."""
        with self._lock:
            self._require(Permission.SELL)
            now = self._now()
            cart = self._editable(cart_id)
            by = None
            if discount is not None:
                base = sum(p.final for p in cart.with_discount(None, None).priced)
                discount.amount_of(base)
                by = self._discount_approver(discount, base, approval)
            new = cart.with_discount(discount, by).repriced(now)
            _ = new.priced
            with self._storage.transaction(durable=False) as tx:
                tx.set_cart_discount(cart.id, discount, by)
            self._consume(approval)
            self._carts[cart.id] = new
            return new

    def _discount_approver(self, discount: Discount, base: int,
                           approval: Approval | None) -> str | None:
        if discount.percent_of(base) <= self._settings.cashier_max_discount_percent:
            return None
        return self._approver(Permission.DISCOUNT_OVER_LIMIT, approval)

    def cancel_cart(self, cart_id: str, *, approval: Approval | None = None,
                    reason: str = "") -> None:
        """Abandon a cart. One with lines needs a manager and is journalled; payments must be
        removed (card reversed) first."""
        with self._lock:
            user = self._require(Permission.SELL)
            now = self._now()
            cart = self._cart(cart_id)
            if cart.payments:
                raise CartHasPayments("remove the payments before cancelling",
                                      details={"cart_id": cart_id})
            approver = (self._approver(Permission.CANCEL_SALE, approval) if cart.active_lines
                        else None)
            shift = self._storage.current_shift()
            with self._storage.transaction(durable=bool(cart.lines)) as tx:
                tx.cancel_cart(cart.id, now, approver or user.id, shift.id if shift else None)
                if cart.lines:
                    self._event(tx, EventType.SALE_CANCELLED, {
                        "cart_id": cart.id, "lines": len(cart.lines), "amount": cart.total,
                        "reason": reason, "user_id": user.id, "approved_by": approver,
                        "at": now.isoformat()}, aggregate_id=cart.id, at=now)
            self._consume(approval)
            del self._carts[cart.id]


def _replace(line: CartLine, **changes: object) -> CartLine:
    return replace(line, **changes)  # type: ignore[arg-type]
